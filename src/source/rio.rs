//! Turtle, TriG, N-Triples and N-Quads through `rio_turtle`, each quad
//! located at its object term.
//!
//! How positions are found: rio's parser does not expose its position while it
//! parses. We feed it one line per `read` call, so that when it hands us a
//! triple we know the last line it has pulled, which is the line where the
//! triple's object ends; the column is where the object's text appears on
//! that line (searched left to right, so `a, b, c` get distinct columns).
//! Known limits: a literal that spans lines is located at its last line, and
//! a triple whose object text cannot be found on its line gets the column of
//! the previous match on that line.

use super::{blank_label, LocatedQuad, Position, SourceError, SourceErrorKind, SourceFormat};
use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use rio_api::model as rio;
use rio_api::parser::{ParseError, QuadsParser, TriplesParser};
use rio_turtle::{NQuadsParser, NTriplesParser, TriGParser, TurtleError, TurtleParser};
use std::cell::Cell;
use std::collections::HashMap;
use std::io::{self, Read};
use std::rc::Rc;
use std::sync::Arc;

/// Reads Turtle, TriG, N-Triples or N-Quads text.
pub(super) fn read(
    name: Arc<str>,
    text: &str,
    format: SourceFormat,
    base: Option<&str>,
) -> Result<Vec<LocatedQuad>, SourceError> {
    let base = match base.map(|b| oxiri::Iri::parse(b.to_string())).transpose() {
        Ok(base) => base,
        Err(e) => {
            return Err(SourceError::at(SourceErrorKind::Io, &name, 0, 0)
                .message(format!("the base IRI is not an absolute IRI: {e}"))
                .hint("give an absolute IRI with --base, e.g. https://example.org/"))
        }
    };
    RioReader::new(name, text).read(format, base)
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

    fn read(
        mut self,
        format: SourceFormat,
        base: Option<oxiri::Iri<String>>,
    ) -> Result<Vec<LocatedQuad>, SourceError> {
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
                TurtleParser::new(input, base).parse_all(&mut |t| self.on_triple(t, None))
            }
            SourceFormat::TriG => TriGParser::new(input, base)
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
        let (kind, hint) = super::syntax_hint(&message);
        SourceError::at(kind, &self.name, line as u32, column as u32)
            .message(format!("syntax error: {}", super::printable(&message)))
            .hint(hint)
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
