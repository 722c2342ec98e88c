//! Reading RDF: the one stage that parses it. Every reader of RDF in aikg
//! goes through this module, which hands out quads with their positions and
//! one error type, [`SourceError`]:
//!
//! - [`rio`]: Turtle, TriG, N-Triples and N-Quads with `rio_turtle` (the
//!   user's choice, see DESIGN.md), every quad located at its object term;
//! - [`parsers`]: oxigraph's parsers, for RDF/XML and JSON-LD (located to the
//!   file), and the streaming reader `aikg load` feeds its bulk loader with;
//!   also the words and position of every syntax error (rio's are said again
//!   by this parser), so that `load`, `check`, `validate` and `stats --data`
//!   report a bad file the same way;
//! - [`scan`]: the zero-copy N-Triples/N-Quads scanner for large files, which
//!   reads exactly the N-Triples grammar or gives up (the caller then reads the
//!   file with the parser, which explains what is wrong).

pub mod convert;
pub mod input;
mod parsers;
mod rio;
pub mod scan;

pub use parsers::{declared_prefixes, stream, stream_slice};

use oxigraph::io::RdfFormat;
use oxigraph::model::Quad;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// Where a quad (or an error) is in its source: 1-based line and column
/// (column counted in characters). `line == 0` means the parser gives no line.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Position {
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

/// A quad and where it was read.
#[derive(Clone, Debug)]
pub struct LocatedQuad {
    pub quad: Quad,
    pub position: Position,
}

/// The RDF syntaxes aikg reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    Turtle,
    TriG,
    NTriples,
    NQuads,
    RdfXml,
    JsonLd,
}

impl SourceFormat {
    /// The names accepted by `--format` (and the file extensions recognised).
    pub const NAMES: &'static str =
        "ttl, trig, nt, nq, rdf (RDF/XML), jsonld, or a media type such as text/turtle";

    /// From a `--format` name, a file extension or a media type
    /// (`text/turtle`).
    pub fn from_name(name: &str) -> Option<Self> {
        if name.contains('/') && name != "rdf/xml" {
            return Self::from_rdf_format(RdfFormat::from_media_type(name)?);
        }
        Some(match name.to_ascii_lowercase().as_str() {
            "ttl" | "turtle" => Self::Turtle,
            "trig" => Self::TriG,
            "nt" | "ntriples" | "n-triples" => Self::NTriples,
            "nq" | "nquads" | "n-quads" => Self::NQuads,
            "rdf" | "xml" | "owl" | "rdfxml" | "rdf/xml" => Self::RdfXml,
            "jsonld" | "json-ld" | "json" => Self::JsonLd,
            _ => return None,
        })
    }

    /// Guesses the format from a path's extension.
    pub fn from_path(path: &Path) -> Option<Self> {
        Self::from_name(path.extension()?.to_str()?)
    }

    fn from_rdf_format(format: RdfFormat) -> Option<Self> {
        Some(match format {
            RdfFormat::Turtle => Self::Turtle,
            RdfFormat::TriG => Self::TriG,
            RdfFormat::NTriples => Self::NTriples,
            RdfFormat::NQuads => Self::NQuads,
            RdfFormat::RdfXml => Self::RdfXml,
            RdfFormat::JsonLd { .. } => Self::JsonLd,
            _ => return None,
        })
    }

    /// Can this syntax hold named graphs?
    pub fn has_graphs(self) -> bool {
        matches!(self, Self::TriG | Self::NQuads | Self::JsonLd)
    }

    pub fn to_rdf_format(self) -> RdfFormat {
        match self {
            Self::Turtle => RdfFormat::Turtle,
            Self::TriG => RdfFormat::TriG,
            Self::NTriples => RdfFormat::NTriples,
            Self::NQuads => RdfFormat::NQuads,
            Self::RdfXml => RdfFormat::RdfXml,
            Self::JsonLd => RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        }
    }
}

/// What went wrong while reading a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceErrorKind {
    Io,
    NotUtf8,
    Empty,
    UnknownFormat,
    UnknownPrefix,
    Syntax,
    Unsupported,
}

