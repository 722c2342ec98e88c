//! `aikg check`, `aikg validate` and `aikg load --shapes`.
//!
//! Each folder of `tests/fixtures/check/` holds a `data.trig` with one kind
//! of defect (one per ontology check and per shape of ontology/shapes.ttl);
//! its `# expect: COMPONENT @ TOKEN = SEVERITY FOCUS PATH VALUE` comments
//! say which results `aikg check` must report: the component, at which line
//! (the comment's) and column (where TOKEN starts on that line), with which
//! severity, focus node, path and value (`-` for none). The test checks
//! that exactly those results are reported.

use assert_cmd::Command;
use oxigraph::io::{RdfFormat, RdfParser};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn aikg() -> Command {
    Command::cargo_bin("aikg").unwrap()
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

/// (component, line, column, [severity, focus, path, value]), counted.
type Expected = BTreeMap<(String, u32, u32, [String; 4]), usize>;

fn expectations(text: &str) -> Expected {
    let mut expected = Expected::new();
    for (i, line) in text.lines().enumerate() {
        let Some((code, comment)) = line.split_once("# expect:") else {
            continue;
        };
        if code.trim_start().starts_with('#') {
            continue; // the header that explains the notation
        }
        for item in comment.split("; expect:") {
            let (component, rest) = item
                .split_once(" @ ")
                .expect("`# expect: COMPONENT @ TOKEN = SEVERITY FOCUS PATH VALUE`");
            let (token, fields) = rest
                .split_once(" = ")
                .expect("`= SEVERITY FOCUS PATH VALUE` after the token");
            let fields: Vec<String> = fields.split_whitespace().map(str::to_string).collect();
            let fields: [String; 4] = fields
                .try_into()
                .unwrap_or_else(|f| panic!("line {}: four fields, not {f:?}", i + 1));
            let byte = code
                .find(token.trim())
                .unwrap_or_else(|| panic!("token {token:?} not on line {}", i + 1));
            let column = code[..byte].chars().count() as u32 + 1;
            *expected
                .entry((component.trim().to_string(), i as u32 + 1, column, fields))
                .or_default() += 1;
        }
    }
    expected
}

fn check_json(dir: &Path) -> (i32, serde_json::Value) {
    let output = aikg()
        .args(["check", "--format", "json", "--data"])
        .arg(dir)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: not JSON ({e}): {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap(), json)
}

#[test]
fn every_fixture_is_caught_at_its_position() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 15,
        "one fixture per ontology check and per shape"
    );
    let mut failures = Vec::new();
    for dir in &dirs {
        let data = dir.join("data.trig");
        let expected = expectations(&std::fs::read_to_string(&data).unwrap());
        let (code, json) = check_json(dir);
        let mut actual = Expected::new();
        for r in json["results"].as_array().unwrap() {
            let severity = r["severity"].as_str().unwrap();
            let file = r["file"].as_str().unwrap();
            if severity == "Info" && r["path"] == "aikg:funder" {
                // The Info that a funding names no funder is expected
                // wherever a funding has none; the funding fixture lists it.
                if !dir.ends_with("funding") {
                    continue;
                }
            }
            assert!(
                file.ends_with("data.trig"),
                "{}: result outside the fixture: {r}",
                dir.display()
            );
            let field = |name: &str| r[name].as_str().unwrap_or("-").to_string();
            let key = (
                r["component"].as_str().unwrap().to_string(),
                r["line"].as_u64().unwrap() as u32,
                r["column"].as_u64().unwrap() as u32,
                [
                    field("severity"),
                    field("focus"),
                    field("path"),
                    field("value"),
                ],
            );
            *actual.entry(key).or_default() += 1;
        }
        let wants_violation = !expected.is_empty()
            && json["results"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["severity"] == "Violation");
        if actual != expected {
            failures.push(format!(
                "{}:\n  expected {expected:?}\n  reported {actual:?}",
                dir.display()
            ));
        } else if code != if wants_violation { 1 } else { 0 } {
            failures.push(format!("{}: exit code {code}", dir.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn clean_data_exits_0_and_text_names_positions() {
    let dir = fixtures().join("clean");
    let out = aikg().args(["check", "--data"]).arg(&dir).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("conforms (0 violations"));

    let dir = fixtures().join("funding");
    let out = aikg().args(["check", "--data"]).arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    // file:line:col, severity, focus node by label, path, constraint, value, snippet, summary.
    assert!(text.contains("data.trig:26:21: violation: id:Money-X (\"endowment\") aikg:amount: each value must be > 0 (sh:minExclusive)"), "{text}");
    assert!(text.contains("    value: \"-5\"^^xsd:decimal"), "{text}");
    assert!(
        text.contains("26 |         aikg:amount \"-5\"^^xsd:decimal ;"),
        "{text}"
    );
    assert!(
        text.contains(": 5 violations, 1 warning, 4 infos"),
        "{text}"
    );
}

#[test]
fn turtle_report_is_a_w3c_validation_report() {
    let dir = fixtures().join("quantity");
    let out = aikg()
        .args(["check", "--format", "ttl", "--data"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let quads: Vec<_> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(&out.stdout)
        .collect::<Result<_, _>>()
        .unwrap();
    let count = |p: &str, o: Option<&str>| {
        quads
            .iter()
            .filter(|q| q.predicate.as_str() == p && o.is_none_or(|o| q.object.to_string() == o))
            .count()
    };
    let sh = |l: &str| format!("http://www.w3.org/ns/shacl#{l}");
    assert_eq!(
        count(
            &sh("conforms"),
            Some("\"false\"^^<http://www.w3.org/2001/XMLSchema#boolean>")
        ),
        1
    );
    assert_eq!(count(&sh("result"), None), 2);
    assert_eq!(
        count(&sh("focusNode"), Some("<https://w3id.org/aikg/id/Count-X>")),
        2
    );
    assert_eq!(
        count(
            &sh("sourceConstraintComponent"),
            Some(&format!("<{}>", sh("DatatypeConstraintComponent")))
        ),
        1
    );
}

#[test]
fn validate_any_files_and_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let shapes = tmp.path().join("shapes.ttl");
    std::fs::write(
        &shapes,
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n\
         ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;\n\
           sh:property [ sh:path ex:age ; sh:maxCount 1 ; sh:datatype <http://www.w3.org/2001/XMLSchema#integer> ] ;\n\
           sh:property [ sh:path ( ex:knows ex:name ) ; sh:minCount 1 ; sh:severity sh:Warning ] .\n",
    )
    .unwrap();
    let good = tmp.path().join("good.nt");
    std::fs::write(
        &good,
        "<http://example.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/Person> .\n\
         <http://example.org/a> <http://example.org/knows> <http://example.org/b> .\n\
         <http://example.org/b> <http://example.org/name> \"B\" .\n",
    )
    .unwrap();
    let bad = tmp.path().join("bad.ttl");
    std::fs::write(
        &bad,
        "@prefix ex: <http://example.org/> .\nex:c a ex:Person ;\n  ex:age \"old\" .\n",
    )
    .unwrap();
    aikg()
        .arg("validate")
        .arg("--shapes")
        .arg(&shapes)
        .arg(&good)
        .assert()
        .code(0);
    let out = aikg()
        .arg("validate")
        .arg("--shapes")
        .arg(&shapes)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("bad.ttl:3:10: violation: <http://example.org/c> <http://example.org/age>"),
        "{text}"
    );
    assert!(text.contains("bad.ttl:2:8: warning: <http://example.org/c> (<http://example.org/knows> / <http://example.org/name>)"), "{text}");
    // A shapes graph that makes no sense is an error (exit 2) that says why.
    let broken = tmp.path().join("broken.ttl");
    std::fs::write(&broken, "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<http://e/S> sh:targetNode <http://e/x> ; sh:minCount \"many\" .\n").unwrap();
    let out = aikg()
        .arg("validate")
        .arg("--shapes")
        .arg(&broken)
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.ttl:2:55: violation: <http://e/S> sh:minCount: each value must be a valid literal of datatype xsd:integer (sh:datatype)"),
        "{stderr}"
    );
}

#[test]
fn load_with_shapes_refuses_violations_and_leaves_the_store_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (shapes, ontology) = (
        root.join("ontology/shapes.ttl"),
        root.join("ontology/aikg.ttl"),
    );
    let good = fixtures().join("clean/data.trig");
    let bad = fixtures().join("funding/data.trig");
    let load = |store: &Path, file: &Path, force: bool| {
        let mut cmd = aikg();
        cmd.args(["load", "--store"]).arg(store);
        cmd.arg("--shapes")
            .arg(&shapes)
            .arg("--ontology")
            .arg(&ontology);
        if force {
            cmd.arg("--force");
        }
        cmd.arg(file).output().unwrap()
    };
    let count = || {
        aikg()
            .args(["query", "--format", "tsv", "--store"])
            .arg(&store)
            .arg("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
            .output()
            .unwrap()
            .stdout
    };
    let out = load(&store, &good, false);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let before = count();
    let out = load(&store, &bad, false);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("MinExclusive"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was loaded"));
    assert_eq!(count(), before, "a refused load leaves the store as it was");
    assert_eq!(load(&store, &bad, true).status.code(), Some(0));
    assert_ne!(count(), before, "--force loads anyway");
    // Refusing to create a store leaves no directory behind.
    let fresh = tmp.path().join("fresh");
    assert_eq!(load(&fresh, &bad, false).status.code(), Some(1));
    assert!(!fresh.exists());
}

/// Inside a working copy, `aikg check` checks the files on disk (a planted
/// negative amount used to give "0 violations": the bundle was checked),
/// and says on stderr which data it checked.
#[test]
fn check_inside_a_working_copy_checks_the_files_on_disk() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = tempfile::tempdir().unwrap();
    for dir in ["ontology", "data", "data/links"] {
        std::fs::create_dir_all(copy.path().join(dir)).unwrap();
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, copy.path().join(dir).join(path.file_name().unwrap()))
                    .unwrap();
            }
        }
    }
    let report = copy.path().join("data/kr-report.trig");
    let text = std::fs::read_to_string(&report).unwrap();
    let planted = text.replacen(
        "aikg:amount \"9400000000000\"^^xsd:decimal",
        "aikg:amount \"-5\"^^xsd:decimal",
        1,
    );
    assert_ne!(planted, text, "the amount to replace is in the data");
    std::fs::write(&report, planted).unwrap();
    // From a folder inside the working copy.
    let out = aikg()
        .current_dir(copy.path().join("data/links"))
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "checking the working copy at {}",
            copy.path().display()
        )),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let planted: Vec<_> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["component"] == "sh:MinExclusiveConstraintComponent")
        .collect();
    assert_eq!(planted.len(), 1, "{json}");
    assert_eq!(planted[0]["value"], "\"-5\"^^xsd:decimal");
    assert!(planted[0]["file"]
        .as_str()
        .unwrap()
        .ends_with("kr-report.trig"));
    // Outside any working copy: the bundle, and it says so.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = aikg()
        .current_dir(elsewhere.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("checking the data bundled in aikg"));
}

#[test]
fn aikg_check_runs_the_link_checks() {
    // A working copy: one organisation of Korea, linked to a ROR id whose
    // checksum is wrong and to a second ROR id (one per organisation).
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data/links")).unwrap();
    std::fs::write(
        dir.path().join("data/org.trig"),
        r#"@prefix aikg: <https://w3id.org/aikg/ontology#> .
@prefix id:   <https://w3id.org/aikg/id/> .
@prefix src:  <https://w3id.org/aikg/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
src:t-001 a aikg:Passage ; aikg:quote "Un institut."@fr ; aikg:inDocument src:t .
src:t a aikg:Document .
src:t-001 {
  id:X a aikg:ResearchInstitute ; rdfs:label "X"@en ; aikg:country id:K .
  id:K a aikg:Country ; rdfs:label "K"@en .
}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("data/links/ror.ttl"),
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n\
         <https://w3id.org/aikg/id/X> owl:sameAs <https://ror.org/012345678> .\n",
    )
    .unwrap();
    let output = aikg()
        .args(["check", "--data", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("ror.ttl:2:"), "{text}");
    assert!(text.contains("not a well-formed ROR id"), "{text}");
}
