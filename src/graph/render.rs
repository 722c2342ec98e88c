//! SVG and PNG through GraphViz's `dot` program.

use crate::error::{Error, Result};
use std::io::Write;
use std::process::{Command, Stdio};

/// The program run: `$AIKG_DOT` if set, else `dot` on the PATH.
fn dot_program() -> String {
    std::env::var("AIKG_DOT").unwrap_or_else(|_| "dot".to_string())
}

/// Renders DOT text to `svg` or `png` with `dot -T<format>`.
pub fn render(dot: &[u8], format: &str) -> Result<Vec<u8>> {
    let program = dot_program();
    let mut child = Command::new(&program)
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::usage(
                    format!("`aikg export {format}` needs GraphViz's `{program}` program, which is not installed (not found on the PATH)"),
                    "install GraphViz — Debian/Ubuntu: `sudo apt-get install graphviz`, Fedora: `sudo dnf install graphviz`, macOS: `brew install graphviz` — or write DOT with `aikg export dot` and render it elsewhere",
                )
            } else {
                Error::io(&program, e)
            }
        })?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = dot.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child
        .wait_with_output()
        .map_err(|e| Error::io(&program, e))?;
    let written = writer.join().unwrap_or(Ok(()));
    if !output.status.success() {
        return Err(Error::io(
            &program,
            format!(
                "failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        ));
    }
    written.map_err(|e| Error::io(&program, e))?;
    Ok(output.stdout)
}
