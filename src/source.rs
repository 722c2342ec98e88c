//! Reading RDF sources: the one module that parses files.
//!
//! Turtle, TriG, N-Triples and N-Quads are parsed with `rio_turtle` (the
//! user's choice), and every quad keeps the file:line:column of its object
//! term, so that later stages (checks, SHACL diagnostics, `explain`) can point
//! at it. RDF/XML and JSON-LD, which rio does not read, go through oxigraph's
//! own parsers; their quads carry the file but no line.
//!
//! Swapping rio_turtle for `oxttl` would touch this file only.
//!
//! How positions are found: rio's parser does not expose its position while it
//! parses. We feed it one line per `read` call, so that when it hands us a
//! triple we know the last line it has pulled, which is the line where the
//! triple's object ends; the column is where the object's text appears on
//! that line (searched left to right, so `a, b, c` get distinct columns).
//! Known limits: a literal that spans lines is located at its last line, and
//! a triple whose object text cannot be found on its line gets the column of
//! the previous match on that line.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use rio_api::model as rio;
use rio_api::parser::{ParseError, QuadsParser, TriplesParser};
use rio_turtle::{NQuadsParser, NTriplesParser, TriGParser, TurtleError, TurtleParser};
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Read};
use std::path::Path;
use std::rc::Rc;
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
    pub const NAMES: &'static str = "ttl, trig, nt, nq, rdf (RDF/XML), jsonld";

    /// From a `--format` name or a file extension.
    pub fn from_name(name: &str) -> Option<Self> {
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
    fn at(kind: SourceErrorKind, file: &Arc<str>, line: u32, column: u32) -> Self {
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

    fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }
}

/// The name of blank node `id` of file `name`: from a hash of the file name
/// and its label, so that two files never share a node and the same file
/// always gives the same names (every reader of files names them so).
pub fn blank_label(name: &str, id: &str) -> String {
    let file_hash = fnv1a(name.as_bytes());
    let label: String = id.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    format!("f{file_hash:016x}{label}")
}

/// Reads a file, with its format from `format` or else its extension.
pub fn read_file(
    path: &Path,
    format: Option<SourceFormat>,
) -> Result<Vec<LocatedQuad>, SourceError> {
    let format = format_of(path, format)?;
    let bytes = read_file_bytes(path)?;
    read_bytes(path.display().to_string().into(), &bytes, format)
}

/// The format of a file: `format` when given, else the file's extension.
pub fn format_of(path: &Path, format: Option<SourceFormat>) -> Result<SourceFormat, SourceError> {
    format
        .or_else(|| SourceFormat::from_path(path))
        .ok_or_else(|| {
            SourceError::at(
                SourceErrorKind::UnknownFormat,
                &path.display().to_string().into(),
                0,
                0,
            )
            .message("cannot tell the RDF format from the file extension")
            .hint(format!(
                "name the format with --format (one of: {})",
                SourceFormat::NAMES
            ))
        })
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

/// Reads RDF text held in memory; `name` is what positions will show.
pub fn read_bytes(
    name: Arc<str>,
    bytes: &[u8],
    format: SourceFormat,
) -> Result<Vec<LocatedQuad>, SourceError> {
    let text = check_utf8(&name, bytes)?;
    let quads = match format {
        SourceFormat::Turtle
        | SourceFormat::TriG
        | SourceFormat::NTriples
        | SourceFormat::NQuads => RioReader::new(name.clone(), text).read(format)?,
        SourceFormat::RdfXml | SourceFormat::JsonLd => read_with_oxigraph(&name, text, format)?,
    };
    if quads.is_empty() {
        return Err(SourceError::at(SourceErrorKind::Empty, &name, 1, 1)
            .message("the file holds no triples")
            .hint("an empty source is most likely a mistake (a failed export, a wrong path); remove it from the command or fill it"));
    }
    Ok(quads)
}

/// RDF files are UTF-8 by definition; say exactly where a file is not.
fn check_utf8<'a>(name: &Arc<str>, bytes: &'a [u8]) -> Result<&'a str, SourceError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // Safe: everything before valid_up_to is valid UTF-8.
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let line = valid.matches('\n').count() as u32 + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        let byte = bytes[e.valid_up_to()];
        SourceError::at(SourceErrorKind::NotUtf8, name, line, column)
            .message(format!("the file is not UTF-8 (byte 0x{byte:02X})"))
            .hint("RDF files must be UTF-8: convert it, e.g. `iconv -f LATIN1 -t UTF-8 FILE > FILE.utf8`")
    })
}

