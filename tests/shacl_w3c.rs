//! The W3C SHACL Core test suite (`../shared/w3c-shacl/core`, or the folder
//! in `AIKG_W3C_SHACL`): reads `manifest.ttl` and the manifests it includes,
//! runs every `sht:Validate` test and compares the reports as the suite's
//! README says: `sh:conforms`, and the results as a multiset of (focus node,
//! path, value, source shape, constraint component, severity); messages are
//! not compared. Prints "N passed, M failed" and fails if fewer than
//! `MIN_PASSED` pass.

use aikg::shacl::graph::{Graph, Id};
use aikg::shacl::paths::Path as ShPath;
use aikg::shacl::{self};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, Quad, Term};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Tests of the suite that must pass (all 98 Core tests).
const MIN_PASSED: usize = 98;

const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const SHT: &str = "http://www.w3.org/ns/shacl-test#";
const SH: &str = "http://www.w3.org/ns/shacl#";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

fn suite_dir() -> PathBuf {
    match std::env::var_os("AIKG_W3C_SHACL") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/w3c-shacl/core"),
    }
}

/// Files parsed once each, so that a file used as data, shapes and manifest
/// has the same blank nodes in all three roles.
#[derive(Default)]
struct Files {
    parsed: HashMap<PathBuf, Vec<Quad>>,
}

