//! aikg on a production triple store, for real: a throw-away Virtuoso 7
//! (tests/support/virtuoso.sh) on free loopback ports. The bundled graph is
//! pushed, and every reading command must answer through `--endpoint` as it
//! answers on the embedded store; pushing is validated, idempotent, and a
//! push killed halfway leaves each graph as it was or as pushed.
//!
//! (tests/support/remote_ci.sh also runs the competency tests against the
//! endpoint.) Skipped, with a message, only where Virtuoso is not installed.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/virtuoso.rs"]
mod virtuoso;

use assert_cmd::Command;
use cli::{aikg, auth_file};
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Duration;
use virtuoso::Virtuoso;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `aikg ARGS` against the store.
fn remote(v: &Virtuoso) -> Command {
    let mut cmd = aikg();
    cmd.args(["--endpoint", &v.endpoint, "--graph-store", &v.graph_store]);
    cmd
}

fn output(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Loads `file` into an embedded store in `dir` (returned) and pushes it
/// (with --force) into the store.
fn load_and_push(v: &Virtuoso, dir: &Path, file: &Path) -> PathBuf {
    let store = dir.join("store");
    aikg()
        .args(["load", "--store"])
        .arg(&store)
        .arg(file)
        .assert()
        .success();
    remote(v)
        .args(["push", "--force"])
        .arg(file)
        .assert()
        .success();
    store
}

fn push_bundled(v: &Virtuoso) {
    remote(v).arg("push").assert().success();
}

/// The named queries and example values of their required parameters (as
/// tests/competency.rs gives them).
fn named_queries() -> Vec<(String, Vec<String>, bool)> {
    let example = |name: &str| match name {
        "place" => "id:Korea",
        "organisation" => "Inria",
        "launcher" => "MSIT",
        "month" => "2024-11",
        "country" => "id:Vietnam",
        "entity" | "recipient" => "K-Cloud",
        "about" => "id:Vietnam",
        "topic" => "id:Topic-AI",
        "by" => "MSIT",
        other => panic!("no example value for the parameter {other}"),
    };
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut args = Vec::new();
        for line in text.lines() {
            if let Some(decl) = line.strip_prefix("# param:") {
                let mut words = decl.split_whitespace();
                let name = words.next().unwrap();
                if !decl.contains(" optional") {
                    args.push("--param".to_string());
                    args.push(format!("{name}={}", example(name)));
                }
            }
        }
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let has_lang = text.contains("# param: lang ");
        out.push((name, args, has_lang));
    }
    out
}

#[test]
fn every_reading_command_answers_on_the_store_as_on_the_embedded_graph() {
    let v = Virtuoso::shared();
    let _turn = Virtuoso::turn();
    push_bundled(v);
    let mut commands: Vec<Vec<String>> = named_queries()
        .into_iter()
        .flat_map(|(name, params, has_lang)| {
            let mut plain = vec!["query".to_string(), name];
            plain.extend(params);
            plain.extend(["--format".into(), "tsv".into()]);
            let mut french = plain.clone();
            french.extend(["--param".into(), "lang=fr".into()]);
            if has_lang {
                vec![plain, french]
            } else {
                vec![plain]
            }
        })
        .collect();
    for command in [
        "explain ETRI",
        "explain K-Cloud --format json",
        "explain Inria",
        "export dot --focus KAIST --depth 2",
        "export dot --focus ETRI",
        "export json --focus MSIT --reify",
        "export dot --cluster country --without Topic",
        "export graphml --relations funds,launchedBy",
        "stats",
        "path KAIST Inria",
        "neighbors ETRI --depth 2",
        "rank --by betweenness",
        "rank --by pagerank --classes Organization",
        "components",
        "check",
        "query --format tsv SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    ] {
        let mut words: Vec<String> = command.split(' ').map(String::from).collect();
        if words[0] == "query" {
            // The query text is one argument.
            let text = words.split_off(3).join(" ");
            words.push(text);
        }
        commands.push(words);
    }
    let mut differ = Vec::new();
    let mut known = Vec::new();
    for command in &commands {
        // aikg reasons over a local graph only: the embedded graph is read
        // without reasoning, as the store is (check reasons on both sides,
        // over the data it reads).
        let mut local = aikg();
        if command[0] != "check" {
            local.args(["--reasoning", "none"]);
        }
        let local = local.args(command).output().unwrap();
        let on_store = remote(v).args(command).output().unwrap();
        assert!(
            local.status.success(),
            "{command:?} failed on the embedded store: {}",
            String::from_utf8_lossy(&local.stderr)
        );
        let same = local.stdout == on_store.stdout && on_store.status.success();
        // check locates findings by file:line locally, by graph on the store:
        // the same findings, differently placed.
        let same = same
            || (command[0] == "check"
                && on_store.status.code() == local.status.code()
                && summary(&local.stdout) == summary(&on_store.stdout));
        if !same && on_store.status.success() && VIRTUOSO_PATH_BUGS.contains(&command[1].as_str()) {
            // A known Virtuoso defect: said, not hidden, and not counted.
            known.push(format!("{command:?}"));
        } else if !same {
            differ.push(format!(
                "{command:?}:\n  embedded: {}\n  store: {} {}",
                first_lines(&local.stdout),
                first_lines(&on_store.stdout),
                String::from_utf8_lossy(&on_store.stderr)
            ));
        }
    }
    if !known.is_empty() {
        eprintln!(
            "NOTE: Virtuoso answered these differently, as its property-path defects make it do (docs/SCALING.md): {}",
            known.join(", ")
        );
    }
    assert!(
        differ.is_empty(),
        "{} of {} commands answer differently on Virtuoso:\n{}",
        differ.len(),
        commands.len(),
        differ.join("\n")
    );
}

