//! Docs that cannot drift (issue 16, item 5): every example command line of
//! `aikg CMD --help` (taken from the help the binary prints, so from clap's
//! definitions) and every command line of README.md's ```sh blocks is run
//! and must succeed; README.md's ```console blocks are run as transcripts
//! and their output compared (a line `...` stands for any lines). The
//! README's ```text transcripts are tests/readme.rs's.
//!
//! Each command runs with `sh`, in a fresh copy of a "world": a folder
//! holding copies of the repository's ontology/, data/, queries/ and docs/
//! queries, a store `kg` loaded with the bundled graph, `../shared` (the
//! external datasets, as beside the repository), and the small files the
//! examples name (my-query.rq, shapes.ttl, data.nt.gz...), so that an
//! example that writes changes only its copy. `aikg serve` examples are
//! started on a free port, must answer, and are stopped. What cannot run in
//! a test is in [`NOT_RUN`], with the reason: never skipped unseen.

use regex::Regex;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/transcript.rs"]
mod transcript;

/// Command lines not run, by a text they contain, and why.
const NOT_RUN: &[(&str, &str)] = &[
    (
        "bash .ci/deps",
        "installs system packages and the Python venv, and builds aikg with cargo: CI's set-up, which the test suite itself runs after",
    ),
    (
        "--endpoint",
        "reads or writes a remote SPARQL store (Virtuoso on localhost:8890): tests/remote_virtuoso.rs runs push, explain, export, query, check and stats against one it starts",
    ),
];

/// Placeholders of the help's examples, and what they stand for in the world.
const PLACEHOLDERS: &[(&str, &str)] = &[("DIR", "kg")];

