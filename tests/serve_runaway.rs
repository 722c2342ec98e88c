//! The limits on a large store: the 1M-triple generated graph
//! (`benches/generate.py`), generated and loaded once into the test target
//! directory and reused. A runaway query is cancelled at the timeout and
//! the server answers the next request at once; `aikg query` has the same
//! timeout, streams its results and stops at --limit.

#[path = "support/server.rs"]
mod server;

use server::{encode, Server};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The 1M-triple store, made on first use.
fn store() -> &'static Path {
    static STORE: OnceLock<PathBuf> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gen-1m");
        let store = dir.join("store");
        let done = dir.join("complete");
        if done.exists() {
            return store;
        }
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let nt = dir.join("gen.nt");
        let generated = Command::new("python3")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/generate.py"))
            .args(["--triples", "1000000"])
            .stdout(std::fs::File::create(&nt).unwrap())
            .status()
            .unwrap();
        assert!(generated.success());
        let loaded = Command::new(server::aikg_binary())
            .args(["load", "--store"])
            .arg(&store)
            .arg(&nt)
            .status()
            .unwrap();
        assert!(loaded.success());
        std::fs::remove_file(&nt).unwrap();
        std::fs::write(&done, "").unwrap();
        store
    })
}

/// One test at a time: each loads the two cores, and the timings would say
/// more about each other than about the timeout.
static SERIAL: Mutex<()> = Mutex::new(());

/// How late a cancellation may come: oxigraph checks its token at each quad
/// it reads, and a cartesian product reads one quad of one side per million
/// combinations with the other (`CartesianProductJoinIterator`), about a
/// second of work on a quiet machine, ten under the load of parallel builds.
/// The bound proves that the query was cancelled (uncancelled, its 10^12
/// combinations take hours); it is not a speed measurement.
const GRANULARITY: Duration = Duration::from_secs(40);

/// Everything against everything: 10^12 pairs.
const RUNAWAY: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }";

/// Organisations, their city and its country: a normal two-hop query.
const TWO_HOPS: &str = "SELECT ?org ?city ?country WHERE { ?org <https://w3id.org/aikg/ontology#locatedIn> ?city . ?city <https://w3id.org/aikg/ontology#locatedIn> ?country } LIMIT 10";

#[test]
fn a_runaway_query_is_cancelled_and_the_server_answers_the_next_at_once() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let store = store().to_str().unwrap();
    let server = Server::start(&[
        "--store",
        store,
        "--timeout",
        "2",
        "--max-concurrent",
        "1",
        "--cache-mib",
        "0",
    ]);
    let started = Instant::now();
    let reply = server.get(&format!("/sparql?query={}", encode(RUNAWAY)), &[]);
    let took = started.elapsed();
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert!(
        reply.text().contains("longer than 2 s and was cancelled"),
        "{}",
        reply.text()
    );
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(2) + GRANULARITY,
        "{took:?}"
    );
    // One evaluation slot: had the runaway kept running, this would wait.
    let started = Instant::now();
    let reply = server.get(
        &format!("/sparql?query={}", encode(TWO_HOPS)),
        &[("Accept", "text/csv")],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.text().lines().count() > 1, "{}", reply.text());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn aikg_query_has_the_same_timeout() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let started = Instant::now();
    let output = Command::new(server::aikg_binary())
        .args([
            "query",
            "--store",
            store().to_str().unwrap(),
            "--timeout",
            "1",
            RUNAWAY,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("longer than 1 s and was cancelled"),
        "{stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1) + GRANULARITY,
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn aikg_query_streams_a_million_rows_and_stops_at_the_limit() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let store = store().to_str().unwrap();
    let count = Command::new(server::aikg_binary())
        .args([
            "query",
            "--store",
            store,
            "--format",
            "csv",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        ])
        .output()
        .unwrap();
    let triples: usize = String::from_utf8_lossy(&count.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert!(triples > 990_000, "{triples}");
    let output = Command::new(server::aikg_binary())
        .args([
            "query",
            "--store",
            store,
            "--format",
            "tsv",
            "SELECT * WHERE { ?s ?p ?o }",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = output.stdout.iter().filter(|b| **b == b'\n').count();
    assert_eq!(lines, triples + 1, "a header and a line per triple");
    assert!(String::from_utf8_lossy(&output.stderr).contains("written in the store's order"));
    let output = Command::new(server::aikg_binary())
        .args([
            "query",
            "--store",
            store,
            "--format",
            "csv",
            "--limit",
            "5",
            "SELECT * WHERE { ?s ?p ?o }",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 6);
    assert!(String::from_utf8_lossy(&output.stderr).contains("stopped at --limit 5"));
    // A result within the limit is whole, without a note.
    let output = Command::new(server::aikg_binary())
        .args([
            "query",
            "--store",
            store,
            "--limit",
            "5",
            "--format",
            "csv",
            "SELECT * WHERE { ?s ?p ?o } LIMIT 2",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 3);
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