/// Named queries whose answer Virtuoso 7.2 gets wrong on some databases
/// and not on others (its plan, hence its answer, follows its statistics):
/// zero-or-more paths with one end bound lose rows or bind the wrong node
/// (virtuoso-opensource issues 127, 704, 1078). See docs/SCALING.md.
const VIRTUOSO_PATH_BUGS: &[&str] = &["korean-partners", "units"];

fn first_lines(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .take(4)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The summary table of a check report (from its line "shape ...").
fn summary(report: &[u8]) -> String {
    let text = String::from_utf8_lossy(report);
    text.lines()
        .skip_while(|l| !l.trim_start().starts_with("shape "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every graph of the store whose IRI starts with `prefix`, with its
/// triples in N-Triples, sorted.
fn graphs(v: &Virtuoso, prefix: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let text = format!(
        "SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), \"{prefix}\")) }}"
    );
    let names = output(aikg().args([
        "--endpoint",
        &v.endpoint,
        "--default-graph",
        "urn:x:none",
        "query",
        "--format",
        "tsv",
        &text,
    ]));
    let mut out = std::collections::BTreeMap::new();
    for g in names.lines().skip(1) {
        let g = g.trim_matches(|c| c == '<' || c == '>');
        let text = format!("SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}");
        let rows = output(aikg().args([
            "--endpoint",
            &v.endpoint,
            "--default-graph",
            "urn:x:none",
            "query",
            "--format",
            "tsv",
            &text,
        ]));
        let mut lines: Vec<String> = rows.lines().skip(1).map(String::from).collect();
        lines.sort();
        out.insert(g.to_string(), lines);
    }
    out
}

/// A TriG file of `graphs` passages of `per` facts each, about entities
/// whose labels carry `version`, under `https://test.example/TAG/`.
fn dataset(dir: &Path, tag: &str, name: &str, graphs: usize, per: usize, version: &str) -> PathBuf {
    let mut text = String::from(
        "@prefix aikg: <https://w3id.org/aikg/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n",
    );
    for g in 0..graphs {
        text.push_str(&format!("<https://test.example/{tag}/g/{g}> {{\n"));
        for i in 0..per {
            text.push_str(&format!(
                "  <https://test.example/{tag}/e/{g}-{i}> a aikg:Topic ; rdfs:label \"topic {g}-{i} {version}\"@en .\n"
            ));
        }
        text.push_str("}\n");
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn pushing_twice_sends_nothing_and_changes_nothing() {
    let v = Virtuoso::shared();
    let _turn = Virtuoso::turn();
    let dir = tempfile::tempdir().unwrap();
    let data = dataset(dir.path(), "twice", "a.trig", 20, 10, "a");
    remote(v).arg("push").arg(&data).assert().success();
    let before = graphs(v, "https://test.example/twice/g/");
    let manifest_before = graphs(v, "https://w3id.org/aikg/push/manifest");
    remote(v)
        .arg("push")
        .arg(&data)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "pushed 0 named graphs (20 unchanged, not sent), 0 triples sent",
        ));
    assert_eq!(before.len(), 20);
    assert_eq!(graphs(v, "https://test.example/twice/g/"), before);
    assert_eq!(
        graphs(v, "https://w3id.org/aikg/push/manifest"),
        manifest_before
    );
}

#[test]
fn replace_drops_the_graphs_of_the_previous_push() {
    let v = Virtuoso::shared();
    let _turn = Virtuoso::turn();
    let dir = tempfile::tempdir().unwrap();
    let five = dataset(dir.path(), "replace", "five.trig", 5, 2, "r");
    let three = dataset(dir.path(), "replace", "three.trig", 3, 2, "r");
    remote(v).arg("push").arg(&five).assert().success();
    // Without --replace the two graphs stay in the store, outside the dataset.
    remote(v)
        .arg("push")
        .arg(&three)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "2 graphs of the previous push not in this one stay in the store",
        ));
    assert_eq!(graphs(v, "https://test.example/replace/g/").len(), 5);
    let seen = output(remote(v).args(["query", "--format", "tsv", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"https://test.example/replace/g/\")) }"]));
    assert_eq!(seen.lines().count(), 1 + 3, "{seen}");
    remote(v).arg("push").arg(&five).assert().success();
    remote(v)
        .args(["push", "--replace"])
        .arg(&three)
        .assert()
        .success()
        .stderr(predicate::str::contains("dropped"));
    assert_eq!(graphs(v, "https://test.example/replace/g/").len(), 3);
}

#[test]
fn data_with_violations_is_not_sent_unless_forced() {
    let v = Virtuoso::shared();
    let _turn = Virtuoso::turn();
    let dir = tempfile::tempdir().unwrap();
    let good = dataset(dir.path(), "violation", "good.trig", 2, 2, "v");
    remote(v).arg("push").arg(&good).assert().success();
    let before = graphs(v, "https://test.example/violation/");
    let bad = dir.path().join("bad.trig");
    std::fs::write(
        &bad,
        "@prefix aikg: <https://w3id.org/aikg/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\
         @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
         <https://test.example/violation/g/bad> { <https://test.example/violation/e/money> a aikg:Funding ; rdfs:label \"money\"@en ;\n\
           aikg:recipient <https://test.example/violation/e/0-0> ; aikg:amount \"-5\"^^xsd:decimal ; aikg:currency \"KRW\" . }\n",
    )
    .unwrap();
    remote(v)
        .arg("push")
        .arg(&bad)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("sh:minExclusive"))
        .stderr(predicate::str::contains(
            "nothing was sent, the store is unchanged",
        ));
    assert_eq!(graphs(v, "https://test.example/violation/"), before);
    remote(v)
        .args(["push", "--force"])
        .arg(&bad)
        .assert()
        .success();
    // The store now holds the violation, and checking it says so.
    remote(v)
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "<https://test.example/violation/g/bad>: violation",
        ));
}