fn read_with_oxigraph(
    name: &Arc<str>,
    text: &str,
    format: SourceFormat,
) -> Result<Vec<LocatedQuad>, SourceError> {
    let position = Position {
        file: name.clone(),
        line: 0,
        column: 0,
    };
    let mut quads = Vec::new();
    for quad in RdfParser::from_format(format.to_rdf_format()).for_slice(text.as_bytes()) {
        let quad = quad.map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| {
                (l.start.line as u32 + 1, l.start.column as u32 + 1)
            });
            SourceError::at(SourceErrorKind::Syntax, name, line, column)
                .message(format!("syntax error: {e}"))
                .hint("fix the syntax at that position")
        })?;
        quads.push(LocatedQuad {
            quad,
            position: position.clone(),
        });
    }
    Ok(quads)
}

/// Feeds rio one line per `read`, and records how far it has pulled.
struct LineByLine<'a> {
    bytes: &'a [u8],
    pulled: Rc<Cell<usize>>,
}

impl Read for LineByLine<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let start = self.pulled.get();
        let rest = &self.bytes[start..];
        let line_end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let n = line_end.min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pulled.set(start + n);
        Ok(n)
    }
}

/// Converts rio's triples to oxigraph's and gives each a position.
struct RioReader<'a> {
    name: Arc<str>,
    text: &'a str,
    line_starts: Vec<usize>,
    pulled: Rc<Cell<usize>>,
    /// Search cursor: (line index, byte offset in the text) of the last match.
    cursor: (usize, usize),
    blank_nodes: HashMap<String, BlankNode>,
    quads: Vec<LocatedQuad>,
}