/// Files of the world, beside the copies of the repository's folders.
const FILES: &[(&str, &str)] = &[
    ("my-query.rq", "SELECT ?org WHERE { ?org a aikg:University } ORDER BY ?org LIMIT 3\n"),
    ("my.rq", "SELECT ?org WHERE { ?org a aikg:University } ORDER BY ?org LIMIT 3\n"),
    (
        "my-construct.rq",
        "CONSTRUCT { ?a aikg:funds ?b } WHERE { ?a aikg:funds ?b }\n",
    ),
    (
        "shapes.ttl",
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\nex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;\n  sh:property [ sh:path rdfs:label ; sh:minCount 1 ] .\n",
    ),
    (
        "O.ttl",
        "@prefix ex: <http://example.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\nex:Sub rdfs:subClassOf ex:Thing .\n",
    ),
    (
        "fix-labels.ru",
        "PREFIX ex: <http://example.org/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nINSERT DATA { ex:t a ex:Thing ; rdfs:label \"t\" }\n",
    ),
    (
        "data.nt",
        "<http://example.org/a> a <http://example.org/Thing> .\n<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> \"a\" .\n",
    ),
    (
        "more.ttl",
        "@prefix ex: <http://example.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\nex:b a ex:Sub ; rdfs:label \"b\" ; ex:knows ex:a .\n",
    ),
    (
        "more.trig",
        "@prefix ex: <http://example.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\nex:g { ex:c a ex:Thing ; rdfs:label \"c\" . }\n",
    ),
    (
        "other.ttl",
        "@prefix aikg: <https://w3id.org/aikg/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<http://example.org/kaist> a aikg:University ; rdfs:label \"KAIST\"@en .\n",
    ),
    ("names.txt", "KAIST\nInria\nSeoul National University\n"),
    ("token", "an-update-token-of-32-characters\n"),
    // The ```console blocks' files.
    (
        "my.ttl",
        "@prefix ex: <http://example.org/> .\n<> a <http://www.w3.org/2002/07/owl#Ontology> .\nex:a ex:p _:x .\n",
    ),
    (
        "bad.nt",
        "<http://example.org/a> <http://example.org/p> \"x\" \"y\" .\n",
    ),
    (
        "broken.ttl",
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\nex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;\n   sh:property [ sh:paht ex:name ; sh:minCount 1 ] ;\n   sh:property [ sh:path ex:age ; sh:datatype ex:Undefined ; sh:maxCount \"one\" ] ;\n   sh:property ex:Undefined ;\n   sh:closed \"yes\" .\n",
    ),
    (
        "data.ttl",
        "@prefix ex: <http://example.org/> .\nex:c a ex:Person ; ex:name \"c\" .\n",
    ),
];

/// Files the world copies from elsewhere: (name in the world, source).
fn copies() -> Vec<(&'static str, PathBuf)> {
    let root = repository();
    let external = root.join("../shared/external");
    vec![
        ("data.nt", PathBuf::from("data.nt")),
        ("big.nt", PathBuf::from("data.nt")),
        ("file.nt", PathBuf::from("data.nt")),
        ("x.ttl", PathBuf::from("more.ttl")),
        ("other.trig", PathBuf::from("more.trig")),
        ("S.ttl", PathBuf::from("shapes.ttl")),
        ("fix.ru", PathBuf::from("fix-labels.ru")),
        ("ontology.ttl", PathBuf::from("O.ttl")),
        ("countries.tsv", external.join("countries.tsv")),
        ("cities15000.tsv", external.join("geonames/cities15000.tsv")),
        (
            "ror-records-v2.json",
            external.join("ror/ror-records-v2.json"),
        ),
    ]
}

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn aikg_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_aikg"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A folder `top` holding `shared` (a link to ../shared) and `repo`, the
/// world the examples run in.
struct World {
    top: tempfile::TempDir,
}

impl World {
    fn template() -> Self {
        let top = tempfile::tempdir().unwrap();
        let root = repository();
        std::os::unix::fs::symlink(
            std::fs::canonicalize(root.join("../shared")).unwrap(),
            top.path().join("shared"),
        )
        .unwrap();
        let world = top.path().join("repo");
        for dir in ["ontology", "data", "queries"] {
            copy_dir(&root.join(dir), &world.join(dir));
        }
        std::fs::create_dir_all(world.join("docs")).unwrap();
        std::fs::copy(
            root.join("docs/franco-korean.rq"),
            world.join("docs/franco-korean.rq"),
        )
        .unwrap();
        copy_dir(
            &world.join("ontology"),
            &world.join("my-working-copy/ontology"),
        );
        copy_dir(&world.join("data"), &world.join("my-working-copy/data"));
        for (name, text) in FILES {
            std::fs::write(world.join(name), text).unwrap();
        }
        for (name, source) in copies() {
            let source = if source.is_absolute() {
                source
            } else {
                world.join(source)
            };
            if source.starts_with(&world) {
                std::fs::copy(&source, world.join(name)).unwrap();
            } else {
                std::os::unix::fs::symlink(&source, world.join(name)).unwrap();
            }
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &std::fs::read(world.join("data.nt")).unwrap()).unwrap();
        std::fs::write(world.join("data.nt.gz"), gz.finish().unwrap()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(world.join("token"), std::fs::Permissions::from_mode(0o600))
                .unwrap();
        }
        // Places the completions examples write to.
        for dir in [
            ".local/share/bash-completion/completions",
            ".zfunc",
            ".config/fish/completions",
        ] {
            std::fs::create_dir_all(world.join(dir)).unwrap();
        }
        // The store `kg`: the bundled graph.
        let dump = world.join("all.trig");
        for args in [
            vec!["dump", "-o", dump.to_str().unwrap()],
            vec!["load", "--store", "kg", "all.trig"],
        ] {
            let out = Command::new(aikg_binary())
                .args(&args)
                .current_dir(&world)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "aikg {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Self { top }
    }

    fn repo(&self) -> PathBuf {
        self.top.path().join("repo")
    }

    /// A fresh copy of this world.
    fn copy(&self) -> Self {
        let top = tempfile::tempdir().unwrap();
        copy_dir(self.top.path(), top.path());
        Self { top }
    }

    /// `sh -c line` in this world, with the aikg under test first on the
    /// PATH and the world as HOME.
    fn sh(&self, line: &str) -> Command {
        let mut command = Command::new("sh");
        command
            .args(["-c", line])
            .current_dir(self.repo())
            .env("PATH", search_path())
            .env("HOME", self.repo())
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100000")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env_remove("AIKG_TIMINGS")
            .stdin(Stdio::null());
        command
    }
}

fn search_path() -> String {
    format!(
        "{}:{}",
        aikg_binary().parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Why a command line is not run, if it is not.
fn not_run(line: &str) -> Option<&'static str> {
    NOT_RUN
        .iter()
        .find(|(text, _)| line.contains(text))
        .map(|(_, why)| *why)
}

/// A free port on 127.0.0.1.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `line` in `world`: a failure's description, if it fails.
/// `aikg serve` is started on a free port (its --bind replaced or added),
/// must answer a connection, and is stopped.
fn run(world: &World, line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.get(1) == Some(&"serve") {
        return serve(world, line);
    }
    let out = world.sh(line).output().unwrap();
    (!out.status.success()).then(|| {
        format!(
            "exit {:?}\n{}{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn serve(world: &World, line: &str) -> Option<String> {
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let command = line.split(" #").next().unwrap_or(line);
    let command = match Regex::new(r"--bind \S+").unwrap().find(command) {
        Some(m) => command.replace(m.as_str(), &format!("--bind {bind}")),
        None => format!("{command} --bind {bind}"),
    };
    let log = world.top.path().join("serve.log");
    let mut child = world
        .sh(&format!("exec {command}"))
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let answer = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break Some(format!("the server exited ({status})"));
        }
        if let Ok(stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            // Not a TCP self-connect (see tests/support/server.rs).
            if stream.local_addr().ok() != stream.peer_addr().ok() {
                break None;
            }
        }
        if started.elapsed() > Duration::from_secs(60) {
            break Some("the server did not answer in 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = child.kill();
    let _ = child.wait();
    answer.map(|why| {
        format!(
            "{why}: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        )
    })
}

/// The example command lines of every subcommand's --help, with the command.
fn help_examples() -> Vec<(String, String)> {
    let help = |args: &[&str]| {
        let out = Command::new(aikg_binary())
            .args(args)
            .env("COLUMNS", "100000")
            .output()
            .unwrap();
        assert!(out.status.success(), "aikg {}", args.join(" "));
        String::from_utf8(out.stdout).unwrap()
    };
    let top = help(&["--help"]);
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 20, "commands found: {commands:?}");
    let mut examples = Vec::new();
    for command in commands {
        for line in help(&[&command, "--help"]).lines() {
            let line = line.trim();
            let example = line.strip_prefix("Example: ").unwrap_or(line);
            if example.starts_with("aikg ") {
                examples.push((command.clone(), example.to_string()));
            }
        }
    }
    examples
}

/// Replaces the help's placeholders (whole words) by what they stand for.
fn fill_placeholders(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            PLACEHOLDERS
                .iter()
                .find(|(placeholder, _)| word == *placeholder)
                .map_or(word, |(_, value)| value)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_help_example_runs() {
    let examples = help_examples();
    assert!(examples.len() >= 30, "examples found: {examples:?}");
    let template = World::template();
    let mut failures = Vec::new();
    let mut listed = Vec::new();
    for (command, example) in &examples {
        if let Some(why) = not_run(example) {
            listed.push(format!("aikg {command} --help: {example}: not run: {why}"));
            continue;
        }
        if let Some(failure) = run(&template.copy(), &fill_placeholders(example)) {
            failures.push(format!("aikg {command} --help: {example}\n{failure}"));
        }
    }
    eprintln!(
        "{} help examples run, {} not run:\n{}",
        examples.len() - listed.len(),
        listed.len(),
        listed.join("\n")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The command lines of README.md's ```sh blocks, block by block: (line
/// number, command line with the variables substituted). Lines continued
/// with `\` are joined; a `NAME=value` line sets a variable for what
/// follows, as in the reader's shell.
fn readme_sh_blocks(readme: &str) -> Vec<Vec<(usize, String)>> {
    let mut found: Vec<Vec<(usize, String)>> = Vec::new();
    let mut in_block = false;
    let mut variables: Vec<(String, String)> = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    let assignment = Regex::new(r"^([A-Z_]+)=(\S+)$").unwrap();
    for (number, line) in readme.lines().enumerate() {
        if line.starts_with("```") {
            in_block = !in_block && line == "```sh";
            if in_block {
                found.push(Vec::new());
            }
            continue;
        }
        if !in_block {
            continue;
        }
        let (start, mut text) = pending.take().unwrap_or((number + 1, String::new()));
        text.push_str(line.trim_start_matches(' '));
        if let Some(joined) = text.strip_suffix('\\') {
            pending = Some((start, format!("{} ", joined.trim_end())));
            continue;
        }
        if text.trim().is_empty() || text.trim_start().starts_with('#') {
            continue;
        }
        if let Some(c) = assignment.captures(&text) {
            variables.retain(|(name, _)| name != &c[1]);
            variables.push((c[1].to_string(), c[2].to_string()));
            continue;
        }
        for (name, value) in &variables {
            text = text.replace(&format!("${name}"), value);
        }
        found
            .last_mut()
            .expect("a block is open")
            .push((start, text));
    }
    found
}

fn readme_sh_lines(readme: &str) -> Vec<(usize, String)> {
    readme_sh_blocks(readme).into_iter().flatten().collect()
}

#[test]
fn every_readme_sh_line_runs() {
    let readme = std::fs::read_to_string(repository().join("README.md")).unwrap();
    let blocks = readme_sh_blocks(&readme);
    let count: usize = blocks.iter().map(Vec::len).sum();
    assert!(count >= 40, "README command lines found: {count}");
    let template = World::template();
    let mut failures = Vec::new();
    let mut listed = Vec::new();
    for block in &blocks {
        // A block's lines one after the other, in one world: a reader's
        // session (`load --store st`, then `query --store st`).
        let world = template.copy();
        for (number, line) in block {
            if let Some(why) = not_run(line) {
                listed.push(format!("README.md:{number}: {line}: not run: {why}"));
                continue;
            }
            assert!(
                line.starts_with("aikg "),
                "README.md:{number}: a command that is not aikg's and not listed in NOT_RUN: {line}"
            );
            if let Some(failure) = run(&world, line) {
                failures.push(format!("README.md:{number}: {line}\n{failure}"));
            }
        }
    }
    eprintln!(
        "{} README command lines run, {} not run:\n{}",
        count - listed.len(),
        listed.len(),
        listed.join("\n")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_readme_console_transcript_matches() {
    let readme = std::fs::read_to_string(repository().join("README.md")).unwrap();
    let blocks = transcript::blocks(&readme, "```console");
    assert!(blocks.len() >= 2, "console blocks found: {}", blocks.len());
    let template = World::template();
    // Durations vary from run to run; the README shows them as 0.00s.
    let duration = Regex::new(r" in \d+\.\d+s\b").unwrap();
    let mut failures = Vec::new();
    for block in blocks {
        // The commands of a block run one after the other in one world.
        let world = template.copy();
        let repo = world.repo().display().to_string();
        for step in block {
            let out = world
                .sh(&format!("{} 2>&1", step.command))
                .output()
                .unwrap();
            let output = String::from_utf8_lossy(&out.stdout)
                // The README shows its examples as run in /tmp/t1.
                .replace(&repo, "/tmp/t1");
            let output = duration.replace_all(&output, " in 0.00s");
            failures.extend(step.mismatch(&output));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_listed_reason_is_used() {
    // No stale entry: each text of NOT_RUN is in some help example or
    // README line.
    let readme = std::fs::read_to_string(repository().join("README.md")).unwrap();
    let lines: Vec<String> = readme_sh_lines(&readme)
        .into_iter()
        .map(|(_, l)| l)
        .chain(help_examples().into_iter().map(|(_, l)| l))
        .collect();
    for (text, _) in NOT_RUN {
        assert!(
            lines.iter().any(|l| l.contains(text)),
            "NOT_RUN lists {text:?}, which no example has"
        );
    }
}
