//! Is a shapes graph well-formed? Checked before any validation, so that a
//! broken shapes graph is an error rather than a silent "conforms":
//!
//! - against SHACL for SHACL (`shsh.ttl`, the spec's appendix C), which
//!   covers the syntax rules a shapes graph can express about itself (a
//!   property shape without `sh:path`, two `sh:path`, `sh:minCount "many"`,
//!   a malformed list...);
//! - every IRI of the `sh:` namespace is a term of the SHACL vocabulary
//!   (`sh:paht` is a typo, with "did you mean sh:path?");
//! - every IRI used as a shape (`sh:node`, `sh:property`, `sh:not`,
//!   `sh:qualifiedValueShape`, the members of `sh:and`, `sh:or`, `sh:xone`)
//!   is described in the shapes graph: an IRI it says nothing about is a
//!   shape without constraints, which every node conforms to — a typo or a
//!   missing file.
//!
//! Problems come back as validation results on the shapes graph (focus
//! node, path, value), so that the CLI locates them at file:line:col.

use super::graph::{Graph, GraphBuilder, Id, RDFS_SUBCLASSOF};
use super::ontology_checks::{closest, CHECK_NS};
use super::paths::Path;
use super::report::ValidationResult;
use super::shapes::Schema;
use super::vocab::sh;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Term};
use std::sync::OnceLock;

/// The shapes graph of SHACL for SHACL.
const SHSH: &str = include_str!("shsh.ttl");

const OWL_CLASS: &str = "http://www.w3.org/2002/07/owl#Class";
const RDFS_CLASS: &str = "http://www.w3.org/2000/01/rdf-schema#Class";

fn shsh() -> &'static Graph {
    static GRAPH: OnceLock<Graph> = OnceLock::new();
    GRAPH.get_or_init(|| {
        let quads = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(SHSH.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .expect("shsh.ttl is valid Turtle (a unit test reads it)");
        Graph::from_quads(quads.iter().map(|q| q.as_ref()))
    })
}

/// Every problem of the shapes graph `shapes`, as validation results whose
/// focus node, path and value point at the triple at fault.
pub fn check(shapes: &Graph) -> Vec<ValidationResult> {
    let mut out = against_shsh(shapes);
    out.extend(unknown_terms(shapes));
    out.extend(undescribed_shapes(shapes));
    out.extend(unsupported(shapes));
    out
}

/// Terms of SHACL Advanced Features and SHACL-JS that aikg does not
/// implement: refused rather than skipped.
const UNSUPPORTED_PREDICATES: &[&str] = &[
    "rule",
    "target",
    "expression",
    "js",
    "jsLibrary",
    "jsFunctionName",
    "condition",
    "filterShape",
    "intersection",
    "union",
    "nodes",
    "entailment",
];
const UNSUPPORTED_CLASSES: &[&str] = &[
    "SPARQLFunction",
    "SPARQLTarget",
    "SPARQLTargetType",
    "SPARQLRule",
    "TripleRule",
    "JSConstraint",
    "JSConstraintComponent",
    "JSFunction",
    "JSTarget",
    "JSTargetType",
    "JSRule",
    "JSValidator",
];

/// Features of SHACL aikg does not implement, in the shapes graph.
fn unsupported(g: &Graph) -> Vec<ValidationResult> {
    let shapes = shape_nodes(g);
    let rdf_type = g.rdf_type();
    let mut out = Vec::new();
    for [s, p, o] in g.triples() {
        let local = |t: Id| {
            g.named(t)
                .and_then(|n| n.as_str().strip_prefix(sh::NS))
                .unwrap_or_default()
                .to_string()
        };
        let what = if p == rdf_type && UNSUPPORTED_CLASSES.contains(&local(o).as_str()) {
            format!("sh:{}", local(o))
        } else if shapes.contains(&s) && UNSUPPORTED_PREDICATES.contains(&local(p).as_str()) {
            format!("sh:{}", local(p))
        } else {
            continue;
        };
        let Term::NamedNode(predicate) = g.term(p) else {
            continue;
        };
        out.push(problem(
            "Unsupported",
            g.term(s),
            Some(predicate),
            Some(g.term(o)),
            format!("aikg does not implement {what} (SHACL Advanced Features or SHACL-JS): it would be skipped"),
            Some("remove it, or validate with a processor that implements it".into()),
        ));
    }
    out
}

