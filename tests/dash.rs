//! TopQuadrant's DASH test cases (`../shared/dash-tests`, or the folder in
//! `AIKG_DASH_TESTS`): each `*.test.ttl` is the data graph and the shapes
//! graph at once, with a `dash:GraphValidationTestCase` whose
//! `dash:expectedResult` is the expected `sh:ValidationReport`. A case
//! passes when the conforms flag and the multiset of results (focus node,
//! path, value, source shape, constraint component, severity) are equal,
//! as the suite's README says. Prints "N passed, M failed" per folder.
//! The library runs give the shapes graph the file's own prefixes, as
//! `aikg validate` does ([`aikg::shacl::sparql::DocumentPrefixes`]); the
//! same cases also run through the command line.

mod shacl_common;

use aikg::shacl;
use oxigraph::model::{NamedNode, Term};
use shacl_common::{
    aikg, compare, graph_of, parse_turtle, report_of, turtle_report, without_blank_labels,
    RDF_TYPE, SH,
};
use std::path::{Path, PathBuf};

const DASH: &str = "http://datashapes.org/dash#";

fn suite_dir() -> PathBuf {
    match std::env::var_os("AIKG_DASH_TESTS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dash-tests"),
    }
}

fn test_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e} (set AIKG_DASH_TESTS)", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            test_files(&path, out);
        } else if path.to_string_lossy().ends_with(".test.ttl") {
            out.push(path);
        }
    }
}

/// The expected conforms flag and results of a case file.
fn expected_of(path: &Path) -> Result<(bool, Vec<shacl_common::Key>), String> {
    let quads = parse_turtle(&std::fs::read(path).unwrap(), None);
    let g = graph_of(&quads);
    let case_class = g
        .iri_id(&format!("{DASH}GraphValidationTestCase"))
        .ok_or("no dash:GraphValidationTestCase")?;
    let cases = g.subjects(g.iri_id(RDF_TYPE).unwrap(), case_class);
    let [case] = cases else {
        return Err(format!("{} test cases in one file", cases.len()));
    };
    let expected_report = shacl_common::one(&g, *case, &format!("{DASH}expectedResult"))
        .ok_or("no dash:expectedResult")?;
    Ok(report_of(&g, expected_report))
}

/// Runs one case through the library: `Err` says how the report differs.
fn run_case(path: &Path) -> Result<(), String> {
    let bytes = std::fs::read(path).unwrap();
    let quads = parse_turtle(&bytes, None);
    let mut shapes = graph_of(&quads);
    let mut prefixes = shacl::sparql::DocumentPrefixes::default();
    let declared = aikg::source::declared_prefixes(
        &path.display().to_string().into(),
        &bytes,
        aikg::source::SourceFormat::Turtle,
        None,
    )
    .map_err(|e| e.to_string())?;
    for (prefix, namespace) in declared {
        prefixes.add(&prefix, &namespace);
    }
    shapes.set_document_prefixes(prefixes);
    let (conforms, expected) = expected_of(path)?;
    let mut data = graph_of(&quads);
    let report = shacl::validate(&mut data, &shapes).map_err(|e| format!("shapes error: {e}"))?;
    compare(&report, conforms, expected)
}

/// Runs one case through `aikg validate --format ttl --shapes F F`, the
/// file as the shapes graph and the data graph: its Turtle report must hold
/// the expected results (blank nodes compared as "some blank node").
fn run_case_cli(path: &Path) -> Result<(), String> {
    let (conforms, expected) = expected_of(path)?;
    let out = aikg()
        .args(["validate", "--format", "ttl", "--shapes"])
        .arg(path)
        .arg(path)
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    if code != 0 && code != 1 {
        return Err(format!(
            "exit {code}: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let (actual_conforms, actual) = turtle_report(&out.stdout);
    if actual_conforms != conforms {
        return Err(format!(
            "conforms: expected {conforms}, got {actual_conforms}"
        ));
    }
    // Exit 1 if and only if some result is a violation: of severity
    // sh:Violation, or one of the shapes' own (aikg counts a severity other
    // than sh:Warning and sh:Info as a violation).
    let lesser =
        ["Warning", "Info"].map(|s| Term::from(NamedNode::new_unchecked(format!("{SH}{s}"))));
    let violations = expected
        .iter()
        .any(|(.., severity)| !lesser.contains(severity));
    if (code == 1) != violations {
        return Err(format!(
            "exit {code}, with violations expected: {violations}"
        ));
    }
    if without_blank_labels(&actual) != without_blank_labels(&expected) {
        return Err(format!(
            "results differ:\n    expected {:?}\n    got {:?}",
            without_blank_labels(&expected),
            without_blank_labels(&actual)
        ));
    }
    Ok(())
}

/// Cases aikg fails on purpose, and why.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

/// Runs every case of a folder with `run`; returns the number passed. The
/// failures must be exactly the known ones.
fn run_folder(folder: &str, cases: usize, run: fn(&Path) -> Result<(), String>) -> usize {
    let mut files = Vec::new();
    test_files(&suite_dir().join(folder), &mut files);
    assert_eq!(
        files.len(),
        cases,
        "the DASH {folder} folder has {cases} cases"
    );
    let mut failed = Vec::new();
    let mut unexpected = Vec::new();
    for file in &files {
        let known = KNOWN_FAILURES.iter().find(|(name, _)| file.ends_with(name));
        match (run(file), known) {
            (Ok(()), None) => {}
            (Ok(()), Some(_)) => unexpected.push(format!(
                "PASS (listed as a known failure) {}",
                file.display()
            )),
            (Err(why), Some((_, reason))) => {
                failed.push(format!("FAIL {} (known: {reason}): {why}", file.display()))
            }
            (Err(why), None) => {
                unexpected.push(format!("FAIL {}: {why}", file.display()));
                failed.push(String::new());
            }
        }
    }
    for f in failed.iter().chain(&unexpected).filter(|f| !f.is_empty()) {
        println!("{f}");
    }
    let passed = files.len() - failed.len();
    println!("DASH {folder}: {passed} passed, {} failed", failed.len());
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
    passed
}

#[test]
fn dash_core_cases() {
    assert_eq!(run_folder("core", 85, run_case), 85);
}

#[test]
fn dash_sparql_cases() {
    // prefixes-001 among them: its query's ex: is declared only by the
    // file's @prefix line.
    assert_eq!(run_folder("sparql", 8, run_case), 8);
}

#[test]
fn dash_cases_through_the_cli() {
    assert_eq!(run_folder("core", 85, run_case_cli), 85);
    assert_eq!(run_folder("sparql", 8, run_case_cli), 8);
}
