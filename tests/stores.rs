//! Stores and file arguments a hostile or careless user gives `aikg load`
//! (issue 17 items 8 and 10): each case its exact message and hint, exit 2,
//! no crash, and the store, directory or file left as it was.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn aikg() -> Command {
    Command::cargo_bin("aikg").unwrap()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const GOOD: &[u8] = b"<http://ex/a> <http://ex/p> \"x\" .\n";

/// Every file of a directory with a digest of its bytes, sorted: to show it
/// unchanged. RocksDB's own diagnostic logs (`LOG*`), which any opening of a
/// store appends to, are not data and are left out.
fn snapshot(dir: &Path) -> Vec<(String, usize, u64)> {
    let mut files: Vec<(String, usize, u64)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_name().to_string_lossy().starts_with("LOG"))
        .map(|e| {
            let bytes = if e.path().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            let digest = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
            });
            (
                e.file_name().to_string_lossy().into_owned(),
                bytes.len(),
                digest,
            )
        })
        .collect();
    files.sort();
    files
}

fn new_store(dir: &Path) -> PathBuf {
    let good = write(dir, "good.nt", GOOD);
    let store = dir.join("store");
    aikg()
        .args(["load", "--store", s(&store), s(&good)])
        .assert()
        .success();
    store
}

#[test]
fn a_corrupt_store_is_an_error_not_a_crash() {
    // Any RocksDB error used to end in a segfault (exit 139): oxigraph frees
    // RocksDB's malloc'ed message through the Rust allocator (mimalloc).
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path());
    std::fs::write(store.join("CURRENT"), "garbage\n").unwrap();
    let good = dir.path().join("good.nt");
    for args in [
        vec!["load", "--store", s(&store), s(&good)],
        vec!["query", "--store", s(&store), "ASK {}"],
    ] {
        aikg()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("Corruption"))
            .stderr(predicate::str::contains(format!(
                "hint: {} is damaged: restore it from a backup",
                s(&store)
            )));
    }
}

#[cfg(unix)]
#[test]
fn a_store_in_use_by_another_process_is_named_so() {
    use std::os::unix::io::AsRawFd;
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path());
    let before = snapshot(&store);
    // Hold RocksDB's lock as another writer would.
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(store.join("LOCK"))
        .unwrap();
    let mut flock: libc::flock = unsafe { std::mem::zeroed() };
    flock.l_type = libc::F_WRLCK as _;
    flock.l_whence = libc::SEEK_SET as _;
    assert_eq!(
        unsafe { libc::fcntl(lock.as_raw_fd(), libc::F_SETLK, &flock) },
        0
    );
    aikg()
        .args(["load", "--store", s(&store), s(&dir.path().join("good.nt"))])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is in use by another process"));
    drop(lock);
    assert_eq!(snapshot(&store), before);
}

#[test]
fn store_naming_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.nt", GOOD);
    let file = write(dir.path(), "notes.txt", b"my notes\n");
    aikg()
        .args(["load", "--store", s(&file), s(&good)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "notes.txt: a file, not a store directory",
        ));
    assert_eq!(std::fs::read(&file).unwrap(), b"my notes\n");
}

#[test]
fn an_ordinary_directory_is_not_made_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.nt", GOOD);
    let theirs = dir.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    write(&theirs, "IDENTITY", b"someone's file\n");
    let before = snapshot(&theirs);
    aikg()
        .args(["load", "--store", s(&theirs), s(&good)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a directory that is not an aikg store, and not empty",
        ));
    assert_eq!(snapshot(&theirs), before);
}

#[test]
fn a_failed_load_into_an_empty_directory_leaves_it_empty() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.nt", b"<http://ex/a> <http://ex/p> .\n");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    aikg()
        .args(["load", "--store", s(&empty), s(&bad)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("store is unchanged"));
    assert!(empty.is_dir());
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0);
}

#[test]
fn leftover_bulk_files_of_an_interrupted_load_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path());
    let leftover = write(&store, "bulk-1234.sst", b"half an sst file");
    aikg()
        .args(["load", "--store", s(&store), s(&dir.path().join("good.nt"))])
        .assert()
        .success();
    assert!(!leftover.exists());
}

#[test]
fn loading_into_aikgs_own_graphs_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.nt", GOOD);
    for graph in [
        "https://w3id.org/aikg/merged",
        "https://w3id.org/aikg/ontology",
    ] {
        aikg()
            .args([
                "load",
                "--store",
                s(&dir.path().join("st")),
                "--graph",
                graph,
                s(&good),
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("that graph is aikg's own"));
        assert!(!dir.path().join("st").exists());
    }
}

#[cfg(unix)]
#[test]
fn file_arguments_that_are_not_files_say_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("st");
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    let a = dir.path().join("a.nt");
    let b = dir.path().join("b.nt");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let dangling = dir.path().join("d.nt");
    std::os::unix::fs::symlink(dir.path().join("nothing.nt"), &dangling).unwrap();
    for (path, message) in [
        (&folder, "a directory, not a file"),
        (&a, "a symbolic link loop"),
        (&dangling, "a symbolic link to a file that does not exist"),
        (&dir.path().join("missing.nt"), "no such file"),
    ] {
        aikg()
            .args(["load", "--store", s(&store), s(path)])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("{}: {message}", s(path))));
    }
    assert!(!store.exists());
}

