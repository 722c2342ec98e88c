//! SHACL-SPARQL (SHACL sections 5 and 6) on oxigraph's SPARQL evaluator:
//! SPARQL-based constraints (`sh:sparql` with `sh:select`) and SPARQL-based
//! constraint components (`sh:ConstraintComponent` with `sh:parameter` and
//! an ASK or SELECT validator).
//!
//! - `sh:prefixes` / `sh:declare` are the prefixes the query is parsed with;
//!   a prefix they do not declare falls back on the `@prefix` lines of the
//!   shapes documents ([`DocumentPrefixes`]), then on rdf, rdfs, owl, sh
//!   and xsd;
//!   `$PATH` is replaced by the property shape's path in SPARQL syntax
//!   (5.3.1), and is an error in a node shape.
//! - Pre-binding (5.2.1): `$this`, `$value` (ASK validators), `$currentShape`,
//!   `$shapesGraph` and the parameters of a component are given their
//!   values before evaluation. The queries SHACL forbids with pre-bound
//!   variables (MINUS, SERVICE, VALUES, `AS ?this`, a sub-query that does
//!   not return `this`) are refused when the shapes are compiled, as the
//!   spec requires ("must fail").
//! - The data graph is the query's default graph; the shapes graph is the
//!   named graph [`SHAPES_GRAPH`], which `$shapesGraph` names, loaded only
//!   when a query mentions `$shapesGraph`.
//! - `sh:message` templates: `{$name}` and `{?name}` are replaced by the
//!   value of that variable in the solution (or of the parameter).
//!
//! Anything else of the SHACL Advanced Features (rules, SPARQL functions and
//! targets, expressions, SHACL-JS) is refused by [`super::well_formed`].

use super::graph::{Graph, Id};
use super::paths::Path;
use super::vocab::sh;
use oxigraph::model::{Literal, NamedNode, Term, Variable};
use spargebra::algebra::GraphPattern;
use spargebra::Query;
use std::collections::{BTreeMap, BTreeSet};

/// The named graph that holds the shapes graph for `$shapesGraph`.
pub const SHAPES_GRAPH: &str = "https://w3id.org/aikg/shapes-graph";

/// A SPARQL-based check of a shape, ready to run.
#[derive(Debug, Clone)]
pub struct SparqlCheck {
    /// `sh:SPARQLConstraintComponent`, or the IRI of the constraint component.
    pub component: NamedNode,
    /// The `sh:sparql` node of a SPARQL-based constraint (its
    /// sh:sourceConstraint).
    pub constraint: Option<Term>,
    /// An ASK validator (false: a result per value node), or a SELECT
    /// (a result per solution).
    pub ask: bool,
    pub query: Query,
    /// The pre-bound variables the query mentions (`this`, `value`,
    /// `shapesGraph`, `currentShape`, parameters): those given a value.
    pub mentioned: Vec<String>,
    /// The values of the component's parameters, by variable name.
    pub parameters: Vec<(Variable, Term)>,
    /// sh:message templates.
    pub messages: Vec<Term>,
}

/// A SPARQL-based constraint component declared in the shapes graph.
pub struct Component {
    pub iri: NamedNode,
    /// (parameter path, optional).
    pub parameters: Vec<(Id, bool)>,
    /// The validators for node and property shapes.
    pub node_validator: Option<Validator>,
    pub property_validator: Option<Validator>,
}

/// A query of the shapes graph, as written, with what it is parsed with.
#[derive(Debug, Clone)]
pub struct Validator {
    pub text: String,
    /// The prefixes the parser knows before the query's own PREFIX lines
    /// (given to the parser, not pasted before the text, so that a syntax
    /// error's line and column are those of the query as written).
    pub prefixes: Vec<(String, String)>,
    /// An ASK query (false: a SELECT).
    pub ask: bool,
    /// sh:message templates.
    pub messages: Vec<Term>,
}

fn objects(g: &Graph, s: Id, p: &str) -> Vec<Id> {
    g.iri_id(p)
        .map(|p| g.objects(s, p).to_vec())
        .unwrap_or_default()
}

fn string(g: &Graph, id: Id) -> Option<String> {
    match g.term(id) {
        Term::Literal(l) => Some(l.value().to_string()),
        _ => None,
    }
}

fn messages(g: &Graph, node: Id) -> Vec<Term> {
    objects(g, node, sh::MESSAGE)
        .into_iter()
        .map(|m| g.term(m).clone())
        .collect()
}

