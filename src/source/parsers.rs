//! oxigraph's parsers, for the syntaxes rio does not read (RDF/XML, JSON-LD).

use super::{LocatedQuad, Position, SourceError, SourceErrorKind, SourceFormat};
use oxigraph::io::RdfParser;
use std::sync::Arc;

/// Reads a whole document with oxigraph's parser: RDF/XML and JSON-LD, and
/// Turtle, TriG, N-Triples or N-Quads that rio refused and this parser
/// accepts. Blank nodes are scoped to the file as rio's reading scopes them
/// ([`super::blank_label`]: the same label in two files is two nodes); the
/// quads carry the file but no line (this parser gives none).
pub(super) fn read(
    name: &Arc<str>,
    text: &str,
    format: SourceFormat,
    base: Option<&str>,
) -> Result<Vec<LocatedQuad>, SourceError> {
    use oxigraph::model::{BlankNode, GraphName, NamedOrBlankNode, Term};
    let scoped = |b: &BlankNode| BlankNode::new_unchecked(super::blank_label(name, b.as_str()));
    let position = Position {
        file: name.clone(),
        line: 0,
        column: 0,
    };
    let mut quads = Vec::new();
    let parser = parser(name, format, base, None, false)?;
    for quad in cause_first(
        parser
            .for_slice(text.as_bytes())
            .map(|quad| quad.map_err(|e| parse_error(name, format, e.into()))),
    ) {
        let mut quad = quad?;
        if let NamedOrBlankNode::BlankNode(b) = &quad.subject {
            quad.subject = scoped(b).into();
        }
        if let Term::BlankNode(b) = &quad.object {
            quad.object = scoped(b).into();
        }
        if let GraphName::BlankNode(b) = &quad.graph_name {
            quad.graph_name = scoped(b).into();
        }
        quads.push(LocatedQuad {
            quad,
            position: position.clone(),
        });
    }
    Ok(quads)
}

/// The quads of an RDF document read by oxigraph's streaming parser, as they
/// come: what `aikg load` feeds its bulk loader with. Triples outside any
/// graph go to `default_graph` when given. Blank nodes are scoped to this
/// reading of the document: each gets a fresh node, never shared with another
/// file or another load (RDF 1.1 Concepts §3.4).
pub fn stream<'a>(
    name: Arc<str>,
    reader: impl std::io::Read + 'a,
    format: SourceFormat,
    base: Option<&str>,
    default_graph: Option<oxigraph::model::NamedNode>,
) -> Result<impl Iterator<Item = Result<oxigraph::model::Quad, SourceError>> + 'a, SourceError> {
    let parser = parser(&name, format, base, default_graph, true)?;
    Ok(cause_first(parser.for_reader(reader).map(move |quad| {
        quad.map_err(|e| parse_error(&name, format, e))
    })))
}

/// [`stream`] over text in memory (a mapped file): no limit on the length
/// of a line or a literal, where a reader's buffer stops at 16 MB.
pub fn stream_slice<'a>(
    name: Arc<str>,
    bytes: &'a [u8],
    format: SourceFormat,
    base: Option<&str>,
    default_graph: Option<oxigraph::model::NamedNode>,
) -> Result<impl Iterator<Item = Result<oxigraph::model::Quad, SourceError>> + 'a, SourceError> {
    let parser = parser(&name, format, base, default_graph, true)?;
    Ok(cause_first(parser.for_slice(bytes).map(move |quad| {
        quad.map_err(|e| parse_error(&name, format, e.into()))
    })))
}

/// oxttl records the errors one token causes on a stack and hands them out
/// last first: for `<a> <p> "x" "y" .` it says "The subject of a triple must
/// be an IRI or a blank node" (the consequence: `"y"` taken as the next
/// subject) before "Triples must be followed by a dot" (the cause). This
/// hands out each run of errors at one position in the order they arose,
/// the cause first.
pub(super) fn cause_first<I>(quads: I) -> CauseFirst<I>
where
    I: Iterator<Item = Result<oxigraph::model::Quad, SourceError>>,
{
    CauseFirst {
        inner: quads,
        pending: std::collections::VecDeque::new(),
    }
}

pub struct CauseFirst<I: Iterator> {
    inner: I,
    pending: std::collections::VecDeque<I::Item>,
}

impl<I> Iterator for CauseFirst<I>
where
    I: Iterator<Item = Result<oxigraph::model::Quad, SourceError>>,
{
    type Item = I::Item;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(item) = self.pending.pop_front() {
            return Some(item);
        }
        let first = match self.inner.next()? {
            Err(error) => error,
            quad => return Some(quad),
        };
        let mut run = vec![first];
        for item in self.inner.by_ref() {
            match item {
                Err(e) if e.position == run[0].position => run.push(e),
                other => {
                    self.pending.push_back(other);
                    break;
                }
            }
        }
        let mut run = run.into_iter().rev().map(Err);
        let cause = run.next();
        self.pending = run.chain(std::mem::take(&mut self.pending)).collect();
        cause
    }
}