#[test]
fn a_push_killed_halfway_leaves_each_graph_as_it_was_or_as_pushed() {
    // Issue 17 item 12: kill -9 during push.
    let v = Virtuoso::shared();
    let _turn = Virtuoso::turn();
    let dir = tempfile::tempdir().unwrap();
    let old = dataset(dir.path(), "kill", "old.trig", 150, 40, "old");
    let new = dataset(dir.path(), "kill", "new.trig", 150, 40, "new");
    remote(v)
        .args(["push", "--replace"])
        .arg(&old)
        .assert()
        .success();
    let old_graphs = graphs(v, "https://test.example/kill/g/");
    let count = |label: &str| {
        let text = format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(STRENDS(STR(?l), \" {label}\")) }}"
        );
        output(remote(v).args(["query", "--format", "tsv", &text]))
            .lines()
            .nth(1)
            .unwrap()
            .to_string()
    };
    assert_eq!(count("old"), "6000");
    // What the new push writes in each graph: the same triples, relabelled.
    let as_new = |lines: &Vec<String>| {
        let mut new: Vec<String> = lines
            .iter()
            .map(|l| l.replace(" old\"", " new\""))
            .collect();
        new.sort();
        new
    };
    let bin = assert_cmd::cargo::cargo_bin("aikg");
    for delay in [400u64, 1200, 2500] {
        let mut child = std::process::Command::new(&bin)
            .args([
                "--endpoint",
                &v.endpoint,
                "--graph-store",
                &v.graph_store,
                "push",
            ])
            .arg(&new)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        // SIGKILL: no clean-up runs.
        let _ = child.kill();
        let status = child.wait().unwrap();
        // Virtuoso may still be executing the last request it received
        // whole (a graph replaced is briefly empty inside its own
        // transaction's work): the state is read once two reads agree.
        let mut after = graphs(v, "https://test.example/kill/g/");
        for _ in 0..20 {
            std::thread::sleep(Duration::from_millis(300));
            let again = graphs(v, "https://test.example/kill/g/");
            if again == after {
                break;
            }
            after = again;
        }
        assert_eq!(after.len(), 150, "graphs appeared or vanished");
        for (g, content) in &after {
            let was = &old_graphs[g];
            assert!(
                content == was || *content == as_new(was),
                "after a kill at {delay} ms ({status:?}) graph {g} is neither as it was nor as pushed: {} triples",
                content.len()
            );
        }
        // Readers see one whole push: the previous one, or (if the kill came
        // after the manifest) the new one.
        let (o, n) = (count("old"), count("new"));
        assert!(
            (o == "6000" && n == "0") || (o == "0" && n == "6000"),
            "after a kill at {delay} ms, readers see {o} old and {n} new labels"
        );
    }
    // Pushing again finishes the job.
    remote(v).arg("push").arg(&new).assert().success();
    assert_eq!(count("new"), "6000");
    assert_eq!(count("old"), "0");
    let done = graphs(v, "https://test.example/kill/g/");
    assert!(done.iter().all(|(g, c)| *c == as_new(&old_graphs[g])));
}

#[test]
fn a_graph_larger_than_the_stores_answers_is_read_in_pages() {
    // The test instance answers at most 10 000 rows (Virtuoso's default).
    let v = Virtuoso::shared();
    let _turn = Virtuoso::turn();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gen.nt");
    let generated = std::process::Command::new("python3")
        .arg(root().join("benches/generate.py"))
        .args(["--triples", "30000"])
        .output()
        .unwrap();
    assert!(generated.status.success());
    std::fs::write(&file, &generated.stdout).unwrap();
    // --force: the generator's people have French roles only, which the
    // ontology's shapes now refuse (an English translation is required);
    // what is tested here is the paged reading, not the validation.
    remote(v)
        .args(["push", "--replace", "--force", "--batch", "7000"])
        .arg(&file)
        .assert()
        .success();
    let local = output(aikg().args(["export", "dot"]).arg(&file));
    let on_store = output(remote(v).args(["export", "dot"]));
    assert!(local.len() > 1_000_000);
    assert!(local == on_store, "the DOT of the pushed graph differs");
    // A plain query past the store's limit is refused, not cut.
    remote(v)
        .args(["query", "SELECT * WHERE { ?s ?p ?o }", "--format", "tsv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the store cut the answer at 10000 rows",
        ));
}

#[test]
fn digest_credentials_reach_the_authenticated_endpoint() {
    // Virtuoso's /sparql-auth asks for Digest; dba:dba on a fresh database.
    let v = Virtuoso::shared();
    let _turn = Virtuoso::turn();
    push_bundled(v);
    let dir = tempfile::tempdir().unwrap();
    let auth = auth_file(dir.path(), "dba:dba\n");
    let endpoint = format!("http://127.0.0.1:{}/sparql-auth", v.http_port);
    // (A remote store is read as it is: the embedded graph without reasoning.)
    let local = output(aikg().args(["--reasoning", "none", "explain", "KAIST"]));
    let through_auth = output(
        aikg()
            .args(["--endpoint", &endpoint, "--auth-file"])
            .arg(&auth)
            .args(["explain", "KAIST"]),
    );
    assert_eq!(local, through_auth);
    let auth = auth_file(dir.path(), "dba:not-the-password\n");
    aikg()
        .args(["--endpoint", &endpoint, "--auth-file"])
        .arg(&auth)
        .args(["explain", "KAIST"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "HTTP 401: the store refused the credentials (user \"dba\" from --auth-file",
        ));
}

#[test]
fn a_pushed_file_without_named_graphs_shows_no_passage_on_the_store() {
    // Pushed without passages, the store holds aikg's own graphs only (the
    // merge, the names): `GRAPH ?g` must not range over them, as it does
    // not over anything locally.
    let v = Virtuoso::shared();
    let _turn = Virtuoso::turn();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain.nt");
    std::fs::write(
        &file,
        "<https://test.example/plain/a> <http://www.w3.org/2000/01/rdf-schema#label> \"plain a\"@en .\n\
         <https://test.example/plain/a> <https://w3id.org/aikg/ontology#partnersWith> <https://test.example/plain/b> .\n\
         <https://test.example/plain/b> <http://www.w3.org/2000/01/rdf-schema#label> \"plain b\"@en .\n",
    )
    .unwrap();
    let store = load_and_push(v, dir.path(), &file);
    let graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";
    for args in [
        vec!["explain", "<https://test.example/plain/a>"],
        vec!["query", "-f", "csv", graphs],
    ] {
        let local = output(aikg().args(&args).arg("--store").arg(&store));
        let on_store = output(remote(v).args(&args));
        assert_eq!(on_store, local, "{args:?}");
    }
}

#[test]
fn explain_and_focus_read_in_steps_answer_as_the_embedded_store() {
    // explain asks for the statements pointing at the entity first, then
    // its facts and those of the n-ary nodes among their subjects (a
    // blank one found by the pattern); a focus asks for the predicates
    // pointing at a wave of nodes before the statements. What the fixture
    // holds (passages, the default graph, fundings named and blank, a
    // quantity, the ontology's graph) must come out as it does locally.
    let v = Virtuoso::shared();
    let _turn = Virtuoso::turn();
    let dir = tempfile::tempdir().unwrap();
    let file = root().join("tests/fixtures/explain/steps.trig");
    let store = load_and_push(v, dir.path(), &file);
    let mut answers = Vec::new();
    for args in [
        vec!["explain", "<https://test.example/steps/e>"],
        vec!["explain", "<https://test.example/steps/c>"],
        vec![
            "explain",
            "<https://test.example/steps/r>",
            "--format",
            "json",
        ],
        vec![
            "export",
            "dot",
            "--focus",
            "<https://test.example/steps/c>",
            "--depth",
            "2",
        ],
        vec![
            "export",
            "dot",
            "--focus",
            "<https://test.example/steps/e>",
            "--depth",
            "1",
        ],
    ] {
        let local = output(
            aikg()
                .args(["--reasoning", "none"])
                .args(&args)
                .arg("--store")
                .arg(&store),
        );
        let on_store = output(remote(v).args(&args));
        // A blank node's label is each store's own.
        assert_eq!(unlabel(&on_store), unlabel(&local), "{args:?}");
        answers.push(local);
    }
    // What the sources say: the blank funding's amount and the quantity's
    // value explain e, the ontology's graph does not.
    assert!(answers[0].contains("\"7\"^^xsd:integer"), "{}", answers[0]);
    assert!(answers[0].contains("\"3\"^^xsd:integer"), "{}", answers[0]);
    assert!(
        !answers[0].contains("in the ontology only"),
        "{}",
        answers[0]
    );
    assert!(answers[1].contains("\"6\"^^xsd:integer"), "{}", answers[1]);
}

/// `text` with each blank node label (`_:` and what follows, up to a space,
/// a quote or a bracket) replaced by `_:b`.
fn unlabel(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("_:") {
        out.push_str(&rest[..at]);
        out.push_str("_:b");
        rest = &rest[at + 2..];
        let end = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
