//! Recursive shapes and deep shapes graphs (issue 17, items 3 and 10):
//! results of a shape that refers to itself are those pySHACL and TopBraid
//! give on non-cyclic data, and no recursion depth depends on the data or
//! on the length of a chain of shapes (a stack overflow is exit 134).

mod shacl_common;

use shacl_common::{aikg, turtle_report, without_blank_labels};
use std::fmt::Write as _;

const PREFIXES: &str = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\
    @prefix ex: <http://example.org/> .\n\
    @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n\
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n";

const SH: &str = "http://www.w3.org/ns/shacl#";

/// `aikg validate --format ttl`: exit code and the report's results.
fn validate(shapes: &str, data: &str) -> (i32, bool, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let (s, d) = (dir.path().join("shapes.ttl"), dir.path().join("data.ttl"));
    std::fs::write(&s, shapes).unwrap();
    std::fs::write(&d, data).unwrap();
    let out = aikg()
        .args(["validate", "--format", "ttl", "--shapes"])
        .arg(&s)
        .arg(&d)
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "exit {code} (a crash?): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (conforms, results) = turtle_report(&out.stdout);
    (code, conforms, without_blank_labels(&results))
}

fn key(focus: &str, path: &str, value: &str, shape: &str, component: &str) -> String {
    format!(
        "{focus} | {path} | {value} | {shape} | <{SH}{component}ConstraintComponent> | <{SH}Violation>"
    )
}

/// A tree whose nodes must conform to the shape of the tree: a leaf without
/// a name fails, so its parent fails, so the grandparent's value fails.
/// pySHACL 0.40 reports these three results.
#[test]
fn a_failing_descendant_fails_every_ancestor() {
    let shapes = format!(
        "{PREFIXES}ex:NodeShape a sh:NodeShape ; sh:targetClass ex:Node ; sh:property ex:childShape , ex:nameShape .\n\
         ex:childShape sh:path ex:child ; sh:node ex:NodeShape .\n\
         ex:nameShape sh:path ex:name ; sh:minCount 1 .\n"
    );
    let data = format!(
        "{PREFIXES}ex:a a ex:Node ; ex:name \"a\" ; ex:child ex:b .\n\
         ex:b a ex:Node ; ex:name \"b\" ; ex:child ex:c .\n\
         ex:c a ex:Node .\n"
    );
    let (code, conforms, results) = validate(&shapes, &data);
    assert_eq!((code, conforms), (1, false));
    let ex = |l: &str| format!("<http://example.org/{l}>");
    let mut expected = vec![
        key(
            &ex("c"),
            "<http://example.org/name>",
            "",
            &ex("nameShape"),
            "MinCount",
        ),
        key(
            &ex("b"),
            "<http://example.org/child>",
            &ex("c"),
            &ex("childShape"),
            "Node",
        ),
        key(
            &ex("a"),
            "<http://example.org/child>",
            &ex("b"),
            &ex("childShape"),
            "Node",
        ),
    ];
    expected.sort();
    assert_eq!(results, expected);
}

/// The same tree checked from the leaves' side: the order in which focus
/// nodes are met does not change the answer (`ex:a` sorts last here).
#[test]
fn the_answer_does_not_depend_on_the_order_of_focus_nodes() {
    let shapes = format!(
        "{PREFIXES}ex:S a sh:NodeShape ; sh:targetNode ex:z3 , ex:z2 , ex:z1 ; sh:property ex:up , ex:ok .\n\
         ex:up sh:path ex:parent ; sh:node ex:S .\n\
         ex:ok sh:path ex:ok ; sh:hasValue true .\n"
    );
    let data = format!(
        "{PREFIXES}ex:z3 ex:ok true ; ex:parent ex:z2 .\n\
         ex:z2 ex:ok true ; ex:parent ex:z1 .\n\
         ex:z1 ex:ok false .\n"
    );
    let (code, _, results) = validate(&shapes, &data);
    assert_eq!(code, 1);
    let ex = |l: &str| format!("<http://example.org/{l}>");
    let mut expected = vec![
        key(
            &ex("z1"),
            "<http://example.org/ok>",
            "",
            &ex("ok"),
            "HasValue",
        ),
        key(
            &ex("z2"),
            "<http://example.org/parent>",
            &ex("z1"),
            &ex("up"),
            "Node",
        ),
        key(
            &ex("z3"),
            "<http://example.org/parent>",
            &ex("z2"),
            &ex("up"),
            "Node",
        ),
    ];
    expected.sort();
    assert_eq!(results, expected);
}