/// A source that cannot be read, with where and what to do.
#[derive(Debug, Clone)]
pub struct SourceError {
    pub kind: SourceErrorKind,
    pub position: Position,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.position, self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for SourceError {}

impl SourceError {
    pub(crate) fn at(kind: SourceErrorKind, file: &Arc<str>, line: u32, column: u32) -> Self {
        Self {
            kind,
            position: Position {
                file: file.clone(),
                line,
                column,
            },
            message: String::new(),
            hint: String::new(),
        }
    }

    pub(crate) fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }
}

/// The name of blank node `id` of file `name`: a hash of the file name, then
/// the label exactly as written, so that two files never share a node, two
/// labels of a file are never one node (RDF 1.1 Concepts §3.4), and the same
/// file always gives the same names (stable output, snapshots and diffs).
/// The result is itself a valid blank node label in every syntax.
pub fn blank_label(name: &str, id: &str) -> String {
    let mut label = blank_scope(name);
    label.push_str(id);
    label
}

/// What [`blank_label`] puts before the labels of file `name`: `f` and 16 hex
/// digits, a fixed length, so that distinct labels stay distinct.
pub fn blank_scope(name: &str) -> String {
    format!("f{:016x}", fnv1a(name.as_bytes()))
}

/// How to read a source: its syntax and its base IRI.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// The syntax; `None`: from the file's extension.
    pub format: Option<SourceFormat>,
    /// The base IRI relative IRIs are resolved against; `None`: the file's
    /// own `file://` IRI, as riot and rapper do.
    pub base: Option<String>,
    /// Whether a document with no triple is read (as it is valid RDF: a
    /// user's file) or refused (among aikg's own data, where it is most
    /// likely a mistake).
    pub allow_empty: bool,
}

impl ReadOptions {
    /// Options for a user's file: this format (or by extension), the
    /// default base, empty documents read.
    pub fn format(format: Option<SourceFormat>) -> Self {
        Self {
            format,
            base: None,
            allow_empty: true,
        }
    }

    /// The base IRI to read the source `name` with: the one given, else the
    /// `file://` IRI of `name` taken as a path (none for `<stdin>` and other
    /// names that are no path).
    pub fn base_for(&self, name: &str) -> Option<String> {
        self.base.clone().or_else(|| {
            (!name.starts_with('<') && !name.is_empty()).then(|| file_iri(Path::new(name)))
        })
    }
}

/// Checks a `--base` IRI: it must be absolute.
pub fn check_base(base: &str) -> Result<(), String> {
    oxiri::Iri::parse(base)
        .map(|_| ())
        .map_err(|e| format!("--base {base:?} is not an absolute IRI ({e})"))
}

/// The `file://` IRI of a path, made absolute against the working directory
/// (symbolic links are not resolved, as riot does not), each byte outside
/// the IRI's unreserved set and `/` percent-encoded.
pub fn file_iri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut iri = String::from("file://");
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        absolute.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = absolute.to_string_lossy().replace('\\', "/").into_bytes();
    if bytes.first() != Some(&b'/') {
        iri.push('/');
    }
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            iri.push(b as char);
        } else {
            iri.push_str(&format!("%{b:02X}"));
        }
    }
    iri
}

/// Reads a user's file, with its format from `format` or else its
/// extension, and its own `file://` IRI as base; an empty document is read.
pub fn read_file(
    path: &Path,
    format: Option<SourceFormat>,
) -> Result<Vec<LocatedQuad>, SourceError> {
    read_file_with(path, &ReadOptions::format(format))
}

/// Reads a file with these options.
pub fn read_file_with(path: &Path, options: &ReadOptions) -> Result<Vec<LocatedQuad>, SourceError> {
    let format = format_of(path, options.format)?;
    let bytes = input::read_all(path)?;
    read_bytes_with(input::display_name(path).into(), &bytes, format, options)
}

/// The format of a file: `format` when given, else the file's extension
/// (under a compression extension); standard input (`-`) needs `format`.
pub fn format_of(path: &Path, format: Option<SourceFormat>) -> Result<SourceFormat, SourceError> {
    input::format_of(path, format)
}

/// The bytes of a file, or why it cannot be read.
pub fn read_file_bytes(path: &Path) -> Result<Vec<u8>, SourceError> {
    std::fs::read(path).map_err(|e| unreadable(path, e))
}