impl Files {
    fn get(&mut self, path: &Path) -> &Vec<Quad> {
        let path = path
            .canonicalize()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        self.parsed.entry(path.clone()).or_insert_with(|| {
            let text = std::fs::read(&path).unwrap();
            let base = format!("file://{}", path.display());
            RdfParser::from_format(RdfFormat::Turtle)
                .with_base_iri(&base)
                .unwrap()
                .for_slice(&text)
                .collect::<Result<Vec<_>, _>>()
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
    }
}

fn iri_to_path(iri: &Term) -> PathBuf {
    match iri {
        Term::NamedNode(n) => {
            PathBuf::from(n.as_str().strip_prefix("file://").expect("a file IRI"))
        }
        other => panic!("expected a file IRI, got {other}"),
    }
}

fn graph_of(quads: &[Quad]) -> Graph {
    Graph::from_quads(quads.iter().map(|q| q.as_ref()))
}

fn id(g: &Graph, iri: &str) -> Option<Id> {
    g.iri_id(iri)
}

fn one(g: &Graph, s: Id, p: &str) -> Option<Id> {
    id(g, p).and_then(|p| g.object(s, p))
}

fn all(g: &Graph, s: Id, p: &str) -> Vec<Id> {
    id(g, p)
        .map(|p| g.objects(s, p).to_vec())
        .unwrap_or_default()
}

struct Test {
    name: String,
    data: PathBuf,
    shapes: PathBuf,
    conforms: bool,
    results: Vec<Key>,
}

/// What a result is compared on.
type Key = (Term, Option<ShPath>, Option<Term>, Term, Term, Term);

fn collect_tests(manifest: &Path, files: &mut Files, tests: &mut Vec<Test>) {
    let quads = files.get(manifest).clone();
    let g = graph_of(&quads);
    let base = Term::from(NamedNode::new_unchecked(format!(
        "file://{}",
        manifest.canonicalize().unwrap().display()
    )));
    let me = g.id(base.as_ref()).expect("the manifest describes <>");
    for inc in all(&g, me, &format!("{MF}include")) {
        collect_tests(&iri_to_path(g.term(inc)), files, tests);
    }
    for list in all(&g, me, &format!("{MF}entries")) {
        for entry in g.list(list).expect("mf:entries is a list") {
            let validate = id(&g, &format!("{SHT}Validate")).unwrap();
            if !g.has(entry, id(&g, RDF_TYPE).unwrap(), validate) {
                continue;
            }
            let action = one(&g, entry, &format!("{MF}action")).unwrap();
            let data = iri_to_path(g.term(one(&g, action, &format!("{SHT}dataGraph")).unwrap()));
            let shapes =
                iri_to_path(g.term(one(&g, action, &format!("{SHT}shapesGraph")).unwrap()));
            let report = one(&g, entry, &format!("{MF}result")).unwrap();
            let conforms = matches!(g.term(one(&g, report, &format!("{SH}conforms")).unwrap()), Term::Literal(l) if l.value() == "true");
            let mut results = Vec::new();
            for r in all(&g, report, &format!("{SH}result")) {
                let t = |p: &str| one(&g, r, &format!("{SH}{p}")).map(|i| g.term(i).clone());
                let path = one(&g, r, &format!("{SH}resultPath"))
                    .map(|p| ShPath::parse(&g, p).expect("a valid result path"));
                results.push((
                    t("focusNode").expect("sh:focusNode"),
                    path,
                    t("value"),
                    t("sourceShape").expect("sh:sourceShape"),
                    t("sourceConstraintComponent").expect("sh:sourceConstraintComponent"),
                    t("resultSeverity").expect("sh:resultSeverity"),
                ));
            }
            tests.push(Test {
                name: format!(
                    "{} ({})",
                    g.term(entry),
                    manifest
                        .parent()
                        .unwrap()
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                ),
                data,
                shapes,
                conforms,
                results,
            });
        }
    }
}

fn sorted(mut v: Vec<Key>) -> Vec<Key> {
    v.sort_by_cached_key(|k| format!("{k:?}"));
    v
}

#[test]
fn w3c_shacl_core_suite() {
    let dir = suite_dir();
    let manifest = dir.join("manifest.ttl");
    assert!(
        manifest.is_file(),
        "the W3C SHACL Core suite is not at {} (set AIKG_W3C_SHACL to its core/ folder)",
        dir.display()
    );
    let mut files = Files::default();
    let mut tests = Vec::new();
    collect_tests(&manifest, &mut files, &mut tests);
    let (mut passed, mut failed) = (0, Vec::new());
    for test in &tests {
        let data = files.get(&test.data).clone();
        let shapes = files.get(&test.shapes).clone();
        let mut dg = graph_of(&data);
        let sg = graph_of(&shapes);
        let outcome = shacl::validate(&mut dg, &sg);
        let verdict = match outcome {
            Err(e) => Err(format!("shapes error: {e}")),
            Ok(report) => {
                let actual: Vec<Key> = report
                    .results
                    .iter()
                    .map(|r| {
                        (
                            r.focus.clone(),
                            r.path.clone(),
                            r.value.clone(),
                            r.source_shape.clone(),
                            Term::from(r.component.clone()),
                            Term::from(r.severity.clone()),
                        )
                    })
                    .collect();
                let (actual, expected) = (sorted(actual), sorted(test.results.clone()));
                if report.conforms() != test.conforms {
                    Err(format!(
                        "conforms: expected {}, got {}",
                        test.conforms,
                        report.conforms()
                    ))
                } else if actual != expected {
                    let missing: Vec<_> = expected.iter().filter(|e| !actual.contains(e)).collect();
                    let extra: Vec<_> = actual.iter().filter(|a| !expected.contains(a)).collect();
                    Err(format!(
                        "{} results, expected {}\n    missing: {missing:?}\n    unexpected: {extra:?}",
                        actual.len(),
                        expected.len()
                    ))
                } else {
                    Ok(())
                }
            }
        };
        match verdict {
            Ok(()) => passed += 1,
            Err(why) => failed.push(format!("FAIL {}: {why}", test.name)),
        }
    }
    for f in &failed {
        println!("{f}");
    }
    println!(
        "W3C SHACL Core: {passed} passed, {} failed ({} tests)",
        failed.len(),
        tests.len()
    );
    assert_eq!(tests.len(), 98, "the suite has 98 sht:Validate tests");
    assert!(
        passed >= MIN_PASSED,
        "{passed} W3C SHACL Core tests passed, fewer than {MIN_PASSED}"
    );
}