/// Prefixes every query may use without declaring them (as pySHACL's
/// rdflib and TopBraid do, and as aikg's own queries): an `sh:declare` of
/// the same prefix wins.
const PREDECLARED: &[(&str, &str)] = &[
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("sh", "http://www.w3.org/ns/shacl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// The prefixes the documents of a shapes graph declare themselves
/// (Turtle's `@prefix`): the fallback of a query's prefixes after the
/// query's own `PREFIX` and its `sh:prefixes`. SHACL (5.2.1) names only
/// `sh:prefixes`; TopBraid (the shapes graph's Jena prefix map) and pySHACL
/// (rdflib's namespace manager) also read the file's own prefixes, and
/// TopQuadrant's DASH case `sparql/node/prefixes-001` expects it. A prefix
/// that two documents declare with different namespaces is no fallback:
/// the query must declare it.
#[derive(Debug, Clone, Default)]
pub struct DocumentPrefixes {
    namespaces: BTreeMap<String, BTreeSet<String>>,
}

impl DocumentPrefixes {
    /// Records that a document declares `prefix` as `namespace`.
    pub fn add(&mut self, prefix: &str, namespace: &str) {
        self.namespaces
            .entry(prefix.to_string())
            .or_default()
            .insert(namespace.to_string());
    }

    pub fn is_empty(&self) -> bool {
        self.namespaces.is_empty()
    }

    /// The prefixes declared with one namespace.
    fn unambiguous(&self) -> impl Iterator<Item = (&str, &str)> {
        self.namespaces.iter().filter_map(|(prefix, namespaces)| {
            let mut namespaces = namespaces.iter();
            match (namespaces.next(), namespaces.next()) {
                (Some(namespace), None) => Some((prefix.as_str(), namespace.as_str())),
                _ => None,
            }
        })
    }

    /// `error` (a query of text `text` that could not be compiled), with
    /// the prefixes it uses that the documents declare with different
    /// namespaces: which one it meant is for the query to say.
    fn explain(&self, error: String, text: &str) -> String {
        let ambiguous: Vec<String> = self
            .namespaces
            .iter()
            .filter(|(prefix, namespaces)| {
                namespaces.len() > 1 && text.contains(&format!("{prefix}:"))
            })
            .map(|(prefix, namespaces)| {
                let namespaces: Vec<String> =
                    namespaces.iter().map(|n| format!("<{n}>")).collect();
                format!(
                    "the shapes files declare the prefix {prefix}: as {}, so it is not used: declare it in the query or with sh:prefixes/sh:declare",
                    namespaces.join(" and as ")
                )
            })
            .collect();
        if ambiguous.is_empty() {
            error
        } else {
            format!("{error} ({})", ambiguous.join("; "))
        }
    }
}

/// The PREFIX declarations of a query node: the `sh:declare` of each value
/// of its `sh:prefixes` and of what that imports (`owl:imports`,
/// transitively, within the shapes graph); then, for the prefixes these do
/// not declare, the shapes documents' own ([`DocumentPrefixes`]) and the
/// [`PREDECLARED`] ones.
fn prefixes(g: &Graph, node: Id) -> Result<Vec<(String, String)>, String> {
    let mut declared: Vec<(String, String)> = Vec::new();
    let mut sources = objects(g, node, &format!("{}prefixes", sh::NS));
    let mut i = 0;
    while i < sources.len() {
        for imported in objects(g, sources[i], "http://www.w3.org/2002/07/owl#imports") {
            if !sources.contains(&imported) {
                sources.push(imported);
            }
        }
        i += 1;
    }
    for source in sources {
        for declaration in objects(g, source, &format!("{}declare", sh::NS)) {
            let prefix = objects(g, declaration, &format!("{}prefix", sh::NS));
            let namespace = objects(g, declaration, &format!("{}namespace", sh::NS));
            let (Some(&p), Some(&n)) = (prefix.first(), namespace.first()) else {
                return Err("an sh:declare without sh:prefix and sh:namespace".into());
            };
            let (p, n) = (
                string(g, p).ok_or("sh:prefix must be a literal")?,
                string(g, n).ok_or("sh:namespace must be a literal")?,
            );
            match declared.iter().find(|(q, _)| *q == p) {
                Some((_, m)) if *m != n => {
                    return Err(format!(
                        "the prefix {p:?} is declared twice, as {m} and as {n}"
                    ))
                }
                Some(_) => {}
                None => declared.push((p, n)),
            }
        }
    }
    let fallbacks = g.document_prefixes().unambiguous().chain(
        PREDECLARED
            .iter()
            .filter(|(p, _)| !g.document_prefixes().namespaces.contains_key(*p))
            .copied(),
    );
    for (p, n) in fallbacks {
        if !declared.iter().any(|(q, _)| q == p) {
            declared.push((p.to_string(), n.to_string()));
        }
    }
    declared.sort();
    Ok(declared)
}

/// Does the query text mention `$name` or `?name`?
fn mentions(text: &str, name: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices(name).any(|(i, _)| {
        let before = i > 0 && matches!(bytes[i - 1], b'$' | b'?');
        let after = bytes
            .get(i + name.len())
            .is_none_or(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80));
        before && after
    })
}

/// The parameters' variable name: the local name of the parameter's path.
pub fn parameter_name(iri: &str) -> &str {
    iri.rsplit(['#', '/', ':']).next().unwrap_or(iri)
}

/// Parses a query of the shapes graph and checks what pre-binding allows.
/// `prebound`: the variables given values (besides `shapesGraph` and
/// `currentShape`, which sub-queries need not return).
fn parse(validator: &Validator, path: Option<&Path>, prebound: &[&str]) -> Result<Query, String> {
    let (text, ask) = (&validator.text, validator.ask);
    let text = if text.contains("$PATH") {
        let path = path.ok_or("the query uses $PATH, which only a property shape has")?;
        text.replace("$PATH", &path.to_sparql())
    } else {
        text.to_string()
    };
    let mut parser = spargebra::SparqlParser::new();
    for (prefix, namespace) in &validator.prefixes {
        parser = parser.with_prefix(prefix, namespace).map_err(|e| {
            format!("the namespace {namespace:?} of the prefix {prefix:?} is not an IRI ({e})")
        })?;
    }
    let mut query = parser.parse_query(&text).map_err(|e| {
        let e = e.to_string();
        // spargebra lists every character it expected; an undeclared
        // prefix is among them.
        match e.split_once(": expected") {
            Some((at, expected)) if expected.contains("Prefix not found") => format!(
                "the SPARQL query does not parse: {at}: a prefix is not declared (declare it with PREFIX in the query, or with sh:prefixes and sh:declare)"
            ),
            _ => format!("the SPARQL query does not parse: {e}"),
        }
    })?;
    let pattern = match &mut query {
        Query::Select { pattern, .. } if !ask => pattern,
        Query::Ask { pattern, .. } if ask => pattern,
        _ => {
            return Err(format!(
                "the query must be {}",
                if ask {
                    "an ASK query (sh:ask)"
                } else {
                    "a SELECT query (sh:select)"
                }
            ))
        }
    };
    let mentioned: Vec<&str> = prebound
        .iter()
        .copied()
        .filter(|v| mentions(&text, v))
        .collect();
    // The outer projection (below DISTINCT, ORDER BY, LIMIT) returns the
    // pre-bound variables, so that their values reach the pattern.
    let mut top = &mut *pattern;
    while let GraphPattern::Distinct { inner }
    | GraphPattern::Reduced { inner }
    | GraphPattern::Slice { inner, .. }
    | GraphPattern::OrderBy { inner, .. } = top
    {
        top = inner;
    }
    let inner = match top {
        GraphPattern::Project { inner, variables } => {
            for v in mentioned
                .iter()
                .chain(["shapesGraph", "currentShape"].iter())
                .filter(|v| mentions(&text, v))
            {
                let v = Variable::new_unchecked(*v);
                if !variables.contains(&v) {
                    variables.push(v);
                }
            }
            &**inner
        }
        other => &*other,
    };
    forbidden(inner, &mentioned)?;
    Ok(query)
}

/// The SPARQL that SHACL forbids with pre-bound variables (5.2.1).
fn forbidden(pattern: &GraphPattern, prebound: &[&str]) -> Result<(), String> {
    let refuse = |what: &str| {
        Err(format!(
            "the query uses {what}, which SHACL forbids in queries with pre-bound variables (SHACL 5.2.1)"
        ))
    };
    match pattern {
        GraphPattern::Minus { .. } => refuse("MINUS"),
        GraphPattern::Service { .. } => refuse("SERVICE"),
        GraphPattern::Values { .. } => refuse("VALUES"),
        GraphPattern::Extend {
            inner, variable, ..
        } => {
            if prebound.contains(&variable.as_str()) {
                return refuse(&format!(
                    "(… AS ?{}) on a pre-bound variable",
                    variable.as_str()
                ));
            }
            forbidden(inner, prebound)
        }
        GraphPattern::Project { inner, variables } => {
            for v in prebound {
                if !variables.iter().any(|x| x.as_str() == *v) {
                    return refuse(&format!("a sub-query that does not return ?{v}"));
                }
            }
            forbidden(inner, prebound)
        }
        GraphPattern::Join { left, right }
        | GraphPattern::LeftJoin { left, right, .. }
        | GraphPattern::Union { left, right } => {
            forbidden(left, prebound)?;
            forbidden(right, prebound)
        }
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Graph { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Group { inner, .. } => forbidden(inner, prebound),
        _ => Ok(()),
    }
}

fn check(
    g: &Graph,
    component: NamedNode,
    constraint: Option<Term>,
    validator: &Validator,
    path: Option<&Path>,
    parameters: Vec<(Variable, Term)>,
) -> Result<SparqlCheck, String> {
    let mut prebound = vec!["this"];
    if validator.ask {
        prebound.push("value");
    }
    prebound.extend(parameters.iter().map(|(v, _)| v.as_str()));
    let query = parse(validator, path, &prebound)
        .map_err(|e| g.document_prefixes().explain(e, &validator.text))?;
    Ok(SparqlCheck {
        component,
        constraint,
        ask: validator.ask,
        query,
        mentioned: prebound
            .iter()
            .chain(["shapesGraph", "currentShape"].iter())
            .filter(|v| mentions(&validator.text, v))
            .map(|v| v.to_string())
            .collect(),
        parameters,
        messages: validator.messages.clone(),
    })
}

/// The SPARQL-based constraint at `node` (a value of `sh:sparql`), or
/// `None` if it is deactivated.
pub fn constraint(g: &Graph, node: Id, path: Option<&Path>) -> Result<Option<SparqlCheck>, String> {
    let deactivated = objects(g, node, sh::DEACTIVATED)
        .iter()
        .any(|&d| string(g, d).as_deref() == Some("true"));
    if deactivated {
        return Ok(None);
    }
    let select = objects(g, node, &format!("{}select", sh::NS));
    let [select] = select.as_slice() else {
        return Err("a SPARQL-based constraint has exactly one sh:select".into());
    };
    let validator = Validator {
        text: string(g, *select).ok_or("sh:select must be a literal")?,
        prefixes: prefixes(g, node)?,
        ask: false,
        messages: messages(g, node),
    };
    check(
        g,
        NamedNode::new_unchecked(format!("{}SPARQLConstraintComponent", sh::NS)),
        Some(g.term(node).clone()),
        &validator,
        path,
        Vec::new(),
    )
    .map(Some)
}

/// The SPARQL-based constraint components of the shapes graph: SHACL
/// instances of sh:ConstraintComponent with parameters and a validator.
pub fn components(g: &Graph) -> Result<Vec<Component>, String> {
    let Some(class) = g.iri_id(&format!("{}ConstraintComponent", sh::NS)) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for c in g.instances(class) {
        let Term::NamedNode(iri) = g.term(c) else {
            return Err("a constraint component must be an IRI".into());
        };
        if iri.as_str().starts_with(sh::NS) {
            continue; // SHACL Core's own
        }
        let mut parameters = Vec::new();
        for p in objects(g, c, &format!("{}parameter", sh::NS)) {
            let paths = objects(g, p, sh::PATH);
            let [path] = paths.as_slice() else {
                return Err(format!("a parameter of {iri} has no single sh:path"));
            };
            if !matches!(g.term(*path), Term::NamedNode(_)) {
                return Err(format!(
                    "the sh:path of a parameter of {iri} must be an IRI"
                ));
            }
            let optional = objects(g, p, &format!("{}optional", sh::NS))
                .iter()
                .any(|&o| string(g, o).as_deref() == Some("true"));
            parameters.push((*path, optional));
        }
        let validator = |p: &str| -> Result<Option<Validator>, String> {
            let Some(&v) = objects(g, c, &format!("{}{p}", sh::NS)).first() else {
                return Ok(None);
            };
            let ask = objects(g, v, &format!("{}ask", sh::NS));
            let select = objects(g, v, &format!("{}select", sh::NS));
            let (text, is_ask) = match (ask.first(), select.first()) {
                (Some(&a), None) => (string(g, a), true),
                (None, Some(&s)) => (string(g, s), false),
                _ => {
                    return Err(format!(
                        "the {p} of {iri} needs one sh:ask or one sh:select"
                    ))
                }
            };
            let text = text.ok_or("a SPARQL query must be a literal")?;
            let mut m = messages(g, v);
            if m.is_empty() {
                m = messages(g, c);
            }
            Ok(Some(Validator {
                text,
                prefixes: prefixes(g, v)?,
                ask: is_ask,
                messages: m,
            }))
        };
        let any = validator("validator")?;
        let node_validator = validator("nodeValidator")?.or_else(|| any.clone());
        let property_validator = validator("propertyValidator")?.or(any);
        out.push(Component {
            iri: iri.clone(),
            parameters,
            node_validator,
            property_validator,
        });
    }
    Ok(out)
}

/// The checks that shape `shape` (with `path`, if a property shape) gets
/// from `component`: one per combination of its parameters' values; none
/// if the shape lacks a mandatory parameter or the component has no
/// validator for this kind of shape (SHACL 6.2, 6.3).
pub fn component_checks(
    g: &Graph,
    component: &Component,
    shape: Id,
    path: Option<&Path>,
) -> Result<Vec<SparqlCheck>, String> {
    let mut combinations: Vec<Vec<(Variable, Term)>> = vec![Vec::new()];
    for &(p, optional) in &component.parameters {
        let values = g.objects(shape, p);
        if values.is_empty() {
            if optional {
                continue;
            }
            return Ok(Vec::new());
        }
        let name = Variable::new_unchecked(parameter_name(g.named(p).expect("an IRI").as_str()));
        let mut next = Vec::new();
        for c in &combinations {
            for &v in values {
                let mut c = c.clone();
                c.push((name.clone(), g.term(v).clone()));
                next.push(c);
            }
        }
        combinations = next;
    }
    if component
        .parameters
        .iter()
        .all(|&(p, _)| g.objects(shape, p).is_empty())
    {
        return Ok(Vec::new());
    }
    let validator = if path.is_some() {
        &component.property_validator
    } else {
        &component.node_validator
    };
    let Some(validator) = validator else {
        return Ok(Vec::new());
    };
    combinations
        .into_iter()
        .map(|parameters| check(g, component.iri.clone(), None, validator, path, parameters))
        .collect()
}

/// `{$name}` and `{?name}` of a message template replaced by the values of
/// `value_of`.
pub fn fill_template(template: &Term, value_of: impl Fn(&str) -> Option<Term>) -> Term {
    let Term::Literal(l) = template else {
        return template.clone();
    };
    let text = l.value();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(['{']) {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let var = after
            .strip_prefix('$')
            .or_else(|| after.strip_prefix('?'))
            .and_then(|a| a.find('}').map(|end| &a[..end]));
        match var.and_then(|v| value_of(v).map(|t| (v, t))) {
            Some((v, t)) => {
                out.push_str(&match t {
                    Term::Literal(l) => l.value().to_string(),
                    Term::NamedNode(n) => n.as_str().to_string(),
                    other => other.to_string(),
                });
                rest = &after[1 + v.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    match l.language() {
        Some(lang) => Literal::new_language_tagged_literal_unchecked(out, lang).into(),
        None => Literal::new_simple_literal(out).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_finds_whole_variable_names() {
        assert!(mentions("SELECT $this WHERE { $this ?p ?o }", "this"));
        assert!(!mentions("SELECT ?thisOne WHERE { }", "this"));
        assert!(!mentions(
            "SELECT ?x WHERE { <http://e/this> ?p ?o }",
            "this"
        ));
    }

    fn select(text: &str) -> Validator {
        Validator {
            text: text.into(),
            prefixes: Vec::new(),
            ask: false,
            messages: Vec::new(),
        }
    }

    #[test]
    fn forbidden_queries_are_refused() {
        let refuse = |q: &str| parse(&select(q), None, &["this"]).unwrap_err();
        assert!(
            refuse("SELECT $this WHERE { $this ?x ?a MINUS { $this ?x 1 } }").contains("MINUS")
        );
        assert!(refuse("SELECT $this WHERE { VALUES ?a { 1 } }").contains("VALUES"));
        assert!(refuse("SELECT $this WHERE { BIND (1 AS $this) }").contains("AS ?this"));
        assert!(
            refuse("SELECT $this WHERE { $this ?x ?a . { SELECT ?o WHERE { ?o ?b ?c } } }")
                .contains("sub-query")
        );
        assert!(parse(
            &select("SELECT ?value WHERE { $this <http://e/p> ?value }"),
            None,
            &["this"]
        )
        .is_ok());
    }

    #[test]
    fn templates_take_the_values_of_variables() {
        let t = Term::from(Literal::new_simple_literal(
            "{$this} has {?n} values, not {?missing}",
        ));
        let filled = fill_template(&t, |v| match v {
            "this" => Some(NamedNode::new_unchecked("http://e/x").into()),
            "n" => Some(Literal::from(3).into()),
            _ => None,
        });
        assert_eq!(
            filled,
            Term::from(Literal::new_simple_literal(
                "http://e/x has 3 values, not {?missing}"
            ))
        );
    }
}