#[test]
fn load_errors_give_the_parsers_message_position_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.ttl",
        b"@prefix ex: <http://ex/> .\nex:a ex:p \"x\"^^ex:y ex:z .\n",
    );
    aikg()
        .args(["load", "--store", s(&dir.path().join("st")), s(&bad)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.ttl:2:21: syntax error: A dot is expected at the end of statements\n  | ex:a ex:p \"x\"^^ex:y ex:z .\n  |                     ^\n  hint:",
        ))
        .stderr(predicate::str::contains("Parser error").not());
}

#[test]
fn misleading_inputs_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("st");
    // a byte order mark
    let bom = write(dir.path(), "bom.nt", &[b"\xEF\xBB\xBF", GOOD].concat());
    aikg()
        .args(["load", "--store", s(&store), s(&bom)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("byte order mark (U+FEFF)"));
    // a gzip file under a plain name
    let gz = write(dir.path(), "x.nt", &[0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe]);
    let shapes = write(dir.path(), "s.ttl", b"");
    aikg()
        .args(["validate", "--shapes", s(&shapes), s(&gz)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the file is gzip-compressed"))
        .stderr(predicate::str::contains("iconv").not());
    // escape sequences from the data are not sent to the terminal raw
    let esc = write(dir.path(), "esc.nt", b"\x1b[31mred <http://ex/p> \"x\" .\n");
    for args in [
        vec!["load", "--store", s(&store), s(&esc)],
        vec!["validate", "--shapes", s(&shapes), s(&esc)],
    ] {
        aikg()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("\\u{1b}[31mred"))
            .stderr(predicate::str::contains("\x1b").not());
    }
    // an unknown extension names the flag of the command
    let odd = write(dir.path(), "x.data", GOOD);
    aikg()
        .args(["validate", "--shapes", s(&shapes), s(&odd)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--input-format for validate"));
    assert!(!store.exists());
}

#[test]
fn a_50_mb_line_is_read_and_its_errors_cut_short() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(50 << 20);
    let good = write(
        dir.path(),
        "long.nt",
        format!("<http://ex/a> <http://ex/p> \"{long}\" .\n").as_bytes(),
    );
    let store = dir.path().join("st");
    aikg()
        .args(["load", "--store", s(&store), s(&good)])
        .assert()
        .success();
    let bad = write(
        dir.path(),
        "bad.nt",
        format!("<http://ex/a> <http://ex/p> \"x\" \"y\" . # {long}\n").as_bytes(),
    );
    let out = aikg()
        .args(["load", "--store", s(&store), s(&bad)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.nt:1:33: syntax error"),
        "{}",
        &stderr[..stderr.len().min(500)]
    );
    assert!(
        stderr.len() < 2000,
        "the whole line was printed: {} bytes",
        stderr.len()
    );
}

/// The number of quads in a store, through `aikg query`.
fn count(store: &Path) -> u64 {
    let out = aikg()
        .args([
            "query",
            "--store",
            s(store),
            "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the store does not open after the kill: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn kill_9_during_load_leaves_all_or_none_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path());
    let base = count(&store);
    assert_eq!(base, 1);
    const BIG: u64 = 300_000;
    let big: String = (0..BIG)
        .map(|i| format!("<http://ex/s{i}> <http://ex/p> \"value {i}\" .\n"))
        .collect();
    let big_file = write(dir.path(), "big.nt", big.as_bytes());
    let binary = assert_cmd::cargo::cargo_bin("aikg");
    // How long a whole load takes here, to kill at points spread over it
    // (reading, writing the bulk files, moving them in, committing).
    let started = std::time::Instant::now();
    aikg()
        .args([
            "load",
            "--store",
            s(&dir.path().join("timing")),
            s(&big_file),
        ])
        .assert()
        .success();
    let whole = started.elapsed().as_millis() as u64;
    let mut outcomes = Vec::new();
    let mut expected = base;
    for percent in [2u64, 20, 50, 80, 95, 150] {
        let delay_ms = whole * percent / 100;
        let mut child = std::process::Command::new(&binary)
            .args(["load", "--store", s(&store), s(&big_file)])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let now = count(&store);
        assert!(
            now == expected || now == expected + BIG,
            "after kill -9 at {delay_ms} ms the store holds {now} quads: neither {expected} nor {}",
            expected + BIG
        );
        outcomes.push((delay_ms, finished, now != expected));
        expected = now;
    }
    println!("kill -9 during a {whole} ms load (delay ms, had finished, load kept): {outcomes:?}");
    // A load after the kills leaves no bulk file of the killed ones behind.
    aikg()
        .args(["load", "--store", s(&store), s(&dir.path().join("good.nt"))])
        .assert()
        .success();
    let leftovers = std::fs::read_dir(&store)
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            let name = name.to_string_lossy();
            name.starts_with("bulk-") && name.ends_with(".sst")
        })
        .count();
    assert_eq!(leftovers, 0);
}
