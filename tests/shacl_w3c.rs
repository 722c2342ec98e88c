//! The W3C SHACL test suite (`../shared/w3c-shacl`, or the folder in
//! `AIKG_W3C_SHACL`): reads a `manifest.ttl` and the manifests it
//! includes, runs every `sht:Validate` test and compares the reports as the
//! suite's README says: `sh:conforms`, and the results as a multiset of
//! (focus node, path, value, source shape, constraint component, severity);
//! messages are not compared. A test whose expected result is
//! `sht:Failure` passes when validation is refused with an error. Prints
//! "N passed, M failed" per part and fails if any test fails.

mod shacl_common;

use aikg::shacl;
use oxigraph::model::{NamedNode, Quad, Term};
use shacl_common::{
    aikg, all, compare, graph_of, one, parse_turtle, report_of, turtle_report,
    without_blank_labels, RDF_TYPE,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const SHT: &str = "http://www.w3.org/ns/shacl-test#";

fn suite_dir() -> PathBuf {
    match std::env::var_os("AIKG_W3C_SHACL") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/w3c-shacl"),
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
            parse_turtle(&text, Some(&format!("file://{}", path.display())))
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

/// What a test expects.
enum Expected {
    Report(bool, Vec<shacl_common::Key>),
    Failure,
}

struct Test {
    name: String,
    data: PathBuf,
    shapes: PathBuf,
    expected: Expected,
}

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
            let validate = g.iri_id(&format!("{SHT}Validate")).unwrap();
            if !g.has(entry, g.iri_id(RDF_TYPE).unwrap(), validate) {
                continue;
            }
            let action = one(&g, entry, &format!("{MF}action")).unwrap();
            let file =
                |p: &str| iri_to_path(g.term(one(&g, action, &format!("{SHT}{p}")).unwrap()));
            let result = one(&g, entry, &format!("{MF}result")).unwrap();
            let expected = if g.iri_id(&format!("{SHT}Failure")) == Some(result) {
                Expected::Failure
            } else {
                let (conforms, results) = report_of(&g, result);
                Expected::Report(conforms, results)
            };
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
                data: file("dataGraph"),
                shapes: file("shapesGraph"),
                expected,
            });
        }
    }
}

/// Does the file describe itself as an mf:Manifest?
fn is_manifest(file: &Path, files: &mut Files) -> bool {
    let g = graph_of(files.get(file));
    let me = g.id(Term::from(NamedNode::new_unchecked(format!(
        "file://{}",
        file.display()
    )))
    .as_ref());
    let class = g.iri_id(&format!("{MF}Manifest"));
    matches!((me, class, g.iri_id(RDF_TYPE)), (Some(me), Some(c), Some(t)) if g.has(me, t, c))
}

