//! What aikg says on stderr besides its output: errors, warnings, notes and
//! (with `-v`) what it reads and how long each stage takes; how much of it
//! (`-q`, `-v`) and in colour or not (`--color`, `NO_COLOR`).
//!
//! The command line sets these once at start ([`configure`]); the library
//! writes its notes through [`note`] and [`warning`] so that `-q` silences
//! them wherever they come from. Writing to a closed stderr is not an error
//! (nothing is left to tell).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

/// How much aikg says on stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Errors and warnings only (`-q`).
    Quiet = 0,
    /// Also notes, summaries and progress (the default).
    Normal = 1,
    /// Also what is read and how long each stage takes (`-v`).
    Verbose = 2,
}

/// `--color`: colour on a terminal (`auto`, the default, unless `NO_COLOR`
/// is set), always, or never.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

static VERBOSITY: AtomicU8 = AtomicU8::new(Verbosity::Normal as u8);
static STDERR_COLOR: AtomicBool = AtomicBool::new(false);
static STDOUT_COLOR: AtomicBool = AtomicBool::new(false);

/// Sets the verbosity and the colour choice for the rest of the process.
pub fn configure(verbosity: Verbosity, color: ColorChoice) {
    VERBOSITY.store(verbosity as u8, Ordering::Relaxed);
    STDERR_COLOR.store(
        color_wanted(color, std::io::stderr().is_terminal()),
        Ordering::Relaxed,
    );
    STDOUT_COLOR.store(
        color_wanted(color, std::io::stdout().is_terminal()),
        Ordering::Relaxed,
    );
}

/// `always` and `never` are obeyed; `auto` colours a terminal unless
/// `NO_COLOR` is set to anything but the empty string (no-color.org) or
/// `TERM` is `dumb`.
pub fn color_wanted(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

pub fn verbosity() -> Verbosity {
    match VERBOSITY.load(Ordering::Relaxed) {
        0 => Verbosity::Quiet,
        1 => Verbosity::Normal,
        _ => Verbosity::Verbose,
    }
}

pub fn is_quiet() -> bool {
    verbosity() == Verbosity::Quiet
}

pub fn is_verbose() -> bool {
    verbosity() == Verbosity::Verbose
}

/// Whether what aikg writes on stdout may carry colour (a table's header).
pub fn stdout_color() -> bool {
    STDOUT_COLOR.load(Ordering::Relaxed)
}

/// How wide a table on stdout may be: `COLUMNS` if set (as `ls` reads
/// it), else the terminal's width when stdout is one, else no limit.
pub fn stdout_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0)
    {
        return Some(columns);
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    // SAFETY: TIOCGWINSZ fills a zeroed winsize; a failure leaves it zero.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(size.ws_col as usize)
}

/// The styles of the prefixes (SGR codes).
#[derive(Clone, Copy)]
enum Style {
    Error,
    Warning,
    Note,
    Hint,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Error => "1;31",
            Style::Warning => "1;33",
            Style::Note => "1;36",
            Style::Hint => "32",
        }
    }
}

fn paint(text: &str, style: Style, color: bool) -> String {
    if color {
        format!("\x1b[{}m{text}\x1b[0m", style.code())
    } else {
        text.to_string()
    }
}

/// `prefix: message`, with the `  hint:` lines of the message painted too.
fn format_message(prefix: &str, style: Style, message: &str, color: bool) -> String {
    let mut text = paint(prefix, style, color);
    text.push_str(": ");
    for (i, line) in message.split('\n').enumerate() {
        if i > 0 {
            text.push('\n');
        }
        match line.strip_prefix("  hint:") {
            Some(rest) if color => {
                text.push_str("  ");
                text.push_str(&paint("hint:", Style::Hint, true));
                text.push_str(rest);
            }
            _ => text.push_str(line),
        }
    }
    text
}

/// Writes one message on stderr, ignoring a closed stderr.
fn emit(prefix: &str, style: Style, message: &str) {
    let text = format_message(prefix, style, message, STDERR_COLOR.load(Ordering::Relaxed));
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// An error (always said).
pub fn error(message: &str) {
    emit("error", Style::Error, message);
}

/// Something the user should know about the result (always said, also with
/// `-q`).
pub fn warning(message: &str) {
    emit("warning", Style::Warning, message);
}

/// A note about the run (a summary, a row limit met): not with `-q`.
pub fn note(message: &str) {
    if !is_quiet() {
        emit("note", Style::Note, message);
    }
}

/// A line of a summary as it is, without prefix (`loaded 12 quads ...`):
/// not with `-q`.
pub fn summary(message: &str) {
    if !is_quiet() {
        let _ = writeln!(std::io::stderr().lock(), "{message}");
    }
}

/// What aikg reads and does, for `-v` only.
pub fn verbose(message: &str) {
    if is_verbose() {
        emit("info", Style::Note, message);
    }
}

/// Bold text for a table header on stdout, when stdout takes colour.
pub fn bold_for_stdout(text: &str) -> String {
    if stdout_color() {
        format!("\x1b[1m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_are_painted_apart_from_the_message() {
        let text = format_message(
            "error",
            Style::Error,
            "x.rq:1:3: bad\n  hint: do this",
            true,
        );
        assert_eq!(
            text,
            "\x1b[1;31merror\x1b[0m: x.rq:1:3: bad\n  \x1b[32mhint:\x1b[0m do this"
        );
        let plain = format_message("error", Style::Error, "x\n  hint: y", false);
        assert_eq!(plain, "error: x\n  hint: y");
    }

    #[test]
    fn always_and_never_ignore_the_terminal() {
        assert!(color_wanted(ColorChoice::Always, false));
        assert!(!color_wanted(ColorChoice::Never, true));
        assert!(!color_wanted(ColorChoice::Auto, false));
    }
}
