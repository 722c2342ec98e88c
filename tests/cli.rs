//! Command-line tests: result formats parse back, and every kind of bad input
//! gets a clear message with its position, exit 2, and nothing half-written.

use assert_cmd::Command;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn aikg() -> Command {
    Command::cargo_bin("aikg").unwrap()
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

fn stdout_of(cmd: &mut Command) -> Vec<u8> {
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "command failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

const COUNTRIES: &str = "SELECT ?country ?label WHERE { ?country a aikg:Country ; rdfs:label ?label FILTER(LANG(?label) = \"en\") } ORDER BY ?label";

/// Parses SPARQL results and returns the rows as (variable, value) strings:
/// oxigraph's reader for JSON, XML and TSV; CSV (which the W3C calls lossy
/// and oxigraph does not read back) by RFC 4180 rules.
fn parse_results(format: QueryResultsFormat, bytes: &[u8]) -> Vec<Vec<(String, String)>> {
    if format == QueryResultsFormat::Csv {
        return parse_csv(std::str::from_utf8(bytes).unwrap());
    }
    match QueryResultsParser::from_format(format)
        .for_slice(bytes)
        .unwrap()
    {
        SliceQueryResultsParserOutput::Solutions(solutions) => solutions
            .map(|s| {
                let s = s.unwrap();
                s.iter()
                    .map(|(v, t)| (v.as_str().to_string(), t.to_string()))
                    .collect()
            })
            .collect(),
        SliceQueryResultsParserOutput::Boolean(_) => panic!("expected solutions"),
    }
}

fn parse_csv(text: &str) -> Vec<Vec<(String, String)>> {
    let mut records = Vec::new();
    let (mut record, mut field, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (c, _) => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quoted CSV field");
    let header = records.remove(0);
    records
        .into_iter()
        .map(|r| {
            assert_eq!(r.len(), header.len(), "CSV row width");
            header
                .iter()
                .cloned()
                .zip(r)
                .filter(|(_, v)| !v.is_empty())
                .collect()
        })
        .collect()
}

#[test]
fn select_results_parse_back_in_every_w3c_format() {
    let mut expected = None;
    for (name, format) in [
        ("json", QueryResultsFormat::Json),
        ("xml", QueryResultsFormat::Xml),
        ("tsv", QueryResultsFormat::Tsv),
        ("csv", QueryResultsFormat::Csv),
    ] {
        let out = stdout_of(aikg().args(["query", COUNTRIES, "--format", name]));
        let rows = parse_results(format, &out);
        let labels: Vec<String> = rows
            .iter()
            .filter_map(|r| r.iter().find(|(v, _)| v == "label").map(|(_, t)| t.clone()))
            .map(|t| t.split('"').nth(1).unwrap_or(&t).to_string())
            .collect();
        // The report is about Korea and France; the article about Vietnam.
        for country in ["France", "Republic of Korea", "Vietnam"] {
            assert!(
                labels.iter().any(|l| l == country),
                "{name}: {country} missing in {labels:?}"
            );
        }
        match &expected {
            None => expected = Some(labels),
            Some(first) => assert_eq!(first, &labels, "{name} disagrees with json"),
        }
    }
}

#[test]
fn ask_results_parse_back() {
    for (name, format) in [
        ("json", QueryResultsFormat::Json),
        ("xml", QueryResultsFormat::Xml),
    ] {
        let out = stdout_of(aikg().args([
            "query",
            "ASK { id:ETRI aikg:locatedIn id:Daejeon }",
            "--format",
            name,
        ]));
        match QueryResultsParser::from_format(format)
            .for_slice(&out)
            .unwrap()
        {
            SliceQueryResultsParserOutput::Boolean(value) => {
                assert!(value, "ETRI is in Daejeon (report, II.1)")
            }
            SliceQueryResultsParserOutput::Solutions(_) => panic!("expected a boolean"),
        }
    }
}

#[test]
fn construct_output_reparses_as_rdf() {
    let construct = "CONSTRUCT { ?x aikg:locatedIn ?place } WHERE { ?x aikg:locatedIn ?place }";
    for (name, format) in [
        ("ttl", RdfFormat::Turtle),
        ("nt", RdfFormat::NTriples),
        (
            "jsonld",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
    ] {
        let out = stdout_of(aikg().args(["query", construct, "--format", name]));
        let quads: Vec<_> = RdfParser::from_format(format)
            .for_slice(&out)
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{name} does not re-parse: {e}"));
        assert!(
            quads
                .iter()
                .any(|q| q.subject.to_string() == "<https://w3id.org/aikg/id/ETRI>"),
            "{name}"
        );
    }
}

#[test]
fn table_is_aligned_and_counts_rows() {
    let out = stdout_of(aikg().args(["query", COUNTRIES, "--format", "table"]));
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("country"));
    let bar = lines[0].find('│').unwrap();
    assert!(
        lines[2..lines.len() - 1]
            .iter()
            .all(|l| l.find('│') == Some(bar)),
        "{text}"
    );
    assert!(lines.last().unwrap().ends_with("rows)"));
}

#[test]
fn query_reads_rq_files_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("q.rq");
    std::fs::write(&file, "SELECT ?x WHERE { ?x aikg:acronym \"ETRI\" }").unwrap();
    let out = stdout_of(aikg().args(["query", file.to_str().unwrap(), "--format", "tsv"]));
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("<https://w3id.org/aikg/id/ETRI>"));
    let out = stdout_of(
        aikg()
            .args(["query", "-", "--format", "tsv"])
            .write_stdin("SELECT ?x WHERE { ?x aikg:acronym \"KAIST\" }"),
    );
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("<https://w3id.org/aikg/id/KAIST>"));
}

