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

/// The error of a shapes graph whose one shape has the SPARQL constraint
/// `sh:select select` (a Turtle string): exit 2, nothing on stdout.
fn refused(select: &str) -> String {
    let shapes = format!(
        "{PREFIXES}ex:S a sh:NodeShape ; sh:targetClass ex:Person ;\n\
         \x20 sh:sparql [ sh:select {select} ] .\n"
    );
    let (code, stdout, stderr) = run(&shapes, DATA, "text");
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    stderr
}

#[test]
fn forbidden_queries_and_advanced_features_are_refused() {
    let stderr = refused("\"SELECT $this WHERE { $this ?p ?o MINUS { $this ?p 1 } }\"");
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

/// A prefix that neither the query nor its `sh:prefixes` declare is taken
/// from the shapes file's own `@prefix` lines (as TopBraid and pySHACL do,
/// and as TopQuadrant's DASH case sparql/node/prefixes-001 expects); the
/// query's `PREFIX` and `sh:declare` win over it.
#[test]
fn a_query_falls_back_on_the_prefixes_of_the_shapes_file() {
    let shape = |sparql: &str| {
        format!(
            "{PREFIXES}ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;\n\
             \x20 sh:sparql [ {sparql} ] .\n\
             <http://other.org/> sh:declare [ sh:prefix \"ex\" ; sh:namespace \"http://other.org/\" ] .\n"
        )
    };
    let select =
        "sh:select \"SELECT $this ?value WHERE { $this ex:age ?value FILTER (?value < 0) } \"";
    // No sh:prefixes: ex: is the file's.
    let (code, stdout, stderr) = run(&shape(select), DATA, "text");
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("data.ttl:3:"), "{stdout}");
    assert!(stdout.contains("1 violation"), "{stdout}");
    // sh:prefixes declares ex: otherwise: no ex:age of other.org, no result.
    let declared = format!("sh:prefixes <http://other.org/> ; {select}");
    let (code, stdout, stderr) = run(&shape(&declared), DATA, "text");
    assert_eq!(code, 0, "{stdout}{stderr}");
    // So does the query's own PREFIX.
    let own = select.replace("SELECT", "PREFIX ex: <http://other.org/> SELECT");
    let (code, stdout, stderr) = run(&shape(&own), DATA, "text");
    assert_eq!(code, 0, "{stdout}{stderr}");
}

/// Two shapes files that declare a prefix with different namespaces: a
/// query that relies on it is refused, and the message says why.
#[test]
fn a_prefix_the_shapes_files_declare_twice_is_no_fallback() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("shapes.ttl"),
        format!(
            "{PREFIXES}ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;\n\
             \x20 sh:sparql [ sh:select \"SELECT $this WHERE {{ $this ex:age -4 }}\" ] .\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("more.ttl"),
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://other.org/> .\n\
         ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("data.ttl"), DATA).unwrap();
    let out = aikg()
        .current_dir(dir.path())
        .args([
            "validate",
            "--shapes",
            "shapes.ttl",
            "--shapes",
            "more.ttl",
            "data.ttl",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains(
            "the shapes files declare the prefix ex: as <http://example.org/> and as <http://other.org/>"
        ),
        "{stderr}"
    );
}

/// A prefix declared nowhere: the message says so, at the line and column
/// of the query as written (the prefixes are given to the parser, not
/// pasted before the text).
#[test]
fn an_undeclared_prefix_is_named_at_its_place_in_the_query() {
    let stderr = refused("\"\"\"SELECT $this\n  WHERE { $this foo:age -4 }\"\"\"");
    assert!(
        stderr.contains(
            "the SPARQL query does not parse: error at 2:24: a prefix is not declared (declare it with PREFIX in the query, or with sh:prefixes and sh:declare)"
        ),
        "{stderr}"
    );
}