/// A file that cannot be opened or read.
pub fn unreadable(path: &Path, error: impl fmt::Display) -> SourceError {
    SourceError::at(
        SourceErrorKind::Io,
        &path.display().to_string().into(),
        0,
        0,
    )
    .message(format!("cannot read the file: {error}"))
    .hint("check the path and its permissions")
}

/// Reads RDF text of aikg's own data held in memory; `name` is what
/// positions will show, and its `file://` IRI the base; an empty document is
/// refused.
pub fn read_bytes(
    name: Arc<str>,
    bytes: &[u8],
    format: SourceFormat,
) -> Result<Vec<LocatedQuad>, SourceError> {
    read_bytes_with(name, bytes, format, &ReadOptions::default())
}

/// Reads RDF text held in memory with these options (`format` wins over
/// theirs).
pub fn read_bytes_with(
    name: Arc<str>,
    bytes: &[u8],
    format: SourceFormat,
    options: &ReadOptions,
) -> Result<Vec<LocatedQuad>, SourceError> {
    let text = check_utf8(&name, bytes)?;
    let base = options.base_for(&name);
    let quads = match format {
        SourceFormat::Turtle
        | SourceFormat::TriG
        | SourceFormat::NTriples
        | SourceFormat::NQuads => match rio::read(name.clone(), text, format, base.as_deref()) {
            Err(e)
                if matches!(
                    e.kind,
                    SourceErrorKind::Syntax | SourceErrorKind::UnknownPrefix
                ) =>
            {
                // A syntax error of rio's is said as the streaming reader
                // of `aikg load` (oxigraph's parser) says it: the same words
                // where the bad token starts, whichever command reads it.
                match parsers::first_error(&name, text, format, base.as_deref()) {
                    Some(error) => Err(error),
                    // rio refuses what the grammar allows and oxigraph's
                    // parser (the one `aikg load` streams through) reads:
                    // read with it (a blank node label with two dots in a
                    // row, found by the fuzzer).
                    None => parsers::read(&name, text, format, base.as_deref()),
                }
            }
            other => other,
        },
        SourceFormat::RdfXml | SourceFormat::JsonLd => {
            parsers::read(&name, text, format, base.as_deref())
        }
    }
    .map_err(|e| {
        let line = e.position.line as usize;
        let line = line.checked_sub(1).and_then(|i| text.split('\n').nth(i));
        name_bom(add_snippet(e, line), text.starts_with('\u{feff}'))
    })?;
    if quads.is_empty() && !options.allow_empty {
        return Err(SourceError::at(SourceErrorKind::Empty, &name, 1, 1)
            .message("the file holds no triples")
            .hint("an empty source is most likely a mistake (a failed export, a wrong path); remove it from the command or fill it"));
    }
    Ok(quads)
}

/// RDF files are UTF-8 by definition (and JSON files: RFC 8259); say
/// exactly where a file is not.
pub fn check_utf8<'a>(name: &Arc<str>, bytes: &'a [u8]) -> Result<&'a str, SourceError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // Safe: everything before valid_up_to is valid UTF-8.
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let line = valid.matches('\n').count() as u32 + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        let byte = bytes[e.valid_up_to()];
        let error = SourceError::at(SourceErrorKind::NotUtf8, name, line, column)
            .message(format!("the file is not UTF-8 (byte 0x{byte:02X})"));
        match compression_of(bytes) {
            Some(kind) => error.hint(format!(
                "the file is {kind}-compressed: give it its extension (.gz, .bz2, .zst) so that aikg decompresses it"
            )),
            None => error.hint(
                "RDF files must be UTF-8: convert it, e.g. `iconv -f LATIN1 -t UTF-8 FILE > FILE.utf8`",
            ),
        }
    })
}

/// The kind of a syntax error and what to do, from the parser's message
/// (rio's or oxttl's words).
pub(crate) fn syntax_hint(message: &str) -> (SourceErrorKind, String) {
    let lower = message.to_lowercase();
    if lower.starts_with("unknown prefix") || lower.contains("prefix not found") {
        (
            SourceErrorKind::UnknownPrefix,
            "declare it at the top of the file, e.g. `@prefix aikg: <https://w3id.org/aikg/ontology#> .`".into(),
        )
    } else if lower.starts_with("premature end of file") || lower.starts_with("unexpected end") {
        (
            SourceErrorKind::Syntax,
            "the file ends in the middle of a statement: a missing ` .`, `]`, `}` or closing quote?".into(),
        )
    } else if lower.contains("no scheme found")
        || lower.contains("relative iri")
        || lower.contains("base iri")
    {
        (
            SourceErrorKind::Syntax,
            "a relative IRI needs a base: give one with --base IRI (the default is the file's own file:// IRI)".into(),
        )
    } else {
        (
            SourceErrorKind::Syntax,
            "fix the syntax at that position (statements end with ` .`; strings are quoted; IRIs are in <>)".into(),
        )
    }
}

