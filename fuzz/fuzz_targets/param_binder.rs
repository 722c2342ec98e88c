//! The named-query parameter binder (`named_query.rs` types a `--param`
//! value, `bind.rs` puts it into the query's algebra) on any query file and
//! any values: it binds or says why not, and never panics. What it binds is
//! one term of the declared type: a string is the value itself, a typed
//! literal's lexical form is valid by oxsdatatypes (the second
//! implementation of XSD), an entity or class is a node of the graph. And
//! the bound query reads back from its text as the same query whenever the
//! query did before binding: what a remote store receives (the text) is
//! what the local store runs (the algebra).
//!
//! Input: the query file, then `NAME=VALUE` parameters, separated by NUL
//! bytes (a value may hold anything else, newlines and quotes included).
#![no_main]

#[path = "common/xsd.rs"]
mod xsd_lexical;

use aikg::named_query::{NamedQuery, ParamType};
use aikg::source::{read_bytes, SourceFormat};
use libfuzzer_sys::fuzz_target;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, NamedNodeRef, Term};
use oxigraph::store::Store;
use oxsdatatypes::{Date, GYear, GYearMonth, Integer};
use std::str::FromStr;
use std::sync::OnceLock;

/// A few entities and a class, named as the bundled graph names them.
const GRAPH: &str = r#"
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix aikg: <https://w3id.org/aikg/ontology#> .
@prefix id: <https://w3id.org/aikg/id/> .
aikg:Goal a owl:Class ; rdfs:label "goal"@en .
aikg:Organization a owl:Class ; rdfs:label "organization"@en .
id:KAIST a aikg:Organization ; rdfs:label "Korea Advanced Institute of Science and Technology"@en ; aikg:acronym "KAIST" .
id:ETRI a aikg:Organization ; rdfs:label "Electronics and Telecommunications Research Institute"@en ; aikg:acronym "ETRI" .
id:goal-1 a aikg:Goal ; rdfs:label "Top three in AI by 2027"@en .
"#;

fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let quads = read_bytes(
            "fuzz-graph.ttl".into(),
            GRAPH.as_bytes(),
            SourceFormat::Turtle,
        )
        .expect("the fuzz graph reads");
        aikg::store::in_memory(&quads).expect("the fuzz graph loads")
    })
}

/// Does the query's text parse back into the same query?
fn reads_back(query: &spargebra::Query) -> bool {
    let text = query.to_string();
    spargebra::SparqlParser::new()
        .parse_query(&text)
        .is_ok_and(|again| again.to_string() == text)
}

fn typed(term: &Term, datatype: NamedNodeRef<'_>) -> String {
    match term {
        Term::Literal(l) if l.datatype() == datatype && l.language().is_none() => {
            l.value().to_string()
        }
        other => panic!("a {datatype} parameter bound to {other}"),
    }
}

/// The term bound for `value` is one of the parameter's type.
fn check_term(kind: ParamType, value: &str, term: &Term) {
    match kind {
        ParamType::String => assert_eq!(
            term,
            &Term::from(Literal::new_simple_literal(value)),
            "a string parameter is its value"
        ),
        ParamType::Iri => assert!(matches!(term, Term::NamedNode(_)), "{term}"),
        ParamType::Entity | ParamType::Class => {
            let Term::NamedNode(node) = term else {
                panic!("an entity or class bound to {term}");
            };
            let as_subject = store()
                .quads_for_pattern(Some(node.as_ref().into()), None, None, None)
                .next();
            let as_object = store()
                .quads_for_pattern(None, None, Some(node.as_ref().into()), None)
                .next();
            let known = as_subject.is_some() || as_object.is_some();
            assert!(known, "{node} is not in the graph");
        }
        ParamType::Integer => {
            let lexical = typed(term, xsd::INTEGER);
            assert!(
                Integer::from_str(&lexical).is_ok(),
                "{lexical:?} is no xsd:integer"
            );
        }
        ParamType::Decimal => {
            let lexical = typed(term, xsd::DECIMAL);
            assert!(
                xsd_lexical::is_decimal(&lexical),
                "{lexical:?} is no xsd:decimal"
            );
        }
        ParamType::Date => {
            let lexical = typed(term, xsd::DATE);
            assert!(
                Date::from_str(&lexical).is_ok(),
                "{lexical:?} is no xsd:date"
            );
        }
        ParamType::GYearMonth => {
            let lexical = typed(term, xsd::G_YEAR_MONTH);
            assert!(
                GYearMonth::from_str(&lexical).is_ok(),
                "{lexical:?} is no xsd:gYearMonth"
            );
        }
        ParamType::GYear => {
            let lexical = typed(term, xsd::G_YEAR);
            assert!(
                GYear::from_str(&lexical).is_ok(),
                "{lexical:?} is no xsd:gYear"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.split('\0');
    let file = parts.next().unwrap_or_default();
    let values: Vec<(String, String)> = parts
        .filter_map(|p| p.split_once('='))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let Ok(named) = NamedQuery::parse("queries/fuzz.rq", file) else {
        return;
    };
    let Ok((query, bindings)) = named.bind(store(), &values) else {
        return;
    };
    for (variable, term) in &bindings {
        let param = named
            .params
            .iter()
            .find(|p| p.name == variable.as_str())
            .expect("a binding is of a declared parameter");
        let (_, value) = values
            .iter()
            .find(|(n, _)| *n == param.name)
            .expect("a binding is of a given value");
        check_term(param.kind, value, term);
    }
    let original = query.algebra().clone();
    let mut bound = original.clone();
    aikg::bind::substitute(&mut bound, &bindings);
    if reads_back(&original) {
        assert!(
            reads_back(&bound),
            "the bound query does not read back from its text:\n{bound}\n(before binding: {original})"
        );
    }
});