/// The problems as one line each, for an error message.
pub fn describe(problems: &[ValidationResult]) -> String {
    problems
        .iter()
        .map(|r| {
            let mut line = super::vocab::term_short(&r.focus);
            if let Some(p) = &r.path {
                line.push_str(&format!(" {p}"));
            }
            line.push_str(&format!(": {}", r.constraint));
            if let Some(v) = &r.value {
                line.push_str(&format!("; value: {}", super::vocab::term_short(v)));
            }
            for m in &r.messages {
                if let Term::Literal(l) = m {
                    line.push_str(&format!(" ({})", l.value()));
                }
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn against_shsh(shapes: &Graph) -> Vec<ValidationResult> {
    let mut data = copy_with(shapes, &[(OWL_CLASS, RDFS_SUBCLASSOF, RDFS_CLASS)]);
    let schema = match Schema::compile(shsh(), &mut data) {
        Ok(schema) => schema,
        Err(e) => unreachable!("shsh.ttl compiles (a unit test checks it): {e}"),
    };
    let mut report = match super::run(&mut data, &schema) {
        Ok(report) => report,
        Err(e) => unreachable!("shsh has no SPARQL, so no failure: {e}"),
    };
    for r in &mut report.results {
        r.messages = vec![Literal::new_simple_literal(
            "a syntax rule of SHACL (the spec's appendix C, SHACL for SHACL)",
        )
        .into()];
    }
    report.results
}

/// A copy of `g` with some more triples of IRIs.
fn copy_with(g: &Graph, extra: &[(&str, &str, &str)]) -> Graph {
    let mut b = GraphBuilder::new();
    let ids: Vec<Id> = (0..g.len_terms() as Id)
        .map(|i| b.intern(g.term(i).as_ref()))
        .collect();
    for [s, p, o] in g.triples() {
        b.push([ids[s as usize], ids[p as usize], ids[o as usize]]);
    }
    for (s, p, o) in extra {
        let [s, p, o] = [s, p, o].map(|i| b.intern(NamedNodeRef::new_unchecked(i).into()));
        b.push([s, p, o]);
    }
    b.build()
}

fn problem(
    check: &str,
    focus: &Term,
    path: Option<&NamedNode>,
    value: Option<&Term>,
    constraint: String,
    advice: Option<String>,
) -> ValidationResult {
    let iri = NamedNode::new_unchecked(format!("{CHECK_NS}{check}"));
    ValidationResult {
        focus: focus.clone(),
        path: path.map(|p| Path::Predicate(p.clone())),
        value: value.cloned(),
        source_shape: iri.clone().into(),
        component: iri,
        severity: NamedNode::new_unchecked(sh::VIOLATION),
        messages: advice
            .map(|a| Term::from(Literal::new_simple_literal(a)))
            .into_iter()
            .collect(),
        constraint,
        source_constraint: None,
    }
}

/// The nodes a shapes graph makes shapes (SHACL 2.1): instances of
/// sh:NodeShape and sh:PropertyShape, subjects of a target, of a
/// constraint parameter or of sh:path, values of the parameters that take
/// shapes and members of sh:and, sh:or, sh:xone. A file that holds data
/// and shapes together (as the W3C and DASH tests do) has other subjects:
/// their sh: terms are data.
fn shape_nodes(g: &Graph) -> rustc_hash::FxHashSet<Id> {
    let mut shapes = rustc_hash::FxHashSet::default();
    for class in [sh::NODE_SHAPE, sh::PROPERTY_SHAPE] {
        if let Some(c) = g.iri_id(class) {
            shapes.extend(g.instances(c));
        }
    }
    for p in g.predicates() {
        let Some(local) = g.named(p).and_then(|n| n.as_str().strip_prefix(sh::NS)) else {
            continue;
        };
        let subject = local.starts_with("target")
            || local == "path"
            || super::shapes::PARAMETERS.contains(&local);
        let object = matches!(local, "node" | "property" | "not" | "qualifiedValueShape");
        let members = matches!(local, "and" | "or" | "xone");
        for (s, o) in g.pairs_with_predicate(p) {
            if subject {
                shapes.insert(s);
            }
            if object {
                shapes.insert(o);
            }
            if members {
                shapes.extend(g.list(o).unwrap_or_default());
            }
        }
    }
    shapes
}

/// IRIs of the sh: namespace that SHACL does not define, in the triples of
/// shapes.
fn unknown_terms(g: &Graph) -> Vec<ValidationResult> {
    let shapes = shape_nodes(g);
    let unknown = |t: &Term| match t {
        Term::NamedNode(n) => n
            .as_str()
            .strip_prefix(sh::NS)
            .filter(|local| !local.is_empty() && !sh::TERMS.contains(local))
            .map(str::to_string),
        _ => None,
    };
    let mut out = Vec::new();
    let rdf_type = g.rdf_type();
    for [s, p, o] in g.triples() {
        if !shapes.contains(&s) {
            continue;
        }
        // An unknown class among a shape's types changes nothing (DASH's
        // sparql-002 has `a sh:SPARQLConstraintObject`, a 2016 draft term);
        // an unknown predicate or value does.
        let checked: &[Id] = if p == rdf_type { &[s, p] } else { &[s, p, o] };
        let (s, p, o) = (g.term(s), g.term(p), g.term(o));
        for t in checked.iter().map(|&t| g.term(t)) {
            let Some(local) = unknown(t) else { continue };
            let advice =
                closest(&local, sh::TERMS.iter().copied()).map(|d| format!("did you mean sh:{d}?"));
            let Term::NamedNode(predicate) = p else {
                continue;
            };
            out.push(problem(
                "UnknownShaclTerm",
                s,
                Some(predicate),
                Some(o),
                format!("sh:{local} is not a term of SHACL"),
                advice,
            ));
        }
    }
    out
}

/// IRIs used as shapes that the shapes graph says nothing about.
fn undescribed_shapes(g: &Graph) -> Vec<ValidationResult> {
    let described = |n: Id| g.outgoing(n).next().is_some();
    let mut out = Vec::new();
    let mut report = |shape: Id, predicate: &str, used: Id| {
        if matches!(g.term(used), Term::NamedNode(_)) && !described(used) {
            out.push(problem(
                "UndescribedShape",
                g.term(shape),
                Some(&NamedNode::new_unchecked(predicate)),
                Some(g.term(used)),
                format!(
                    "{} is used as a shape, but the shapes graph says nothing about it",
                    super::vocab::term_short(g.term(used))
                ),
                Some("a typo, or a shapes file missing from the command line?".into()),
            ));
        }
    };
    for predicate in [sh::NODE, sh::PROPERTY, sh::NOT, sh::QUALIFIED_VALUE_SHAPE] {
        let Some(p) = g.iri_id(predicate) else {
            continue;
        };
        for (s, o) in g.pairs_with_predicate(p) {
            report(s, predicate, o);
        }
    }
    for predicate in [sh::AND, sh::OR, sh::XONE] {
        let Some(p) = g.iri_id(predicate) else {
            continue;
        };
        for (s, list) in g.pairs_with_predicate(p) {
            // A malformed list is shsh's to report.
            for member in g.list(list).unwrap_or_default() {
                report(s, predicate, member);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(ttl: &str) -> Graph {
        let text = format!(
            "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n{ttl}"
        );
        let quads = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(text.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        Graph::from_quads(quads.iter().map(|q| q.as_ref()))
    }

    fn components(ttl: &str) -> Vec<String> {
        let mut v: Vec<String> = check(&shapes(ttl))
            .iter()
            .map(|r| {
                let c = r.component.as_str();
                c.rsplit(['#', '/']).next().unwrap().to_string()
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn shsh_compiles_and_a_good_shapes_graph_is_well_formed() {
        assert!(shsh().len_triples() > 400);
        let empty: Vec<String> = Vec::new();
        assert_eq!(
            components(
                "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] ;\n\
                 sh:or ( [ sh:datatype <http://www.w3.org/2001/XMLSchema#string> ] ex:T ) .\n\
                 ex:T a sh:NodeShape ; sh:nodeKind sh:IRI ."
            ),
            empty
        );
        // shsh itself is a well-formed shapes graph.
        assert_eq!(check(shsh()).len(), 0, "{}", describe(&check(shsh())));
    }

    #[test]
    fn advanced_features_are_refused_not_skipped() {
        assert_eq!(
            components("ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate ex:p ; sh:object 1 ] ."),
            vec!["Unsupported", "Unsupported"]
        );
        assert_eq!(
            components("ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select \"SELECT ?this WHERE { ?this ?p ?o }\" ] ; sh:class ex:C ."),
            vec!["Unsupported", "Unsupported"]
        );
    }

    #[test]
    fn sh_terms_of_data_in_the_same_file_are_data() {
        // DASH's qualifiedValueShape-001 has `ex:Observation1 sh:nodeShape ...`
        // in its data (a term of a 2016 draft).
        let empty: Vec<String> = Vec::new();
        assert_eq!(
            components("ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:class ex:C .\nex:x sh:nodeShape ex:S ."),
            empty
        );
        assert_eq!(
            components("ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:clas ex:C ."),
            vec!["UnknownShaclTerm"]
        );
    }

    #[test]
    fn the_four_broken_shapes_graphs_of_issue_17() {
        // A typo: sh:paht (the property shape then has no path either).
        let typo = check(&shapes(
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:paht ex:p ; sh:minCount 1 ] .",
        ));
        let unknown: Vec<_> = typo
            .iter()
            .filter(|r| r.component.as_str().ends_with("UnknownShaclTerm"))
            .collect();
        assert_eq!(unknown.len(), 1);
        assert_eq!(
            unknown[0].messages,
            vec![Term::from(Literal::new_simple_literal(
                "did you mean sh:path?"
            ))]
        );
        assert!(typo
            .iter()
            .any(|r| r.component.as_str() == sh::NS.to_owned() + "MinCountConstraintComponent"));
        // A property shape without a path.
        assert_eq!(
            components(
                "ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property [ sh:minCount 1 ] ."
            ),
            // No path; and so neither a node shape (with sh:minCount) nor a
            // property shape.
            vec!["MinCountConstraintComponent", "XoneConstraintComponent"]
        );
        // sh:property (and sh:node) pointing at a shape that is not there.
        assert_eq!(
            components("ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property ex:Missing ; sh:node ex:Gone ."),
            vec!["MinCountConstraintComponent", "UndescribedShape", "UndescribedShape"]
        );
        // Two paths, and a count that is not an integer.
        assert_eq!(
            components("ex:S a sh:PropertyShape ; sh:targetNode ex:x ; sh:path ex:p , ex:q ; sh:minCount \"many\" ."),
            // Two paths: neither a node shape nor a property shape.
            vec!["DatatypeConstraintComponent", "XoneConstraintComponent"]
        );
    }
}
