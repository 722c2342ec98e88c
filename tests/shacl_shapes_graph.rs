//! The shapes graph is checked before validating (issue 17, items 4 and
//! 10): a broken shapes graph is an error at file:line:col (exit 2, nothing
//! validated), a file with no shapes is not "conforms", and a shape that is
//! also an owl:Class targets its instances.

mod shacl_common;

use shacl_common::aikg;

const PREFIXES: &str =
    "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n\
    @prefix owl: <http://www.w3.org/2002/07/owl#> .\n";

fn run(shapes: &str, data: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let (s, d) = (dir.path().join("shapes.ttl"), dir.path().join("data.ttl"));
    std::fs::write(&s, shapes).unwrap();
    std::fs::write(&d, data).unwrap();
    let out = aikg()
        .current_dir(dir.path())
        .args(["validate", "--shapes", "shapes.ttl", "data.ttl"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const DATA: &str = "@prefix ex: <http://example.org/> .\nex:c a ex:Node .\n";

#[test]
fn a_broken_shapes_graph_is_an_error_at_its_positions() {
    let shapes = format!(
        "{PREFIXES}ex:NodeShape a sh:NodeShape ; sh:targetClass ex:Node ;\n\
         \x20  sh:property [ sh:paht ex:name ; sh:minCount 1 ] ;\n\
         \x20  sh:property ex:Undefined .\n"
    );
    let (code, stdout, stderr) = run(&shapes, DATA);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert_eq!(stdout, "", "nothing was validated");
    assert!(
        stderr.contains("shapes.ttl: the shapes graph is not well-formed"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was validated"), "{stderr}");
    // The typo, at the triple (line 4, the object's column), with a suggestion.
    assert!(
        stderr.contains("shapes.ttl:4:26: violation: [] sh:paht: sh:paht is not a term of SHACL"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean sh:path?"), "{stderr}");
    // The property shape that has no path (shsh's PropertyShape-path-minCount).
    assert!(
        stderr.contains("shapes.ttl:4:26: violation: [] sh:path: at least 1 value required"),
        "{stderr}"
    );
    // sh:property pointing at a shape the graph does not describe.
    assert!(stderr.contains("shapes.ttl:5:16: violation: <http://example.org/NodeShape> sh:property: <http://example.org/Undefined> is used as a shape, but the shapes graph says nothing about it"), "{stderr}");
}

#[test]
fn a_file_without_shapes_validates_nothing_and_says_so() {
    let (code, stdout, stderr) = run(
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n",
        DATA,
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("shapes.ttl: no shapes in the shapes graph")
            && stderr.contains("nothing was validated"),
        "{stderr}"
    );
    // Shapes without any target: a warning that no node was checked.
    let shapes =
        format!("{PREFIXES}ex:S a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .\n");
    let (code, stdout, stderr) = run(&shapes, DATA);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stderr.contains("warning: shapes.ttl: no shape has a target"),
        "{stderr}"
    );
}

#[test]
fn a_shape_that_is_an_owl_class_targets_its_instances() {
    let shapes = format!(
        "{PREFIXES}ex:Node a owl:Class , sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .\n"
    );
    let (code, stdout, stderr) = run(&shapes, DATA);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("data.ttl:2:8: violation: <http://example.org/c> <http://example.org/name>: at least 1 value required (sh:minCount)"),
        "{stdout}"
    );
}