/// Adds to an error the line of `path` it points at, with a caret, read
/// again from the file, decompressed (the streaming reader of `load` keeps
/// no text); and names a byte order mark if the file starts with one.
/// Standard input cannot be read again: its line is taken from the last
/// lines read, kept for this.
pub fn with_snippet(error: SourceError, path: &Path) -> SourceError {
    use std::io::BufRead;
    if error.position.line == 0 {
        return error;
    }
    if input::is_stdin(path) {
        let line = input::stdin_line(error.position.line.into());
        let bom =
            error.position.line == 1 && line.as_deref().is_some_and(|l| l.starts_with('\u{feff}'));
        return name_bom(add_snippet(error, line.as_deref()), bom);
    }
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        // A pipe or a device cannot be read again (opening a FIFO would
        // wait for a writer that never comes).
        return error;
    }
    let Ok(reader) = input::open(path) else {
        return error;
    };
    let mut lines = std::io::BufReader::new(reader).split(b'\n');
    let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    let bom = first.starts_with(b"\xEF\xBB\xBF");
    let line = match error.position.line {
        1 => Some(first),
        n => lines.nth(n as usize - 2).and_then(|l| l.ok()),
    };
    let line = line.map(|l| String::from_utf8_lossy(&l).into_owned());
    name_bom(add_snippet(error, line.as_deref()), bom)
}

/// Adds the source line an error points at, with a caret under its column,
/// to its message; nothing when the line is empty or missing (the end of
/// the file), or the message already shows it.
fn add_snippet(mut error: SourceError, line: Option<&str>) -> SourceError {
    let Some(line) = line.filter(|l| !l.trim().is_empty()) else {
        return error;
    };
    if error.position.line >= 1 && !error.message.contains("\n  | ") {
        error.message.push('\n');
        error
            .message
            .push_str(&snippet(line, error.position.column as usize));
    }
    error
}

/// The compression a file's first bytes show, if any.
pub fn compression_of(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        Some("gzip")
    } else if bytes.starts_with(b"BZh") {
        Some("bzip2")
    } else if bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Some("zstd")
    } else {
        None
    }
}

/// The hint for a syntax error at the very start of a file that begins with
/// a byte order mark, which some editors write and RDF parsers refuse.
const BOM_HINT: &str = "the file starts with a byte order mark (U+FEFF), which the parser refuses: remove it, e.g. `sed -i '1s/^\\xEF\\xBB\\xBF//' FILE`";

/// Names a byte order mark when a syntax error is on the first line of a
/// file that starts with one.
pub(crate) fn name_bom(mut error: SourceError, starts_with_bom: bool) -> SourceError {
    if starts_with_bom && error.position.line <= 1 {
        error.hint = BOM_HINT.into();
    }
    error
}

/// Text from the data made safe to print on a terminal: control characters
/// (the ESC of ANSI sequences, CR, BEL, C1 controls) and the bidirectional
/// overrides are shown as `\u{..}` escapes. Everything aikg prints that came
/// from a file or a store goes through here.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Characters of a source line shown around an error's column: a long line
/// (a whole file on one line) is cut to a window, never printed whole.
const SNIPPET_WIDTH: usize = 100;

/// A source line with a caret under `column` (1-based, in characters): cut
/// to a window around the column when long, made printable.
pub fn snippet(line: &str, column: usize) -> String {
    let line = line.trim_end_matches(['\r', '\n']);
    let column = column.max(1);
    let total = line.chars().count();
    let (start, prefix) = if total > SNIPPET_WIDTH && column > SNIPPET_WIDTH / 2 {
        (column - SNIPPET_WIDTH / 2, "…")
    } else {
        (1, "")
    };
    let shown: String = line.chars().skip(start - 1).take(SNIPPET_WIDTH).collect();
    let suffix = if start - 1 + SNIPPET_WIDTH < total {
        "…"
    } else {
        ""
    };
    // The caret is placed under the printable form of the text before it.
    let before: String = line.chars().skip(start - 1).take(column - start).collect();
    let caret = " ".repeat(prefix.chars().count() + printable(&before).chars().count());
    format!("  | {prefix}{}{suffix}\n  | {caret}^", printable(&shown))
}

