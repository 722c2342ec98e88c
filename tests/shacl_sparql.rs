//! SHACL-SPARQL through the CLI (issue 16): a shapes graph with `sh:sparql`
//! reports what its query finds (it used to "conform" with exit 0), message
//! templates are filled, forbidden queries and unimplemented Advanced
//! Features are refused (exit 2) rather than skipped.

mod shacl_common;

use shacl_common::aikg;

const PREFIXES: &str =
    "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n";

fn run(shapes: &str, data: &str, format: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shapes.ttl"), shapes).unwrap();
    std::fs::write(dir.path().join("data.ttl"), data).unwrap();
    let out = aikg()
        .current_dir(dir.path())
        .args([
            "validate",
            "--format",
            format,
            "--shapes",
            "shapes.ttl",
            "data.ttl",
        ])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const DATA: &str = "@prefix ex: <http://example.org/> .\n\
    ex:a a ex:Person ; ex:age 30 .\nex:b a ex:Person ; ex:age -4 .\n";

#[test]
fn a_sparql_constraint_reports_what_its_query_finds() {
    let shapes = format!(
        "{PREFIXES}ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;\n\
         \x20 sh:sparql [ sh:message \"{{$this}} has the age {{?value}}\" ; sh:prefixes ex: ;\n\
         \x20   sh:select \"SELECT $this ?value WHERE {{ $this ex:age ?value FILTER (?value < 0) }}\" ] .\n\
         ex: sh:declare [ sh:prefix \"ex\" ; sh:namespace \"http://example.org/\" ] .\n"
    );
    let (code, stdout, stderr) = run(&shapes, DATA, "text");
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("data.ttl:3:"), "{stdout}");
    assert!(
        stdout.contains("message: http://example.org/b has the age -4"),
        "{stdout}"
    );
    assert!(
        stdout.contains("(sh:SPARQLConstraintComponent)"),
        "{stdout}"
    );
    assert!(stdout.contains("1 violation"), "{stdout}");
    let (code, stdout, _) = run(&shapes, DATA, "ttl");
    assert_eq!(code, 1);
    assert!(stdout.contains("sh:sourceConstraint"), "{stdout}");
    // Without the negative age it conforms.
    let (code, _, _) = run(&shapes, &DATA.replace("-4", "4"), "text");
    assert_eq!(code, 0);
}

#[test]
fn a_sparql_constraint_component_checks_each_value() {
    let shapes = format!(
        "{PREFIXES}ex:MinAge a sh:ConstraintComponent ; sh:parameter [ sh:path ex:minAge ] ;\n\
         \x20 sh:validator [ a sh:SPARQLAskValidator ; sh:message \"at least {{$minAge}}\" ;\n\
         \x20   sh:ask \"ASK {{ FILTER ($value >= $minAge) }}\" ] .\n\
         ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;\n\
         \x20 sh:property [ sh:path ex:age ; ex:minAge 0 ] .\n"
    );
    let (code, stdout, stderr) = run(&shapes, DATA, "text");
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("value: \"-4\"^^xsd:integer"), "{stdout}");
    assert!(stdout.contains("message: at least 0"), "{stdout}");
    assert!(stdout.contains("(<http://example.org/MinAge>)"), "{stdout}");
}

#[test]
fn forbidden_queries_and_advanced_features_are_refused() {
    let minus = format!(
        "{PREFIXES}ex:S a sh:NodeShape ; sh:targetClass ex:Person ;\n\
         \x20 sh:sparql [ sh:select \"SELECT $this WHERE {{ $this ?p ?o MINUS {{ $this ?p 1 }} }}\" ] .\n"
    );
    let (code, stdout, stderr) = run(&minus, DATA, "text");
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(stderr.contains("MINUS, which SHACL forbids"), "{stderr}");
    let rule = format!(
        "{PREFIXES}ex:S a sh:NodeShape ; sh:targetClass ex:Person ;\n\
         \x20 sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate ex:q ; sh:object 1 ] .\n"
    );
    let (code, stdout, stderr) = run(&rule, DATA, "text");
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains("shapes.ttl:3:") && stderr.contains("aikg does not implement sh:rule"),
        "{stderr}"
    );
}
