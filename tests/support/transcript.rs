//! README transcripts: a `$ command` line, then the lines it prints; a line
//! `...` stands for any number of lines the README leaves out. Shared by
//! tests/readme.rs (```text blocks) and tests/docs_examples.rs (```console).

#![allow(dead_code)]

pub struct Transcript {
    /// The line of the `$` in README.md (1-based).
    pub line: usize,
    pub command: String,
    pub expected: Vec<String>,
}

/// The `$ ` commands of the blocks opened by `fence` (e.g. "```text"), each
/// block's in order, each command with the lines under it.
pub fn blocks(readme: &str, fence: &str) -> Vec<Vec<Transcript>> {
    let mut found: Vec<Vec<Transcript>> = Vec::new();
    let mut in_block = false;
    // Whether the lines read belong to the last `$` command: not the lines
    // of a block that shows output without a command.
    let mut in_transcript = false;
    for (number, line) in readme.lines().enumerate() {
        if line.starts_with("```") {
            in_block = !in_block && line == fence;
            if in_block {
                found.push(Vec::new());
            }
            in_transcript = false;
            continue;
        }
        if !in_block {
            continue;
        }
        let block = found.last_mut().expect("a block is open");
        match line.strip_prefix("$ ") {
            Some(command) => {
                in_transcript = true;
                block.push(Transcript {
                    line: number + 1,
                    command: command.to_string(),
                    expected: Vec::new(),
                })
            }
            None => {
                if let Some(current) = block.last_mut().filter(|_| in_transcript) {
                    current.expected.push(line.to_string());
                }
            }
        }
    }
    for transcript in found.iter_mut().flatten() {
        while transcript.expected.last().is_some_and(|l| l.is_empty()) {
            transcript.expected.pop();
        }
    }
    found.retain(|block| !block.is_empty());
    found
}

impl Transcript {
    /// What is wrong when `output` is not what the README shows under the
    /// command, if anything.
    pub fn mismatch(&self, output: &str) -> Option<String> {
        let actual: Vec<&str> = output.trim_end_matches('\n').lines().collect();
        (!matches(&self.expected, &actual)).then(|| {
            format!(
                "README.md:{}: $ {}\n--- the README shows:\n{}\n--- aikg printed:\n{}",
                self.line,
                self.command,
                self.expected.join("\n"),
                actual.join("\n")
            )
        })
    }
}

/// Whether `actual` is `expected`, a `...` line matching any lines.
pub fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(a, more)| a == first && matches(rest, more)),
    }
}
