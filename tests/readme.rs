//! The README's transcripts cannot drift: every `$ aikg ...` command shown
//! in a ```text block is run (from the repository root, on a terminal, as a
//! reader would type it) and its output compared with the lines under it.
//! A line `...` stands for any number of lines the README leaves out.
//! Commands that are not aikg's (curl against a running server) are left
//! to tests/serve.rs, and counted apart so that none is skipped unseen.
//!
//! Own runner rather than the trycmd crate: the transcripts need a
//! terminal (tables are for terminals) and trycmd runs commands on pipes;
//! `script` (util-linux, in every Debian base system) provides the
//! terminal.

use std::path::{Path, PathBuf};

#[path = "support/transcript.rs"]
mod transcript;

use transcript::{matches, Transcript};

/// The `$ ` commands of the ```text blocks, each with the lines under it.
fn transcripts(readme: &str) -> Vec<Transcript> {
    transcript::blocks(readme, "```text")
        .into_iter()
        .flatten()
        .collect()
}

/// Runs a command line on a terminal (`script`), in the repository root,
/// with the aikg under test first on the PATH; stdout and stderr together.
fn run_on_terminal(command: &str, root: &Path, bin_dir: &Path) -> String {
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = std::process::Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .current_dir(root)
        .env("PATH", path)
        // The README shows whole tables, without colour.
        .env("COLUMNS", "100000")
        .env("NO_COLOR", "1")
        .env_remove("AIKG_TIMINGS")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("`script` (util-linux) runs the transcripts on a terminal");
    String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n")
}

#[test]
fn readme_transcripts_match_what_aikg_prints() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("aikg");
    let bin_dir = bin.parent().unwrap();
    let all = transcripts(&readme);
    let (ours, others): (Vec<_>, Vec<_>) = all.iter().partition(|t| t.command.starts_with("aikg "));
    assert!(
        ours.len() >= 8,
        "only {} aikg transcripts found",
        ours.len()
    );
    for other in &others {
        assert!(
            other.command.starts_with("curl "),
            "README.md:{}: a transcript that is neither aikg nor curl: {}",
            other.line,
            other.command
        );
    }
    let mut failures = Vec::new();
    for transcript in ours {
        let output = run_on_terminal(&transcript.command, &root, bin_dir);
        failures.extend(transcript.mismatch(&output));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn an_ellipsis_stands_for_any_lines() {
    let expected: Vec<String> = ["a", "...", "d"].iter().map(|s| s.to_string()).collect();
    assert!(matches(&expected, &["a", "b", "c", "d"]));
    assert!(matches(&expected, &["a", "d"]));
    assert!(!matches(&expected, &["a", "b"]));
    assert!(!matches(&expected, &["x", "d"]));
}