#[test]
fn works_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    aikg()
        .current_dir(dir.path())
        .args([
            "query",
            "ASK { id:KAIST a aikg:University }",
            "--format",
            "tsv",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("true"));
}

// ---- bad input: one test each ------------------------------------------

fn data_dir_with(file: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let name = Path::new(file).file_name().unwrap();
    std::fs::copy(fixture(file), dir.path().join(name)).unwrap();
    dir
}

#[test]
fn turtle_syntax_error_has_position() {
    let dir = data_dir_with("bad/syntax.ttl");
    aikg()
        .args(["stats", "--data", dir.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("syntax.ttl:4:").and(predicate::str::contains("syntax error")),
        )
        .stderr(predicate::str::contains("hint:"));
}

#[test]
fn unknown_prefix_has_position() {
    let dir = data_dir_with("bad/unknown-prefix.ttl");
    aikg()
        .args(["stats", "--data", dir.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown-prefix.ttl:3:")
                .and(predicate::str::contains("unknown prefix aikgg:")),
        )
        .stderr(predicate::str::contains("@prefix"));
}

#[test]
fn non_utf8_file_is_refused_with_position() {
    let dir = data_dir_with("bad/latin1.nt");
    aikg()
        .args(["stats", "--data", dir.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "latin1.nt:1:51: the file is not UTF-8 (byte 0xE9)",
        ))
        .stderr(predicate::str::contains("iconv"));
}

#[test]
fn empty_file_is_refused() {
    let dir = data_dir_with("bad/empty.ttl");
    aikg()
        .args(["stats", "--data", dir.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "empty.ttl:1:1: the file holds no triples",
        ));
}

#[test]
fn sparql_syntax_error_has_query_position() {
    aikg()
        .args(["query", "SELECT ?s WHERE {\n  ?s ?p \n}"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("<argument>:3:")
                .and(predicate::str::contains("SPARQL syntax error")),
        );
}

#[test]
fn unknown_named_query_suggests_names() {
    aikg()
        .args([
            "query",
            "--data",
            fixture("mini").to_str().unwrap(),
            "by-labl",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no named query `by-labl`")
                .and(predicate::str::contains("did you mean by-label")),
        );
}

#[test]
fn missing_parameter_is_an_error() {
    aikg()
        .args([
            "query",
            "--data",
            fixture("mini").to_str().unwrap(),
            "by-label",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("needs the parameter `label`")
                .and(predicate::str::contains("--param label=")),
        );
}

#[test]
fn ill_typed_parameter_is_an_error() {
    aikg()
        .args([
            "query",
            "--data",
            fixture("mini").to_str().unwrap(),
            "in-year",
            "--param",
            "year=2023-13",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a valid gYear"));
    aikg()
        .args([
            "query",
            "--data",
            fixture("mini").to_str().unwrap(),
            "in-year",
            "--param",
            "yaer=2023",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("has no parameter `yaer`")
                .and(predicate::str::contains("year (gYear)")),
        );
}

#[test]
fn parameter_values_cannot_inject_sparql() {
    let mini = fixture("mini");
    // Pasted into the text, this value would close the filter and match everything.
    let attack = r#"x") || true || STR(?l) = ("x"#;
    let out = stdout_of(aikg().args([
        "query",
        "--data",
        mini.to_str().unwrap(),
        "by-label",
        "--param",
        &format!("label={attack}"),
        "--format",
        "tsv",
    ]));
    assert_eq!(
        String::from_utf8(out).unwrap().lines().count(),
        1,
        "only the header: the value is one literal"
    );
    // The same query with an honest value finds both hubs.
    let out = stdout_of(aikg().args([
        "query",
        "--data",
        mini.to_str().unwrap(),
        "by-label",
        "--param",
        "label=AI Hub",
        "--format",
        "tsv",
    ]));
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 3);
}

#[test]
fn ambiguous_entity_lists_candidates() {
    aikg()
        .args([
            "explain",
            "--data",
            fixture("mini").to_str().unwrap(),
            "ai hub",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("ambiguous")
                .and(predicate::str::contains("id:Hub-A"))
                .and(predicate::str::contains("id:Hub-B")),
        );
    // Unambiguous names: acronym, French label, prefixed name, any case.
    for name in [
        "hb",
        "Hub B",
        "id:Hub-B",
        "<https://w3id.org/aikg/id/Hub-B>",
    ] {
        aikg()
            .args(["explain", "--data", fixture("mini").to_str().unwrap(), name])
            .assert()
            .success()
            .stdout(predicate::str::contains("id:Hub-B"));
    }
}

fn store_quads(store: &Path) -> String {
    let out = stdout_of(aikg().args([
        "query",
        "--store",
        store.to_str().unwrap(),
        "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
        "--format",
        "tsv",
    ]));
    String::from_utf8(out).unwrap()
}

#[test]
fn failed_load_leaves_the_store_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    aikg()
        .args([
            "load",
            "--store",
            store.to_str().unwrap(),
            fixture("bad/good.nt").to_str().unwrap(),
        ])
        .assert()
        .success();
    let before = store_quads(&store);
    assert_eq!(before.lines().count(), 3, "{before}");
    // half.nt has a good first line and a broken second one.
    aikg()
        .args([
            "load",
            "--store",
            store.to_str().unwrap(),
            fixture("mini/data/mini.trig").to_str().unwrap(),
            fixture("bad/half.nt").to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("half.nt:2:")
                .and(predicate::str::contains("store is unchanged")),
        );
    assert_eq!(store_quads(&store), before);
}

#[test]
fn failed_load_into_a_new_store_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("new-store");
    aikg()
        .args([
            "load",
            "--store",
            store.to_str().unwrap(),
            fixture("bad/half.nt").to_str().unwrap(),
        ])
        .assert()
        .code(2);
    assert!(!store.exists());
}

#[test]
fn load_reads_every_format_and_queries_see_all_graphs() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let jsonld = dir.path().join("x.jsonld");
    std::fs::write(&jsonld, r#"{"@id": "http://example.org/j", "http://example.org/p": {"@id": "http://example.org/k"}}"#).unwrap();
    let rdfxml = dir.path().join("x.rdf");
    std::fs::write(
        &rdfxml,
        r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/r"><ex:p rdf:resource="http://example.org/s"/></rdf:Description></rdf:RDF>"#,
    )
    .unwrap();
    aikg()
        .args([
            "load",
            "--store",
            store.to_str().unwrap(),
            fixture("bad/good.nt").to_str().unwrap(),
            fixture("mini/data/mini.trig").to_str().unwrap(),
            jsonld.to_str().unwrap(),
            rdfxml.to_str().unwrap(),
        ])
        .assert()
        .success();
    let out = stdout_of(aikg().args([
        "query",
        "--store",
        store.to_str().unwrap(),
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "--format",
        "csv",
    ]));
    // 2 (nt) + 1 + 1 (jsonld, rdf/xml) + 2 (mini.trig's passage) in the
    // default graph, and 11 in mini.trig's passage graph.
    assert_eq!(String::from_utf8(out).unwrap().lines().nth(1), Some("17"));
}

#[test]
fn an_entity_is_named_by_its_slug_with_spaces() {
    // id:AI-Star-Fellowship has the labels "programme AI Star Fellowship"@fr
    // and "AI Star Fellowship programme"@en; its slug, read with spaces, names it.
    aikg()
        .args(["explain", "ai star fellowship"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "AI Star Fellowship programme — id:AI-Star-Fellowship",
        ));
}

/// Runs aikg with its stdout into a pipe that is closed after the first
/// line, as `aikg ... | head -1` does, and returns the exit status and stderr.
fn run_into_closed_pipe(args: &[&str]) -> (std::process::ExitStatus, String) {
    use std::io::{BufRead, Read};
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("aikg"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty(), "{args:?} wrote nothing");
    // The reader is dropped here: the pipe is closed with output still to come.
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (child.wait().unwrap(), stderr)
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // Each writes far more than a pipe holds (64 KiB), so the pipe is closed
    // while aikg is still writing.
    for args in [
        &["query", "SELECT * WHERE { ?s ?p ?o }", "--format", "tsv"][..],
        &["export", "dot"],
        &["dump"],
    ] {
        let (status, stderr) = run_into_closed_pipe(args);
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("error") && !stderr.contains("Broken pipe"),
            "{args:?} said: {stderr}"
        );
    }
}

#[test]
fn an_unknown_sparql_prefix_is_named_with_its_declaration() {
    aikg()
        .args(["query", "SELECT * WHERE { ?s dbo:name ?o }"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("<argument>:1:21: unknown prefix dbo:")
                .and(predicate::str::contains(
                    "PREFIX dbo: <http://dbpedia.org/ontology/>",
                ))
                .and(predicate::str::contains("['").not()),
        );
    // A prefix nobody knows still gets the form of its declaration.
    aikg()
        .args(["query", "SELECT * WHERE {\n  ?s zz:p ?o }"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("<argument>:2:6: unknown prefix zz:")
                .and(predicate::str::contains("PREFIX zz: <")),
        );
}

#[test]
fn a_misspelt_sparql_keyword_gets_a_suggestion() {
    aikg()
        .args(["query", "SELECT * WHERE { ?s ?p ?o FILTR(?o > 1) }"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "<argument>:1:27: unknown keyword FILTR: did you mean FILTER?",
        ));
    aikg()
        .args(["query", "SELECT ?s WHERE { ?s ?p ?o } ORDR BY ?s"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean ORDER?"));
}

#[test]
fn a_query_path_that_does_not_exist_is_no_such_file() {
    for path in ["missing/q.sparql", "nosuch.rq", "./q.txt"] {
        aikg().args(["query", path]).assert().code(2).stderr(
            predicate::str::contains(format!("{path}: no such file"))
                .and(predicate::str::contains("syntax error").not()),
        );
    }
}

#[test]
fn an_update_given_to_query_points_to_aikg_update() {
    aikg()
        .args(["query", "INSERT DATA { <http://e/a> <http://e/p> 1 }"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("a SPARQL UPDATE, not a query")
                .and(predicate::str::contains("aikg update")),
        );
}

#[test]
fn an_unbounded_depth_stops_when_nothing_is_left() {
    let depth = u64::MAX.to_string();
    for args in [
        &["neighbors", "ETRI", "--depth", depth.as_str()][..],
        &[
            "export",
            "dot",
            "--focus",
            "ETRI",
            "--depth",
            depth.as_str(),
        ],
    ] {
        aikg()
            .args(args)
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .success();
    }
}

/// An N-Triples file of `nodes` typed nodes in a chain.
fn chain_graph(dir: &Path, nodes: usize) -> PathBuf {
    let path = dir.join("chain.nt");
    let mut text = String::new();
    for i in 0..nodes {
        text.push_str(&format!(
            "<http://e/n{i}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/aikg/ontology#Organization> .\n"
        ));
        if i + 1 < nodes {
            text.push_str(&format!(
                "<http://e/n{i}> <https://w3id.org/aikg/ontology#partnersWith> <http://e/n{}> .\n",
                i + 1
            ));
        }
    }
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_huge_svg_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let graph = chain_graph(dir.path(), 20_000);
    // A `dot` that would fail: it must not be started at all.
    let out = dir.path().join("big.svg");
    aikg()
        .env("AIKG_DOT", "/nonexistent/dot")
        .args(["export", "svg"])
        .arg(&graph)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("20000 nodes").and(predicate::str::contains("--force")));
    assert!(!out.exists());
    // With --force, dot is started (and here, fails to be found).
    aikg()
        .env("AIKG_DOT", "/nonexistent/dot")
        .args(["export", "svg", "--force"])
        .arg(&graph)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/dot"));
}

#[cfg(unix)]
#[test]
fn sigterm_during_svg_kills_dot_and_leaves_no_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // A `dot` that records its pid and never finishes.
    let pid_file = dir.path().join("dot.pid");
    let fake_dot = dir.path().join("slow-dot");
    std::fs::write(
        &fake_dot,
        format!(
            "#!/bin/sh\necho $$ > {}\nexec sleep 600\n",
            pid_file.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&fake_dot, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("aikg"))
        .env("AIKG_DOT", &fake_dot)
        .args(["export", "svg", "-o"])
        .arg(out_dir.join("picture.svg"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !pid_file.exists()
        || std::fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .is_empty()
    {
        assert!(started.elapsed().as_secs() < 60, "dot was never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let dot_pid: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert!(!status.success());
    // The child is gone (kill -0 fails), or at worst a zombie of init.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let alive = |pid: i32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| !stat.contains(") Z "))
    };
    while alive(dot_pid) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let was_alive = alive(dot_pid);
    if was_alive {
        unsafe { libc::kill(dot_pid, libc::SIGKILL) };
    }
    assert!(
        !was_alive,
        "dot (pid {dot_pid}) still runs after aikg got SIGTERM"
    );
    let left: Vec<_> = std::fs::read_dir(&out_dir).unwrap().collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
}

/// A store holding one person with a name, and shapes that want every
/// person to have one.
fn person_store(dir: &Path) -> (PathBuf, PathBuf) {
    let data = dir.join("people.ttl");
    std::fs::write(
        &data,
        "@prefix ex: <http://e/> .\nex:a a ex:Person ; ex:name \"A\" .\n",
    )
    .unwrap();
    let shapes = dir.join("shapes.ttl");
    std::fs::write(
        &shapes,
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://e/> .\nex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;\n  sh:property [ sh:path ex:name ; sh:minCount 1 ] .\n",
    )
    .unwrap();
    let store = dir.join("store");
    aikg()
        .arg("load")
        .arg("--store")
        .arg(&store)
        .arg(&data)
        .assert()
        .success();
    (store, shapes)
}

#[test]
fn update_changes_a_store_in_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = person_store(dir.path());
    aikg()
        .arg("update")
        .arg("--store")
        .arg(&store)
        .arg("PREFIX ex: <http://e/> INSERT DATA { ex:b a ex:Person ; ex:name \"B\" }")
        .assert()
        .success();
    assert!(store_quads(&store).contains("<http://e/b>\t<http://e/name>\t\"B\""));
    // The second operation fails: the first does not stay.
    let before = store_quads(&store);
    aikg()
        .arg("update")
        .arg("--store")
        .arg(&store)
        .arg(
            "INSERT DATA { <http://e/c> <http://e/name> \"C\" } ; LOAD <file:///nonexistent/x.ttl>",
        )
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing was changed"));
    assert_eq!(store_quads(&store), before);
    // From a file, and a query given to update points to aikg query.
    let file = dir.path().join("delete.ru");
    std::fs::write(&file, "DELETE WHERE { <http://e/b> ?p ?o }").unwrap();
    aikg()
        .arg("update")
        .arg("--store")
        .arg(&store)
        .arg(&file)
        .assert()
        .success();
    assert!(!store_quads(&store).contains("<http://e/b>"));
    aikg()
        .arg("update")
        .arg("--store")
        .arg(&store)
        .arg("SELECT * WHERE { ?s ?p ?o }")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("aikg query"));
}

#[test]
fn update_is_refused_by_the_shapes_it_would_violate_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let (store, shapes) = person_store(dir.path());
    let before = store_quads(&store);
    let nameless = "INSERT DATA { <http://e/b> a <http://e/Person> }";
    aikg()
        .arg("update")
        .arg("--store")
        .arg(&store)
        .arg("--shapes")
        .arg(&shapes)
        .arg(nameless)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("http://e/b"))
        .stderr(
            predicate::str::contains("nothing was changed")
                .and(predicate::str::contains("--force")),
        );
    assert_eq!(store_quads(&store), before);
    aikg()
        .arg("update")
        .arg("--store")
        .arg(&store)
        .arg("--shapes")
        .arg(&shapes)
        .arg("--force")
        .arg(nameless)
        .assert()
        .success()
        .stderr(predicate::str::contains("warning"));
    assert!(store_quads(&store)
        .contains("<http://e/b>\t<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"));
}

#[test]
fn query_output_file_takes_its_format_from_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("countries.json");
    aikg()
        .args(["query", COUNTRIES, "-o"])
        .arg(&json)
        .assert()
        .success()
        .stdout("");
    let rows = parse_results(QueryResultsFormat::Json, &std::fs::read(&json).unwrap());
    let tsv = stdout_of(aikg().args(["query", COUNTRIES, "--format", "tsv"]));
    assert_eq!(rows, parse_results(QueryResultsFormat::Tsv, &tsv));
    assert!(rows.len() >= 3);
    // --format wins over the extension.
    let out = dir.path().join("countries.json");
    aikg()
        .args(["query", COUNTRIES, "--format", "csv", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("country,label\r\n"));
    // A graph to .nt is N-Triples.
    let nt = dir.path().join("g.nt");
    aikg()
        .args([
            "query",
            "CONSTRUCT { ?c a aikg:Country } WHERE { ?c a aikg:Country }",
            "-o",
        ])
        .arg(&nt)
        .assert()
        .success();
    let text = std::fs::read_to_string(&nt).unwrap();
    let triples: Vec<_> = RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(text.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(triples.len() >= 3);
    assert_eq!(triples.len(), text.lines().count());
    // A failing query leaves the old file as it was, and no temporary file.
    std::fs::write(&nt, "old").unwrap();
    aikg()
        .args(["query", "SELECT * WHERE {", "-o"])
        .arg(&nt)
        .assert()
        .code(2);
    assert_eq!(std::fs::read_to_string(&nt).unwrap(), "old");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    // An extension that names no format is an error before anything runs.
    aikg()
        .args(["query", COUNTRIES, "-o"])
        .arg(dir.path().join("x.docx"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--format"));
}

#[test]
fn tables_fit_the_width_unless_wide() {
    let query = "SELECT ?x ?label WHERE { ?x rdfs:label ?label FILTER(STRLEN(?label) > 70) } ORDER BY ?x LIMIT 5";
    let fitted = stdout_of(
        aikg()
            .env("COLUMNS", "60")
            .args(["query", query, "--format", "table"]),
    );
    let fitted = String::from_utf8(fitted).unwrap();
    assert!(fitted.lines().all(|l| l.chars().count() <= 60), "{fitted}");
    assert!(fitted.contains('…'), "{fitted}");
    let wide = stdout_of(
        aikg()
            .env("COLUMNS", "60")
            .args(["query", query, "--format", "table", "--wide"]),
    );
    let wide = String::from_utf8(wide).unwrap();
    assert!(wide.lines().any(|l| l.chars().count() > 70), "{wide}");
    assert!(!wide.contains('…'));
    // The same rows: each fitted line is a prefix of its wide line, but for the cut.
    assert_eq!(fitted.lines().count(), wide.lines().count());
}

#[test]
fn quiet_verbose_and_color() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let file = fixture("bad/good.nt");
    aikg()
        .args(["load", "--store"])
        .arg(&store)
        .arg(&file)
        .assert()
        .success()
        .stderr(predicate::str::contains("loaded 2 quads"));
    aikg()
        .args(["-q", "load", "--store"])
        .arg(&store)
        .arg(&file)
        .assert()
        .success()
        .stderr("");
    // -q after the command too (a global flag); errors are still said.
    aikg()
        .args(["query", "--limit", "1", "-q", COUNTRIES])
        .assert()
        .success()
        .stderr("");
    aikg()
        .args(["query", "--limit", "1", COUNTRIES])
        .assert()
        .success()
        .stderr(predicate::str::contains("note: stopped at --limit 1"));
    aikg()
        .args(["-q", "query", "SELECT * WHERE {"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error: "));
    aikg()
        .args(["-v", "export", "dot"])
        .assert()
        .success()
        .stderr(predicate::str::contains("timing:"));
    aikg()
        .args(["--color", "always", "query", "SELECT * WHERE {"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("\x1b[1;31merror\x1b[0m: "));
    for color in [&["--color", "never"][..], &[]] {
        aikg()
            .args(color)
            .args(["query", "SELECT * WHERE {"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("\x1b[").not());
    }
}

#[test]
fn completions_and_man_page_come_from_the_options() {
    let bash = String::from_utf8(stdout_of(aikg().args(["completions", "bash"]))).unwrap();
    assert!(bash.contains("complete -F _aikg"), "{bash}");
    // Every command and a command's own flag are completed.
    for word in ["query", "update", "export", "--wide", "--force"] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    let zsh = String::from_utf8(stdout_of(aikg().args(["completions", "zsh"]))).unwrap();
    assert!(zsh.starts_with("#compdef aikg"));
    let man = String::from_utf8(stdout_of(aikg().arg("man"))).unwrap();
    assert!(
        man.starts_with(".ie") || man.contains(".TH aikg 1"),
        "{man}"
    );
    assert!(man.contains(".TH aikg 1"));
    assert!(man.contains("update"));
    aikg()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("possible values"));
}

#[test]
fn every_result_format_ends_with_a_newline() {
    for format in ["json", "xml", "csv", "tsv", "table"] {
        for query in [COUNTRIES, "ASK { ?s ?p ?o }"] {
            let out = stdout_of(aikg().args(["query", query, "--format", format]));
            assert_eq!(out.last(), Some(&b'\n'), "{format}: {query}");
        }
    }
    for format in ["ttl", "nt", "jsonld", "rdfxml", "trig", "nq"] {
        let out = stdout_of(aikg().args([
            "query",
            "CONSTRUCT { ?c a aikg:Country } WHERE { ?c a aikg:Country }",
            "--format",
            format,
        ]));
        assert_eq!(out.last(), Some(&b'\n'), "{format}");
    }
}

/// Someone else's data: six triples, no rdf:type, no passages, all in the
/// default graph.
fn plain_folder() -> PathBuf {
    fixture("plain")
}

#[test]
fn query_on_a_plain_folder_sees_only_its_triples() {
    let out = stdout_of(aikg().arg("--data").arg(plain_folder()).args([
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "--format",
        "csv",
    ]));
    assert_eq!(String::from_utf8(out).unwrap(), "n\r\n6\r\n");
}

#[test]
fn export_draws_resources_without_a_type() {
    let out = stdout_of(
        aikg()
            .args(["export", "json"])
            .arg(plain_folder().join("people.ttl")),
    );
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let elements = json["elements"].as_object().map_or_else(
        || json.as_array().cloned().unwrap_or_default(),
        |e| {
            e["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .chain(e["edges"].as_array().unwrap())
                .cloned()
                .collect()
        },
    );
    let edges = elements
        .iter()
        .filter(|e| e["data"].get("source").is_some())
        .count();
    let nodes = elements.len() - edges;
    assert_eq!((nodes, edges), (3, 2), "{json}");
}

#[test]
fn explain_shows_facts_of_the_default_graph() {
    aikg()
        .arg("--data")
        .arg(plain_folder())
        .args(["explain", "<http://example.org/b>"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("3 facts from 0 passages")
                .and(predicate::str::contains(
                    "(default graph: no source passage)",
                ))
                .and(predicate::str::contains("\"B\"")),
        );
}

#[test]
fn stats_on_a_plain_folder_counts_its_subjects() {
    aikg()
        .arg("--data")
        .arg(plain_folder())
        .arg("stats")
        .assert()
        .success()
        .stdout(
            predicate::str::starts_with(
                "3 subjects (3 without rdf:type), 6 triples, no source passages",
            )
            .and(predicate::str::contains("(no rdf:type)")),
        );
}

/// A parameter of type class is answered among the classes: a misspelt
/// kind names the nearest class, not entities of that class.
#[test]
fn a_misspelt_class_parameter_suggests_the_class() {
    aikg()
        .args(["query", "statements", "--param", "kind=goall"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no class \"goall\" in the graph"))
        .stderr(predicate::str::contains("did you mean aikg:Goal?"));
}
