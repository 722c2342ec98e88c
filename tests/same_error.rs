//! One bad file, one error (issue 16, item 4): `aikg load` (with and
//! without --shapes), `aikg check`, `aikg validate` and `aikg stats --data`
//! each say the same `file:line:col: message`, the same source line with its
//! caret and the same hint, exit 2, and write nothing. The column is where the bad token
//! starts in the W3C grammar of the syntax (Turtle, TriG, N-Triples,
//! N-Quads): the token the parser could not take, or the end of the file.

use assert_cmd::Command;
use std::collections::BTreeSet;
use std::path::Path;

fn aikg(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("aikg").unwrap();
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// Every path under `dir`, relative to it.
fn listing(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            out.insert(path.strip_prefix(root).unwrap().display().to_string());
            if path.is_dir() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// The error a command printed: from its `error:` line to its hint.
fn error_block(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines.iter().position(|l| l.starts_with("error: "));
    let Some(start) = start else {
        return format!("(no error in) {stderr}");
    };
    let end = lines[start..]
        .iter()
        .position(|l| l.starts_with("  hint: "))
        .map_or(lines.len(), |i| start + i + 1);
    lines[start..end].join("\n")
}

/// Runs the four readers on `file` (a path relative to `root`, in the
/// folder `folder`, which `check` and `stats` read with `--data`) and
/// asserts each says `expected` first, then the same lines as the others.
fn same_error_everywhere(root: &Path, folder: &str, file: &str, expected: &str) {
    let before = listing(root);
    let commands: Vec<Vec<&str>> = vec![
        vec!["load", "--store", "store", file],
        vec!["load", "--store", "store", "--shapes", "shapes.ttl", file],
        vec!["check", "--data", folder],
        vec!["validate", "--shapes", "shapes.ttl", file],
        vec!["stats", "--data", folder],
    ];
    let mut blocks = Vec::new();
    for args in &commands {
        let out = aikg(root).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(
            out.status.code(),
            Some(2),
            "aikg {}: exit code\n{stderr}",
            args.join(" ")
        );
        let block = error_block(&stderr);
        assert_eq!(
            block.lines().next().unwrap_or_default(),
            format!("error: {expected}"),
            "aikg {}:\n{stderr}",
            args.join(" ")
        );
        assert!(
            block
                .lines()
                .last()
                .unwrap_or_default()
                .starts_with("  hint: "),
            "aikg {}: no hint\n{stderr}",
            args.join(" ")
        );
        if args[0] == "load" {
            assert!(
                stderr.contains("nothing was loaded"),
                "aikg load says the store is unchanged\n{stderr}"
            );
        }
        blocks.push((args.join(" "), block));
    }
    for (command, block) in &blocks[1..] {
        assert_eq!(
            block, &blocks[0].1,
            "aikg {command} and aikg {} differ",
            blocks[0].0
        );
    }
    assert_eq!(listing(root), before, "a command wrote something");
}

/// A shapes graph the commands that validate are given.
const SHAPES: &str = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\nex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .\n";

/// A folder `d` holding one file `name` with `text`, beside a shapes
/// graph; the expected first line of the error.
fn one_bad_file(name: &str, text: &str, line: u32, column: u32, message: &str) {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("d")).unwrap();
    std::fs::write(root.path().join("d").join(name), text).unwrap();
    std::fs::write(root.path().join("shapes.ttl"), SHAPES).unwrap();
    same_error_everywhere(
        root.path(),
        "d",
        &format!("d/{name}"),
        &format!("d/{name}:{line}:{column}: {message}"),
    );
}

const EX: &str = "@prefix ex: <http://example.org/> .\n";

#[test]
fn turtle_a_missing_object() {
    // `;;` is allowed (an empty predicate-object pair); the `.` after the
    // verb ex:r is where an object must start.
    one_bad_file(
        "bad.ttl",
        &format!("{EX}ex:a ex:p ex:b .\nex:c ex:q \"x\" ;; ex:r .\n"),
        3,
        23,
        "syntax error: . is not a valid RDF object",
    );
}

#[test]
fn turtle_an_undeclared_prefix() {
    // The prefixed name starts at its prefix.
    one_bad_file(
        "prefix.ttl",
        &format!("{EX}ex:a ex:p foo:b .\n"),
        2,
        11,
        "syntax error: unknown prefix foo:",
    );
}

#[test]
fn turtle_a_space_in_an_iri() {
    // IRIREF starts at its `<`.
    one_bad_file(
        "iri.ttl",
        &format!("{EX}ex:a ex:p <http://example.org/a b> .\n"),
        2,
        11,
        "syntax error: Invalid IRI code point ' '",
    );
}

#[test]
fn turtle_an_unknown_escape() {
    // The bad token is the escape `\q` (ECHAR has no `\q`), inside the
    // string that starts at column 11.
    one_bad_file(
        "escape.ttl",
        &format!("{EX}ex:a ex:p \"a\\qb\" .\n"),
        2,
        13,
        "syntax error: Unexpected escape character '\\q'",
    );
}

#[test]
fn trig_a_comma_without_object() {
    one_bad_file(
        "graph.trig",
        &format!("{EX}ex:g {{\n  ex:a ex:p ex:b , .\n}}\n"),
        3,
        20,
        "syntax error: . is not a valid RDF object",
    );
}

#[test]
fn trig_a_graph_never_closed() {
    // The end of the file, on the line after the last one.
    one_bad_file(
        "open.trig",
        &format!("{EX}ex:g {{\n  ex:a ex:p ex:b .\n"),
        4,
        1,
        "syntax error: Unexpected end of file",
    );
}

#[test]
fn ntriples_a_prefixed_name() {
    // N-Triples has no prefixed names: the object token starts at `e`.
    one_bad_file(
        "pname.nt",
        "<http://e/a> <http://e/p> <http://e/b> .\n<http://e/a> <http://e/p> ex:b .\n",
        2,
        27,
        "syntax error: The object of a triple must be an IRI, a blank node or a literal",
    );
}

#[test]
fn ntriples_two_objects() {
    // The cause (no `.` after the object), not its consequence (oxttl
    // also says the second literal is no subject, and said that first).
    one_bad_file(
        "two.nt",
        "<http://example.org/a> <http://example.org/p> \"x\" \"y\" .\n",
        1,
        51,
        "syntax error: Triples must be followed by a dot",
    );
}

#[test]
fn ntriples_a_string_never_closed() {
    // STRING_LITERAL_QUOTE cannot hold a line break: the string token that
    // starts at column 27 never ends.
    one_bad_file(
        "string.nt",
        "<http://e/a> <http://e/p> \"x .\n<http://e/a> <http://e/p> <http://e/b> .\n",
        1,
        27,
        "syntax error: Unexpected end of file",
    );
}

#[test]
fn nquads_a_fifth_term() {
    // After the graph name, only the final `.` may come.
    one_bad_file(
        "extra.nq",
        "<http://e/a> <http://e/p> <http://e/b> <http://e/g> <http://e/h> .\n",
        1,
        53,
        "syntax error: Quads must be followed by a dot",
    );
}

/// A working copy (data/ and ontology/): `aikg check` run in it without
/// --data names the file as `aikg load data/x.trig` does, relative to the
/// current directory.
#[test]
fn a_file_in_a_working_copys_data_folder() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = tempfile::tempdir().unwrap();
    for dir in ["data", "ontology"] {
        std::fs::create_dir(root.path().join(dir)).unwrap();
    }
    std::fs::copy(
        repo.join("ontology/aikg.ttl"),
        root.path().join("ontology/aikg.ttl"),
    )
    .unwrap();
    std::fs::write(
        root.path().join("data/bad.trig"),
        format!("{EX}ex:g {{\n  ex:a ex:p ex:b , .\n}}\n"),
    )
    .unwrap();
    std::fs::write(root.path().join("shapes.ttl"), SHAPES).unwrap();
    let expected = "data/bad.trig:3:20: syntax error: . is not a valid RDF object";
    same_error_everywhere(root.path(), ".", "data/bad.trig", expected);
    let out = aikg(root.path()).arg("check").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(
        error_block(&stderr).lines().next(),
        Some(format!("error: {expected}").as_str()),
        "{stderr}"
    );
}