/// Cyclic data: a node that reaches itself through the shape conforms
/// unless a constraint fails somewhere on the cycle (documented in the
/// README: the greatest fixed point, as TopBraid's recursion guard).
#[test]
fn cycles_conform_unless_a_constraint_on_them_fails() {
    let shapes = format!(
        "{PREFIXES}ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:x ; sh:property ex:knows , ex:name .\n\
         ex:knows sh:path ex:knows ; sh:node ex:S .\n\
         ex:name sh:path ex:name ; sh:minCount 1 .\n"
    );
    // a <-> b, both named: conforms. x <-> y, y unnamed: x fails through y.
    let data = format!(
        "{PREFIXES}ex:a ex:name \"a\" ; ex:knows ex:b . ex:b ex:name \"b\" ; ex:knows ex:a .\n\
         ex:x ex:name \"x\" ; ex:knows ex:y . ex:y ex:knows ex:x .\n"
    );
    let (code, _, results) = validate(&shapes, &data);
    assert_eq!(code, 1);
    let ex = |l: &str| format!("<http://example.org/{l}>");
    assert_eq!(
        results,
        vec![key(
            &ex("x"),
            "<http://example.org/knows>",
            &ex("y"),
            &ex("knows"),
            "Node"
        )]
    );
}

/// A recursive list shape over a 10 000-item rdf:List with one bad item.
#[test]
fn a_long_list_checked_by_a_recursive_shape() {
    let shapes = format!(
        "{PREFIXES}ex:ThingShape a sh:NodeShape ; sh:targetNode ex:thing ;\n\
           sh:property [ sh:path ex:items ; sh:node ex:ListShape ] .\n\
         ex:ListShape a sh:NodeShape ; sh:or ( [ sh:hasValue rdf:nil ] [\n\
           sh:property [ sh:path rdf:first ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:integer ] ;\n\
           sh:property [ sh:path rdf:rest ; sh:minCount 1 ; sh:maxCount 1 ; sh:node ex:ListShape ] ] ) .\n"
    );
    let mut items = String::new();
    for i in 0..10_000 {
        if i == 5_000 {
            items.push_str("\"x\" ");
        } else {
            write!(items, "{i} ").unwrap();
        }
    }
    let data = format!("{PREFIXES}ex:thing ex:items ( {items}) .\n");
    let (code, _, results) = validate(&shapes, &data);
    assert_eq!(code, 1);
    assert_eq!(
        results,
        vec![key(
            "<http://example.org/thing>",
            "<http://example.org/items>",
            "_:",
            "_:",
            "Node"
        )]
    );
    // Without the bad item it conforms.
    let data = data.replace("\"x\"", "5000");
    let (code, conforms, results) = validate(&shapes, &data);
    assert_eq!((code, conforms), (0, true), "{results:?}");
}

/// 20 000 shapes chained by sh:node; the last one fails.
#[test]
fn a_long_chain_of_shapes() {
    let mut shapes =
        format!("{PREFIXES}ex:S0 a sh:NodeShape ; sh:targetNode ex:x ; sh:node ex:S1 .\n");
    for i in 1..20_000 {
        writeln!(shapes, "ex:S{i} a sh:NodeShape ; sh:node ex:S{} .", i + 1).unwrap();
    }
    shapes.push_str("ex:S20000 a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .\n");
    let (code, _, results) = validate(&shapes, &format!("{PREFIXES}ex:x ex:q 1 .\n"));
    assert_eq!(code, 1);
    assert_eq!(
        results,
        vec![key(
            "<http://example.org/x>",
            "",
            "<http://example.org/x>",
            "<http://example.org/S0>",
            "Node"
        )]
    );
    let (code, _, _) = validate(&shapes, &format!("{PREFIXES}ex:x ex:p 1 .\n"));
    assert_eq!(code, 0);
}