impl<'a> RioReader<'a> {
    fn new(name: Arc<str>, text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            name,
            text,
            line_starts,
            pulled: Rc::new(Cell::new(0)),
            cursor: (usize::MAX, 0),
            blank_nodes: HashMap::new(),
            quads: Vec::new(),
        }
    }

    fn read(mut self, format: SourceFormat) -> Result<Vec<LocatedQuad>, SourceError> {
        // rio reads through `Read::read` with its own buffer; a zero-sized
        // BufReader passes those reads straight through, one line each.
        let input = io::BufReader::with_capacity(
            0,
            LineByLine {
                bytes: self.text.as_bytes(),
                pulled: self.pulled.clone(),
            },
        );
        let result = match format {
            SourceFormat::Turtle => {
                TurtleParser::new(input, None).parse_all(&mut |t| self.on_triple(t, None))
            }
            SourceFormat::TriG => TriGParser::new(input, None)
                .parse_all(&mut |q| self.on_triple(q.into_triple(), q.graph_name)),
            SourceFormat::NTriples => {
                NTriplesParser::new(input).parse_all(&mut |t| self.on_triple(t, None))
            }
            SourceFormat::NQuads => NQuadsParser::new(input)
                .parse_all(&mut |q| self.on_triple(q.into_triple(), q.graph_name)),
            SourceFormat::RdfXml | SourceFormat::JsonLd => unreachable!("not a rio format"),
        };
        match result {
            Ok(()) => Ok(self.quads),
            Err(RioError::Source(e)) => Err(e),
            Err(RioError::Turtle(e)) => Err(self.turtle_error(&e)),
        }
    }

    fn turtle_error(&self, error: &TurtleError) -> SourceError {
        let (line, column) = match error.textual_position() {
            Some(p) => {
                let line = p.line_number() as usize;
                let byte = p.byte_number().saturating_sub(1) as usize;
                (line, self.column_of(line, byte))
            }
            None => (0, 0),
        };
        let message = error.to_string();
        // rio appends " on line L at position B": we print our own position.
        let message = message
            .split(" on line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        let (kind, hint) = if message.starts_with("unknown prefix") {
            (
                SourceErrorKind::UnknownPrefix,
                "declare it at the top of the file, e.g. `@prefix aikg: <https://w3id.org/aikg/ontology#> .`".to_string(),
            )
        } else if message.starts_with("premature end of file") {
            (
                SourceErrorKind::Syntax,
                "the file ends in the middle of a statement: a missing ` .`, `]`, `}` or closing quote?".to_string(),
            )
        } else {
            (
                SourceErrorKind::Syntax,
                "fix the syntax at that position (statements end with ` .`; strings are quoted; IRIs are in <>)".to_string(),
            )
        };
        let mut err = SourceError::at(kind, &self.name, line as u32, column as u32)
            .message(format!("syntax error: {message}"))
            .hint(hint);
        if let Some(snippet) = self.snippet(line, column) {
            err.message.push('\n');
            err.message.push_str(&snippet);
        }
        err
    }

    /// The line's text with a caret under the column.
    fn snippet(&self, line: usize, column: usize) -> Option<String> {
        let text = self.line_text(line)?;
        let caret = " ".repeat(column.saturating_sub(1));
        Some(format!("  | {text}\n  | {caret}^"))
    }

    fn line_text(&self, line: usize) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |e| e - 1);
        Some(self.text[start..end].trim_end_matches('\r'))
    }

    /// 1-based character column of a 0-based byte offset in a 1-based line.
    fn column_of(&self, line: usize, byte: usize) -> usize {
        match self.line_text(line) {
            Some(text) => {
                let byte = byte.min(text.len());
                let mut b = byte;
                while !text.is_char_boundary(b) {
                    b -= 1;
                }
                text[..b].chars().count() + 1
            }
            None => 1,
        }
    }

    fn on_triple(
        &mut self,
        triple: rio::Triple<'_>,
        graph: Option<rio::GraphName<'_>>,
    ) -> Result<(), RioError> {
        let subject = match triple.subject {
            rio::Subject::NamedNode(n) => NamedOrBlankNode::from(NamedNode::new_unchecked(n.iri)),
            rio::Subject::BlankNode(b) => self.blank_node(b.id).into(),
            rio::Subject::Triple(_) => return Err(self.unsupported_star()),
        };
        let predicate = NamedNode::new_unchecked(triple.predicate.iri);
        let object = match triple.object {
            rio::Term::NamedNode(n) => Term::from(NamedNode::new_unchecked(n.iri)),
            rio::Term::BlankNode(b) => self.blank_node(b.id).into(),
            rio::Term::Literal(l) => Term::from(match l {
                rio::Literal::Simple { value } => Literal::new_simple_literal(value),
                rio::Literal::LanguageTaggedString { value, language } => {
                    Literal::new_language_tagged_literal_unchecked(
                        value,
                        language.to_ascii_lowercase(),
                    )
                }
                rio::Literal::Typed { value, datatype } => {
                    Literal::new_typed_literal(value, NamedNode::new_unchecked(datatype.iri))
                }
            }),
            rio::Term::Triple(_) => return Err(self.unsupported_star()),
        };
        let graph_name = match graph {
            None => GraphName::DefaultGraph,
            Some(rio::GraphName::NamedNode(n)) => NamedNode::new_unchecked(n.iri).into(),
            Some(rio::GraphName::BlankNode(b)) => self.blank_node(b.id).into(),
        };
        let position = self.locate(&triple.object);
        self.quads.push(LocatedQuad {
            quad: Quad::new(subject, predicate, object, graph_name),
            position,
        });
        Ok(())
    }

    fn unsupported_star(&self) -> RioError {
        let line = self.current_line();
        RioError::Source(
            SourceError::at(SourceErrorKind::Unsupported, &self.name, line as u32, 1)
                .message("RDF-star quoted triples are not supported")
                .hint("state the triple plainly, or describe it with an n-ary node"),
        )
    }

    /// Blank node labels are scoped to their file: each gets a node named
    /// from a hash of the file name and its label, so that two files never
    /// share a node and the same file always gives the same names (stable
    /// output, snapshots and diffs).
    fn blank_node(&mut self, id: &str) -> BlankNode {
        let name = &self.name;
        self.blank_nodes
            .entry(id.to_string())
            .or_insert_with(|| BlankNode::new_unchecked(blank_label(name, id)))
            .clone()
    }

    /// 1-based number of the last line rio has pulled.
    fn current_line(&self) -> usize {
        let last_byte = self.pulled.get().saturating_sub(1);
        match self.line_starts.binary_search(&last_byte) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    fn locate(&mut self, object: &rio::Term<'_>) -> Position {
        let line = self.current_line().max(1);
        let line_start = self.line_starts[line - 1];
        let line_text = self.line_text(line).unwrap_or("");
        let from = if self.cursor.0 == line {
            self.cursor.1 - line_start
        } else {
            0
        };
        let needle = search_text(object);
        let mut new_cursor = None;
        // An IRI's local name must end its token: `Funding` is not found
        // inside the subject `id:Funding-X`.
        let whole_token = matches!(object, rio::Term::NamedNode(_));
        let found = needle.as_deref().filter(|n| !n.is_empty()).and_then(|n| {
            let rest = line_text.get(from..)?;
            rest.match_indices(n).map(|(i, _)| from + i).find(|&i| {
                !whole_token
                    || line_text[i + n.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| c.is_whitespace() || ",;.)]}>".contains(c))
            })
        });
        let byte = match found {
            Some(i) => {
                new_cursor = Some((line, line_start + i + 1));
                // Back to the start of the token: the prefix of a prefixed
                // name, the `<` of an IRI, the quote of a literal.
                let token_start = line_text[..i]
                    .rfind(|c: char| c.is_whitespace() || ",;()[]{}".contains(c))
                    .map_or(0, |j| j + 1);
                token_start.max(from)
            }
            None if self.cursor.0 == line => from.saturating_sub(1),
            None => line_text.len() - line_text.trim_start().len(),
        };
        let column = self.column_of(line, byte) as u32;
        if let Some(cursor) = new_cursor {
            self.cursor = cursor;
        }
        Position {
            file: self.name.clone(),
            line: line as u32,
            column,
        }
    }
}

