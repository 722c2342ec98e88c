//! kill -9 of the server during Graph Store writes: the store opens
//! afterwards and holds each write whole or not at all.

#[path = "support/server.rs"]
mod server;

use oxhttp::model::Method;
use server::{encode, Server};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

const GRAPH: &str = "https://example.org/crash";

/// `count` triples, each marked with `mark`.
fn body(mark: &str, count: usize) -> Vec<u8> {
    (0..count)
        .map(|i| format!("<https://example.org/s{i}> <https://example.org/{mark}> \"{i}\" .\n"))
        .collect::<String>()
        .into_bytes()
}

fn counts(store: &std::path::Path) -> (u64, u64) {
    let query = format!(
        "SELECT (SUM(IF(?p = <https://example.org/a>, 1, 0)) AS ?a) (SUM(IF(?p = <https://example.org/b>, 1, 0)) AS ?b) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    );
    let output = std::process::Command::new(server::aikg_binary())
        .args([
            "query",
            "--store",
            store.to_str().unwrap(),
            "--format",
            "csv",
            &query,
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the store does not open: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let line = text.lines().nth(1).unwrap_or(",").to_string();
    let (a, b) = line.split_once(',').unwrap();
    (a.trim().parse().unwrap_or(0), b.trim().parse().unwrap_or(0))
}

#[test]
fn kill_9_during_writes_leaves_each_write_whole_or_absent() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let seed = dir.path().join("seed.nt");
    std::fs::write(
        &seed,
        "<https://example.org/x> <https://example.org/y> \"z\" .\n",
    )
    .unwrap();
    assert!(std::process::Command::new(server::aikg_binary())
        .args(["load", "--store"])
        .arg(&store)
        .arg(&seed)
        .status()
        .unwrap()
        .success());
    let token = dir.path().join("token");
    std::fs::write(&token, "crash-test-token-0123456789").unwrap();
    let (a, b) = (body("a", 3000), body("b", 5000));
    let mut mid_write_kills = 0;
    for round in 0..6u64 {
        let server = Server::start(&[
            "--store",
            store.to_str().unwrap(),
            "--update-token-file",
            token.to_str().unwrap(),
            "--quiet",
        ]);
        let stop = AtomicBool::new(false);
        let done = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let path = format!("/store?graph={}", encode(GRAPH));
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    let payload = if i % 2 == 0 { &a } else { &b };
                    i += 1;
                    let sent = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        server.request(
                            Method::PUT,
                            &path,
                            &[
                                ("Authorization", "Bearer crash-test-token-0123456789"),
                                ("Content-Type", "application/n-triples"),
                            ],
                            Some(payload.clone()),
                        )
                    }));
                    match sent {
                        Ok(reply) if reply.status < 300 => {
                            done.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(reply) => panic!("{}: {}", reply.status, reply.text()),
                        Err(_) => break, // the server is gone
                    }
                }
            });
            // Once a write has landed, kill at a point that moves each round.
            let waited = std::time::Instant::now();
            while done.load(Ordering::SeqCst) == 0 && waited.elapsed() < Duration::from_secs(30) {
                std::thread::sleep(Duration::from_millis(5));
            }
            std::thread::sleep(Duration::from_millis(13 + 37 * round));
            unsafe { libc::kill(server.pid(), libc::SIGKILL) };
            stop.store(true, Ordering::SeqCst);
        });
        assert!(
            done.load(Ordering::SeqCst) > 0,
            "no write landed before the kill"
        );
        drop(server);
        let (in_a, in_b) = counts(&store);
        assert!(
            (in_a, in_b) == (3000, 0) || (in_a, in_b) == (0, 5000),
            "round {round}: the graph holds {in_a} triples of one write and {in_b} of the other"
        );
        mid_write_kills += 1;
    }
    assert_eq!(mid_write_kills, 6);
}