/// Checks that a file argument can be read, with the exact reason when not:
/// missing, a directory, a symbolic link loop or to nothing, no permission.
pub fn check_readable(path: &Path) -> Result<(), SourceError> {
    if input::is_stdin(path) {
        return Ok(());
    }
    let error = |message: &str, hint: &str| {
        Err(SourceError::at(
            SourceErrorKind::Io,
            &path.display().to_string().into(),
            0,
            0,
        )
        .message(message)
        .hint(hint))
    };
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => error(
            "a directory, not a file",
            "give the files in it, e.g. DIR/*.ttl",
        ),
        Ok(_) => match std::fs::File::open(path) {
            Ok(_) => Ok(()),
            Err(e) => error(
                &format!("cannot open the file: {e}"),
                "check its permissions",
            ),
        },
        Err(e) if e.raw_os_error() == Some(40) => error(
            "a symbolic link loop (too many levels of symbolic links)",
            "point the link at a file",
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::fs::symlink_metadata(path).is_ok() {
                error(
                    "a symbolic link to a file that does not exist",
                    "point the link at a file",
                )
            } else {
                error("no such file", "check the path")
            }
        }
        Err(e) => error(
            &format!("cannot read the file: {e}"),
            "check the path and its permissions",
        ),
    }
}

/// FNV-1a, 64 bits: a small, stable hash (std's hasher is seeded per process).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, format: SourceFormat) -> Result<Vec<LocatedQuad>, SourceError> {
        read_bytes("t.ttl".into(), text.as_bytes(), format)
    }

    #[test]
    fn positions_point_at_each_object() {
        let text = "@prefix ex: <http://example.org/> .\n\nex:a ex:p ex:b , ex:c ;\n    ex:q \"hello\"@en .\n";
        let quads = read(text, SourceFormat::Turtle).unwrap();
        let positions: Vec<(u32, u32)> = quads
            .iter()
            .map(|q| (q.position.line, q.position.column))
            .collect();
        assert_eq!(positions, vec![(3, 11), (3, 18), (4, 10)]);
    }

    #[test]
    fn an_object_is_not_found_inside_its_subject() {
        let text = "@prefix ex: <http://example.org/> .\nex:Funding-X a ex:Funding .\n";
        let quads = read(text, SourceFormat::Turtle).unwrap();
        assert_eq!((quads[0].position.line, quads[0].position.column), (2, 16));
    }

    #[test]
    fn trig_graphs_are_kept() {
        let text =
            "@prefix ex: <http://example.org/> .\nex:g { ex:a ex:p ex:b . }\nex:a ex:p ex:c .\n";
        let quads = read(text, SourceFormat::TriG).unwrap();
        assert_eq!(quads.len(), 2);
        assert_eq!(
            quads[0].quad.graph_name.to_string(),
            "<http://example.org/g>"
        );
        assert!(quads[1].quad.graph_name.is_default_graph());
    }

    #[test]
    fn unknown_prefix_has_a_position() {
        let err = read(
            "@prefix ex: <http://example.org/> .\nex:a ex:p foo:b .\n",
            SourceFormat::Turtle,
        )
        .unwrap_err();
        assert_eq!(err.kind, SourceErrorKind::UnknownPrefix);
        // Where the prefixed name starts.
        assert_eq!((err.position.line, err.position.column), (2, 11));
        assert!(err
            .message
            .starts_with("syntax error: unknown prefix foo:\n"));
    }

    #[test]
    fn syntax_error_column_counts_characters() {
        let err = read(
            "<http://e/é> <http://e/p> \"x\" ;; ? .\n",
            SourceFormat::Turtle,
        )
        .unwrap_err();
        assert_eq!(err.kind, SourceErrorKind::Syntax);
        assert_eq!(err.position.line, 1);
        assert_eq!(err.position.column, 34);
    }

    #[test]
    fn not_utf8_and_empty_are_errors() {
        let err = read_bytes(
            "x.ttl".into(),
            b"<a> <b> \"caf\xe9\" .",
            SourceFormat::Turtle,
        )
        .unwrap_err();
        assert_eq!(err.kind, SourceErrorKind::NotUtf8);
        assert_eq!((err.position.line, err.position.column), (1, 13));
        let err = read("# only a comment\n", SourceFormat::Turtle).unwrap_err();
        assert_eq!(err.kind, SourceErrorKind::Empty);
    }

    #[test]
    fn blank_nodes_are_scoped_to_their_file_and_stable() {
        let text = b"_:x <http://e/p> <http://e/o> .";
        let a = read_bytes("a.nt".into(), text, SourceFormat::NTriples).unwrap();
        let b = read_bytes("b.nt".into(), text, SourceFormat::NTriples).unwrap();
        let a2 = read_bytes("a.nt".into(), text, SourceFormat::NTriples).unwrap();
        assert_ne!(a[0].quad.subject, b[0].quad.subject);
        assert_eq!(a[0].quad.subject, a2[0].quad.subject);
    }

    #[test]
    fn blank_nodes_of_rdf_xml_and_json_ld_are_scoped_to_their_file() {
        // The same rdf:nodeID (or JSON-LD `_:x`) in two files is two nodes
        // (RDF 1.1 Concepts §3.4): merged, `validate a.rdf b.rdf` reported
        // a maxCount violation neither file has.
        for (format, text) in [
            (
                SourceFormat::RdfXml,
                r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/"><rdf:Description rdf:nodeID="x"><ex:p>v</ex:p></rdf:Description></rdf:RDF>"#,
            ),
            (SourceFormat::JsonLd, r#"{"@id": "_:x", "http://e/p": "v"}"#),
        ] {
            let a = read_bytes("a.rdf".into(), text.as_bytes(), format).unwrap();
            let b = read_bytes("b.rdf".into(), text.as_bytes(), format).unwrap();
            assert_ne!(a[0].quad.subject, b[0].quad.subject, "{format:?}");
            let a2 = read_bytes("a.rdf".into(), text.as_bytes(), format).unwrap();
            assert_eq!(a[0].quad.subject, a2[0].quad.subject, "{format:?}");
        }
    }

    #[test]
    fn blank_node_labels_with_dots_inside_are_read() {
        // BLANK_NODE_LABEL ::= '_:' (PN_CHARS_U | [0-9]) ((PN_CHARS | '.')* PN_CHARS)?
        // (N-Triples, N-Quads, Turtle, TriG): dots inside, in a row too.
        // rio stops at a second dot; the fuzzer found it (scanner target).
        for (format, text) in [
            (
                SourceFormat::NTriples,
                "_:x..y <http://e/p> _:x...z .\n_:x..y <http://e/q> \"v\" .\n",
            ),
            (
                SourceFormat::NQuads,
                "_:x..y <http://e/p> _:x...z <http://e/g> .\n_:x..y <http://e/q> \"v\" .\n",
            ),
            (
                SourceFormat::Turtle,
                "_:x..y <http://e/p> _:x...z .\n_:x..y <http://e/q> \"v\" .\n",
            ),
            (
                SourceFormat::TriG,
                "<http://e/g> { _:x..y <http://e/p> _:x...z . }\n_:x..y <http://e/q> \"v\" .\n",
            ),
        ] {
            let quads = read_bytes("a.nt".into(), text.as_bytes(), format)
                .unwrap_or_else(|e| panic!("{format:?}: {e}"));
            assert_eq!(quads.len(), 2, "{format:?}");
            // One node for the one label, scoped to the file as always.
            assert_eq!(quads[0].quad.subject, quads[1].quad.subject, "{format:?}");
            assert_ne!(
                oxigraph::model::Term::from(quads[0].quad.subject.clone()),
                quads[0].quad.object
            );
            let again = read_bytes("b.nt".into(), text.as_bytes(), format).unwrap();
            assert_ne!(quads[0].quad.subject, again[0].quad.subject, "{format:?}");
            let expected = blank_label("a.nt", "x..y");
            assert!(
                matches!(&quads[0].quad.subject, oxigraph::model::NamedOrBlankNode::BlankNode(b) if b.as_str() == expected),
                "{format:?}: {}",
                quads[0].quad.subject
            );
        }
    }
}
