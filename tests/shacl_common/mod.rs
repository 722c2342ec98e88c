//! Helpers shared by the SHACL test files: reading a `sh:ValidationReport`
//! into comparable keys, and running the `aikg` binary.
#![allow(dead_code)] // each test file uses a part

use aikg::shacl::graph::{Graph, Id};
use aikg::shacl::paths::Path as ShPath;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Quad, Term};

pub const SH: &str = "http://www.w3.org/ns/shacl#";
pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

pub fn aikg() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("aikg").unwrap()
}

/// A result as the W3C suite compares it: focus node, path, value, source
/// shape, constraint component, severity (messages are not compared).
pub type Key = (Term, Option<ShPath>, Option<Term>, Term, Term, Term);

pub fn parse_turtle(bytes: &[u8], base: Option<&str>) -> Vec<Quad> {
    let mut parser = RdfParser::from_format(RdfFormat::Turtle);
    if let Some(base) = base {
        parser = parser.with_base_iri(base).unwrap();
    }
    parser
        .for_slice(bytes)
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("not Turtle ({e}): {}", String::from_utf8_lossy(bytes)))
}

pub fn graph_of(quads: &[Quad]) -> Graph {
    Graph::from_quads(quads.iter().map(|q| q.as_ref()))
}

pub fn one(g: &Graph, s: Id, p: &str) -> Option<Id> {
    g.iri_id(p).and_then(|p| g.object(s, p))
}

pub fn all(g: &Graph, s: Id, p: &str) -> Vec<Id> {
    g.iri_id(p)
        .map(|p| g.objects(s, p).to_vec())
        .unwrap_or_default()
}

/// The conforms flag and the results of the report `report` of graph `g`.
pub fn report_of(g: &Graph, report: Id) -> (bool, Vec<Key>) {
    let conforms = matches!(
        one(g, report, &format!("{SH}conforms")).map(|c| g.term(c)),
        Some(Term::Literal(l)) if l.value() == "true"
    );
    let mut results = Vec::new();
    for r in all(g, report, &format!("{SH}result")) {
        let t = |p: &str| one(g, r, &format!("{SH}{p}")).map(|i| g.term(i).clone());
        let path = one(g, r, &format!("{SH}resultPath"))
            .map(|p| ShPath::parse(g, p).expect("a valid result path"));
        results.push((
            t("focusNode").expect("sh:focusNode"),
            path,
            t("value"),
            t("sourceShape").expect("sh:sourceShape"),
            t("sourceConstraintComponent").expect("sh:sourceConstraintComponent"),
            t("resultSeverity").expect("sh:resultSeverity"),
        ));
    }
    (conforms, results)
}

/// The one `sh:ValidationReport` of a Turtle document.
pub fn turtle_report(bytes: &[u8]) -> (bool, Vec<Key>) {
    let g = graph_of(&parse_turtle(bytes, None));
    let class = g
        .iri_id(&format!("{SH}ValidationReport"))
        .expect("a sh:ValidationReport");
    let reports: Vec<Id> = g.subjects(g.iri_id(RDF_TYPE).unwrap(), class).to_vec();
    assert_eq!(reports.len(), 1, "one sh:ValidationReport");
    report_of(&g, reports[0])
}

/// Blank nodes of two documents cannot be matched by label: compare them
/// as "some blank node".
pub fn without_blank_labels(keys: &[Key]) -> Vec<String> {
    let t = |t: &Term| match t {
        Term::BlankNode(_) => "_:".to_string(),
        other => other.to_string(),
    };
    let mut out: Vec<String> = keys
        .iter()
        .map(|(focus, path, value, shape, component, severity)| {
            format!(
                "{} | {} | {} | {} | {} | {}",
                t(focus),
                path.as_ref().map(|p| p.to_string()).unwrap_or_default(),
                value.as_ref().map(t).unwrap_or_default(),
                t(shape),
                t(component),
                t(severity)
            )
        })
        .collect();
    out.sort();
    out
}

/// Sorts keys so that two multisets compare with `==`.
pub fn sorted(mut v: Vec<Key>) -> Vec<Key> {
    v.sort_by_cached_key(|k| format!("{k:?}"));
    v
}

/// Compares a report with the expected conforms flag and results, as the
/// W3C and DASH suites do; `Err` says what differs.
pub fn compare(
    report: &aikg::shacl::ValidationReport,
    conforms: bool,
    expected: Vec<Key>,
) -> Result<(), String> {
    let actual: Vec<Key> = report
        .results
        .iter()
        .map(|r| {
            (
                r.focus.clone(),
                r.path.clone(),
                r.value.clone(),
                r.source_shape.clone(),
                r.component.clone().into(),
                r.severity.clone().into(),
            )
        })
        .collect();
    let (actual, expected) = (sorted(actual), sorted(expected));
    if report.conforms() != conforms {
        return Err(format!(
            "conforms: expected {conforms}, got {}",
            report.conforms()
        ));
    }
    if actual != expected {
        let missing: Vec<_> = expected.iter().filter(|e| !actual.contains(e)).collect();
        let extra: Vec<_> = actual.iter().filter(|a| !expected.contains(a)).collect();
        return Err(format!(
            "{} results, expected {}\n    missing: {missing:?}\n    unexpected: {extra:?}",
            actual.len(),
            expected.len()
        ));
    }
    Ok(())
}