/// The prefixes a document declares (Turtle and TriG `@prefix`/`PREFIX`,
/// RDF/XML `xmlns:`, a JSON-LD context), as they stand at its end: a prefix
/// declared twice has its last namespace, as in the graph a Turtle reader
/// keeps. Sorted by prefix; none for N-Triples and N-Quads. The document is
/// read again, relative namespaces resolved against `base`: its first
/// syntax error is returned.
pub fn declared_prefixes(
    name: &Arc<str>,
    bytes: &[u8],
    format: SourceFormat,
    base: Option<&str>,
) -> Result<Vec<(String, String)>, SourceError> {
    let mut reader = parser(name, format, base, None, false)?.for_slice(bytes);
    for quad in reader.by_ref() {
        quad.map_err(|e| parse_error(name, format, e.into()))?;
    }
    let mut prefixes: Vec<(String, String)> = reader
        .prefixes()
        .map(|(prefix, namespace)| (prefix.to_string(), namespace.to_string()))
        .collect();
    prefixes.sort();
    Ok(prefixes)
}

/// oxigraph's parser for `format`, with a base and a default graph;
/// `fresh_blank_nodes` gives each blank node a new name (a load), else the
/// labels are kept as written (a conversion, as riot does).
pub(super) fn parser(
    name: &Arc<str>,
    format: SourceFormat,
    base: Option<&str>,
    default_graph: Option<oxigraph::model::NamedNode>,
    fresh_blank_nodes: bool,
) -> Result<RdfParser, SourceError> {
    let mut parser = with_base(RdfParser::from_format(format.to_rdf_format()), name, base)?;
    if fresh_blank_nodes {
        parser = parser.rename_blank_nodes();
    }
    if let Some(graph) = default_graph {
        parser = parser.with_default_graph(graph);
    }
    Ok(parser)
}

/// The first syntax error oxigraph's parser finds in `text`, if any: what
/// `aikg load` says of the same file.
pub(super) fn first_error(
    name: &Arc<str>,
    text: &str,
    format: SourceFormat,
    base: Option<&str>,
) -> Option<SourceError> {
    let parser = parser(name, format, base, None, false).ok()?;
    cause_first(
        parser
            .for_slice(text.as_bytes())
            .map(|quad| quad.map_err(|e| parse_error(name, format, e.into()))),
    )
    .find_map(Result::err)
}

/// An oxigraph parse error as a located [`SourceError`].
pub(super) fn located(
    name: &Arc<str>,
    format: SourceFormat,
    error: oxigraph::io::RdfParseError,
) -> SourceError {
    parse_error(name, format, error)
}

fn with_base(
    parser: RdfParser,
    name: &Arc<str>,
    base: Option<&str>,
) -> Result<RdfParser, SourceError> {
    match base {
        None => Ok(parser),
        Some(base) => parser.with_base_iri(base).map_err(|e| {
            SourceError::at(SourceErrorKind::Io, name, 0, 0)
                .message(format!("the base IRI {base:?} is not an absolute IRI: {e}"))
                .hint("give an absolute IRI with --base, e.g. https://example.org/")
        }),
    }
}

fn parse_error(
    name: &Arc<str>,
    format: SourceFormat,
    error: oxigraph::io::RdfParseError,
) -> SourceError {
    use oxigraph::io::RdfParseError;
    let (line, column) = match &error {
        RdfParseError::Syntax(s) => s.location().map_or((0, 0), |l| {
            (l.start.line as u32 + 1, l.start.column as u32 + 1)
        }),
        RdfParseError::Io(_) => (0, 0),
    };
    let message = match &error {
        RdfParseError::Syntax(s) => s.to_string(),
        RdfParseError::Io(e) => e.to_string(),
    };
    // oxttl says "Parser error at line L column C: what"; we print our own
    // position, and what.
    let message = match message.strip_prefix("Parser error") {
        Some(rest) => rest
            .split_once(": ")
            .map_or(rest, |(_, what)| what)
            .to_string(),
        None => message,
    };
    // oxttl's words for the end of the file in the middle of a statement,
    // for a prefix never declared (said as for a SPARQL query), and for
    // N-Triples, which it reads as N-Quads.
    let message = if message == "Unexpected end" {
        "Unexpected end of file".to_string()
    } else if let Some(prefix) = message
        .strip_prefix("The prefix ")
        .and_then(|rest| rest.strip_suffix(" has not been declared"))
    {
        format!("unknown prefix {prefix}")
    } else if format == SourceFormat::NTriples && message.starts_with("Quads must") {
        message.replacen("Quads", "Triples", 1)
    } else {
        message
    };
    let (kind, hint) = match format {
        SourceFormat::RdfXml | SourceFormat::JsonLd => (
            SourceErrorKind::Syntax,
            "fix the syntax at that position".to_string(),
        ),
        _ => super::syntax_hint(&message),
    };
    SourceError::at(kind, name, line, column)
        .message(format!("syntax error: {}", super::printable(&message)))
        .hint(hint)
}