/// Runs the tests of one part of the suite; returns (passed, tests).
fn run_part(part: &str) -> (usize, usize) {
    let manifest = suite_dir().join(part).join("manifest.ttl");
    assert!(
        manifest.is_file(),
        "the W3C SHACL suite is not at {} (set AIKG_W3C_SHACL to the folder of core/ and sparql/)",
        manifest.display()
    );
    let mut files = Files::default();
    let mut tests = Vec::new();
    collect_tests(&manifest, &mut files, &mut tests);
    // A test file no manifest includes (sparql/component/nodeValidator-001)
    // is run too: each file is a manifest of its own tests.
    let mut others = Vec::new();
    for folder in std::fs::read_dir(manifest.parent().unwrap()).unwrap() {
        let folder = folder.unwrap().path();
        if folder.is_dir() {
            for file in std::fs::read_dir(&folder).unwrap() {
                let file = file.unwrap().path().canonicalize().unwrap();
                let name = file.file_name().unwrap().to_string_lossy().to_string();
                if name.ends_with(".ttl")
                    && name != "manifest.ttl"
                    && !files.parsed.contains_key(&file)
                    && is_manifest(&file, &mut files)
                {
                    others.push(file);
                }
            }
        }
    }
    others.sort();
    for file in others {
        collect_tests(&file, &mut files, &mut tests);
    }
    let mut failed = Vec::new();
    for test in &tests {
        let data = files.get(&test.data).clone();
        let shapes = files.get(&test.shapes).clone();
        let mut dg = graph_of(&data);
        let sg = graph_of(&shapes);
        let outcome = shacl::validate(&mut dg, &sg);
        let verdict = match (outcome, &test.expected) {
            (Err(_), Expected::Failure) => Ok(()),
            (Ok(_), Expected::Failure) => Err("expected a failure, got a report".to_string()),
            (Err(e), Expected::Report(..)) => Err(format!("shapes error: {e}")),
            (Ok(report), Expected::Report(conforms, results)) => {
                compare(&report, *conforms, results.clone())
            }
        };
        if let Err(why) = verdict {
            failed.push(format!("FAIL {}: {why}", test.name));
        }
    }
    for f in &failed {
        println!("{f}");
    }
    let passed = tests.len() - failed.len();
    println!(
        "W3C SHACL {part}: {passed} passed, {} failed ({} tests)",
        failed.len(),
        tests.len()
    );
    (passed, tests.len())
}

#[test]
fn w3c_shacl_core_suite() {
    assert_eq!(run_part("core"), (98, 98), "all 98 Core tests pass");
}

#[test]
fn w3c_shacl_sparql_suite() {
    // 22 tests of the manifests and nodeValidator-001, which no manifest includes.
    assert_eq!(
        run_part("sparql"),
        (23, 23),
        "all 23 SHACL-SPARQL tests pass"
    );
}

/// The same tests through the command line: `aikg validate --format ttl`
/// reads the files itself (their `<>` needs the file's own location as
/// base IRI) and its Turtle report must hold the expected results. Blank
/// nodes of two documents cannot be matched by label, so they compare as
/// "some blank node" here; the library runs above compare them exactly.
#[test]
fn w3c_shacl_suite_through_the_cli() {
    let mut failed = Vec::new();
    let mut count = 0;
    for part in ["core", "sparql"] {
        let mut files = Files::default();
        let mut tests = Vec::new();
        collect_tests(
            &suite_dir().join(part).join("manifest.ttl"),
            &mut files,
            &mut tests,
        );
        for test in &tests {
            count += 1;
            let out = aikg()
                .args(["validate", "--format", "ttl", "--shapes"])
                .arg(&test.shapes)
                .arg(&test.data)
                .output()
                .unwrap();
            let code = out.status.code().unwrap_or(-1);
            let verdict = match &test.expected {
                Expected::Failure if code == 2 => Ok(()),
                Expected::Failure => Err(format!("expected a failure (exit 2), got exit {code}")),
                Expected::Report(conforms, expected) => {
                    if code != 0 && code != 1 {
                        Err(format!(
                            "exit {code}: {}",
                            String::from_utf8_lossy(&out.stderr)
                        ))
                    } else {
                        let (actual_conforms, actual) = turtle_report(&out.stdout);
                        if actual_conforms != *conforms {
                            Err(format!(
                                "conforms: expected {conforms}, got {actual_conforms}"
                            ))
                        } else if without_blank_labels(&actual) != without_blank_labels(expected) {
                            Err(format!(
                                "results differ:\n    expected {:?}\n    got {:?}",
                                without_blank_labels(expected),
                                without_blank_labels(&actual)
                            ))
                        } else {
                            Ok(())
                        }
                    }
                }
            };
            if let Err(why) = verdict {
                failed.push(format!("FAIL {}: {why}", test.name));
            }
        }
    }
    for f in &failed {
        println!("{f}");
    }
    println!(
        "W3C SHACL through the CLI: {} passed, {} failed",
        count - failed.len(),
        failed.len()
    );
    assert!(failed.is_empty());
}