/// The text most likely to appear in the source where the term is written.
fn search_text(term: &rio::Term<'_>) -> Option<String> {
    match term {
        rio::Term::NamedNode(n) => {
            let local = n
                .iri
                .rsplit(['#', '/', ':'])
                .find(|s| !s.is_empty())
                .unwrap_or(n.iri);
            Some(local.to_string())
        }
        rio::Term::Literal(
            rio::Literal::Simple { value }
            | rio::Literal::LanguageTaggedString { value, .. }
            | rio::Literal::Typed { value, .. },
        ) => Some(
            value
                .chars()
                .take(12)
                .take_while(|c| *c != '"' && *c != '\\' && *c != '\n')
                .collect(),
        ),
        rio::Term::BlankNode(_) | rio::Term::Triple(_) => None,
    }
}

/// FNV-1a, 64 bits: a small, stable hash (std's hasher is seeded per process).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

enum RioError {
    Turtle(TurtleError),
    Source(SourceError),
}

impl From<TurtleError> for RioError {
    fn from(e: TurtleError) -> Self {
        Self::Turtle(e)
    }
}

trait IntoTriple<'a> {
    fn into_triple(self) -> rio::Triple<'a>;
}

impl<'a> IntoTriple<'a> for rio::Quad<'a> {
    fn into_triple(self) -> rio::Triple<'a> {
        rio::Triple {
            subject: self.subject,
            predicate: self.predicate,
            object: self.object,
        }
    }
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
        assert_eq!((err.position.line, err.position.column), (2, 15));
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
}
