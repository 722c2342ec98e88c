//! Names of the graph's things in a language, read once per generation of
//! the graph (a write starts a new one). Finding things by name is the
//! search index's ([`crate::search`]).

use crate::error::Result;
use crate::query::select;
use oxigraph::model::Term;
use oxigraph::store::Store;
use std::collections::HashMap;

use super::i18n::Lang;

/// The labels of every IRI, and the most specific class of each entity.
#[derive(Default)]
pub struct Labels {
    /// IRI → (English, French, any other) label.
    by_iri: HashMap<String, [Option<String>; 3]>,
    /// Entity IRI → its most specific class of the ontology.
    kinds: HashMap<String, String>,
}

impl Labels {
    pub fn load(store: &Store) -> Result<Self> {
        let mut by_iri: HashMap<String, [Option<String>; 3]> = HashMap::new();
        let rows = select(
            store,
            r#"SELECT DISTINCT ?s ?name WHERE {
                 { ?s rdfs:label ?name } UNION { ?s skos:prefLabel ?name }
                 FILTER(isIRI(?s))
               }"#,
        )?;
        for row in &rows {
            let (Some(Term::NamedNode(s)), Some(Term::Literal(name))) =
                (row.get("s"), row.get("name"))
            else {
                continue;
            };
            let slot = match name.language().and_then(Lang::from_code) {
                Some(Lang::En) => 0,
                Some(Lang::Fr) => 1,
                None => 2,
            };
            let entry = by_iri.entry(s.as_str().to_string()).or_default();
            // The smallest label wins when there are several: stable.
            if entry[slot].as_deref().is_none_or(|l| name.value() < l) {
                entry[slot] = Some(name.value().to_string());
            }
        }
        let mut kinds = HashMap::new();
        for row in &select(
            store,
            r#"SELECT ?s (MIN(STR(?class)) AS ?kind) WHERE {
                 ?s a ?class FILTER(STRSTARTS(STR(?class), STR(aikg:)) && STRSTARTS(STR(?s), STR(id:)))
                 FILTER NOT EXISTS { ?s a ?sub . ?sub rdfs:subClassOf+ ?class FILTER(?sub != ?class) }
               } GROUP BY ?s"#,
        )? {
            if let (Some(Term::NamedNode(s)), Some(Term::Literal(kind))) =
                (row.get("s"), row.get("kind"))
            {
                kinds.insert(s.as_str().to_string(), kind.value().to_string());
            }
        }
        Ok(Self { by_iri, kinds })
    }

    /// The label of an IRI in `lang`, else in the other language, else any.
    pub fn get(&self, iri: &str, lang: Lang) -> Option<&str> {
        let entry = self.by_iri.get(iri)?;
        let (first, second) = match lang {
            Lang::En => (0, 1),
            Lang::Fr => (1, 0),
        };
        entry[first]
            .as_deref()
            .or(entry[second].as_deref())
            .or(entry[2].as_deref())
    }

    /// An entity's most specific class (IRI).
    pub fn kind(&self, iri: &str) -> Option<&str> {
        self.kinds.get(iri).map(String::as_str)
    }

    /// The label of an IRI in exactly `lang`, if it has one.
    pub fn exactly(&self, iri: &str, lang: Lang) -> Option<&str> {
        let slot = match lang {
            Lang::En => 0,
            Lang::Fr => 1,
        };
        self.by_iri.get(iri)?[slot].as_deref()
    }

    /// What to call an IRI: its label, else its prefixed name, else itself.
    pub fn name(&self, iri: &str, lang: Lang) -> String {
        self.get(iri, lang)
            .map(str::to_string)
            .unwrap_or_else(|| crate::namespaces::compact(iri).unwrap_or_else(|| iri.to_string()))
    }
}
