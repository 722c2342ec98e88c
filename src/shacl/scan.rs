//! A zero-copy scanner for N-Triples and N-Quads, to index large line-based
//! files for validation fast: terms are read in place and interned straight
//! into the [`GraphBuilder`], with no owned term per triple.
//!
//! It reads the common, strict form of these formats (one statement per
//! line, IRIs without escapes). Anything else makes it give up, and the
//! caller falls back to [`crate::source`], the parser that reports errors
//! with positions; so the scanner never has to explain a syntax error.

use super::graph::GraphBuilder;
use crate::source::{LocatedQuad, Position};
use oxigraph::model::{
    BlankNode, BlankNodeRef, GraphName, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, Quad, Term, TermRef, TripleRef,
};
use std::borrow::Cow;
use std::sync::Arc;

/// The scanner met something outside the strict subset it reads.
#[derive(Debug)]
pub struct GiveUp;

/// A term as it appears on a line, with the byte where it starts.
enum Raw<'a> {
    Iri(&'a str),
    Blank(&'a str),
    Literal {
        value: Cow<'a, str>,
        language: Option<&'a str>,
        datatype: Option<&'a str>,
    },
}

struct Line<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Line<'a> {
    fn skip_space(&mut self) {
        let b = self.text.as_bytes();
        while self.at < b.len() && (b[self.at] == b' ' || b[self.at] == b'\t') {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn iri(&mut self) -> Result<&'a str, GiveUp> {
        let rest = &self.text[self.at + 1..];
        let end = rest.find('>').ok_or(GiveUp)?;
        let iri = &rest[..end];
        if iri.is_empty()
            || iri
                .bytes()
                .any(|c| c == b'\\' || c == b' ' || c == b'<' || c == b'"')
            || !iri.contains(':')
        {
            return Err(GiveUp);
        }
        self.at += end + 2;
        Ok(iri)
    }

    fn blank(&mut self) -> Result<&'a str, GiveUp> {
        let rest = &self.text[self.at + 2..];
        let end = rest.find([' ', '\t']).ok_or(GiveUp)?;
        let label = &rest[..end];
        if label.is_empty()
            || !label
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
        {
            return Err(GiveUp);
        }
        self.at += end + 2;
        Ok(label)
    }

    fn term(&mut self, literal_ok: bool) -> Result<Raw<'a>, GiveUp> {
        self.skip_space();
        match self.peek() {
            Some(b'<') => Ok(Raw::Iri(self.iri()?)),
            Some(b'_') if self.text[self.at..].starts_with("_:") => Ok(Raw::Blank(self.blank()?)),
            Some(b'"') if literal_ok => self.literal(),
            _ => Err(GiveUp),
        }
    }

    fn literal(&mut self) -> Result<Raw<'a>, GiveUp> {
        let bytes = self.text.as_bytes();
        let start = self.at + 1;
        let mut i = start;
        let mut escaped = false;
        loop {
            match bytes.get(i) {
                None => return Err(GiveUp),
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    i += 2;
                }
                Some(_) => i += 1,
            }
        }
        let raw = self.text.get(start..i).ok_or(GiveUp)?;
        let value = if escaped {
            Cow::Owned(unescape(raw)?)
        } else {
            Cow::Borrowed(raw)
        };
        self.at = i + 1;
        let (mut language, mut datatype) = (None, None);
        if self.text[self.at..].starts_with('@') {
            let rest = &self.text[self.at + 1..];
            let end = rest.find([' ', '\t']).ok_or(GiveUp)?;
            let tag = &rest[..end];
            if tag.is_empty() || !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(GiveUp);
            }
            language = Some(tag);
            self.at += end + 1;
        } else if self.text[self.at..].starts_with("^^<") {
            self.at += 2;
            datatype = Some(self.iri()?);
        }
        Ok(Raw::Literal {
            value,
            language,
            datatype,
        })
    }
}

fn unescape(raw: &str) -> Result<String, GiveUp> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next().ok_or(GiveUp)? {
            't' => out.push('\t'),
            'b' => out.push('\u{8}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            'f' => out.push('\u{c}'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            '\\' => out.push('\\'),
            'u' | 'U' => return Err(GiveUp),
            _ => return Err(GiveUp),
        }
    }
    Ok(out)
}

/// One statement of a line: subject, predicate, object, the object's byte
/// offset in the line.
fn statement<'a>(
    line: &'a str,
    quads: bool,
) -> Result<Option<(Raw<'a>, &'a str, Raw<'a>, usize)>, GiveUp> {
    let mut l = Line { text: line, at: 0 };
    l.skip_space();
    match l.peek() {
        None | Some(b'#') | Some(b'\r') => return Ok(None),
        _ => {}
    }
    let s = l.term(false)?;
    l.skip_space();
    if l.peek() != Some(b'<') {
        return Err(GiveUp);
    }
    let p = l.iri()?;
    l.skip_space();
    let object_at = l.at;
    let o = l.term(true)?;
    l.skip_space();
    if quads && l.peek() != Some(b'.') {
        l.term(false)?;
        l.skip_space();
    }
    if l.peek() != Some(b'.') {
        return Err(GiveUp);
    }
    l.at += 1;
    l.skip_space();
    match l.peek() {
        None | Some(b'#') | Some(b'\r') => Ok(Some((s, p, o, object_at))),
        _ => Err(GiveUp),
    }
}

fn subject_ref<'a>(raw: &'a Raw<'a>, blank: &'a str) -> NamedOrBlankNodeRef<'a> {
    match raw {
        Raw::Iri(i) => NamedNodeRef::new_unchecked(i).into(),
        _ => BlankNodeRef::new_unchecked(blank).into(),
    }
}

fn object_ref<'a>(raw: &'a Raw<'a>, blank: &'a str) -> TermRef<'a> {
    match raw {
        Raw::Iri(i) => NamedNodeRef::new_unchecked(i).into(),
        Raw::Blank(_) => BlankNodeRef::new_unchecked(blank).into(),
        Raw::Literal {
            value,
            language: Some(l),
            ..
        } => LiteralRef::new_language_tagged_literal_unchecked(value, l).into(),
        Raw::Literal {
            value,
            datatype: Some(d),
            ..
        } => LiteralRef::new_typed_literal(value, NamedNodeRef::new_unchecked(d)).into(),
        Raw::Literal { value, .. } => LiteralRef::new_simple_literal(value).into(),
    }
}

/// Blank node ids are scoped to their file: `file` makes them distinct.
fn blank_id(file: usize, raw: &Raw<'_>) -> String {
    match raw {
        Raw::Blank(label) => format!("f{file}x{label}"),
        _ => String::new(),
    }
}

fn has_uppercase_language(raw: &Raw<'_>) -> bool {
    matches!(raw, Raw::Literal { language: Some(l), .. } if l.bytes().any(|b| b.is_ascii_uppercase()))
}

/// Scans `text` into `builder`; returns the number of triples, or gives up
/// (then the builder holds no triple of this file).
pub fn scan_into(
    builder: &mut GraphBuilder,
    text: &str,
    quads: bool,
    file: usize,
) -> Result<usize, GiveUp> {
    let checkpoint = builder.checkpoint();
    let result = (|| {
        let mut n = 0;
        for line in text.split('\n') {
            let Some((s, p, o, _)) = statement(line, quads)? else {
                continue;
            };
            if has_uppercase_language(&o) {
                return Err(GiveUp); // the parser lower-cases tags: leave those files to it
            }
            let (bs, bo) = (blank_id(file, &s), blank_id(file, &o));
            builder.add(TripleRef::new(
                subject_ref(&s, &bs),
                NamedNodeRef::new_unchecked(p),
                object_ref(&o, &bo),
            ));
            n += 1;
        }
        Ok(n)
    })();
    if result.is_err() {
        builder.rollback(checkpoint);
    }
    result
}

/// The statements of a scanned file that mention any of `wanted` (as
/// subject or object), with their positions, for diagnostics.
pub fn locate(
    name: &Arc<str>,
    text: &str,
    quads: bool,
    file: usize,
    wanted: &rustc_hash::FxHashSet<Term>,
) -> Vec<LocatedQuad> {
    // Test terms by their text first, so that most lines allocate nothing.
    let mut iris: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let mut others = false;
    for t in wanted {
        match t {
            Term::NamedNode(n) => {
                iris.insert(n.as_str());
            }
            _ => others = true,
        }
    }
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let Ok(Some((s, p, o, object_at))) = statement(line, quads) else {
            continue;
        };
        let maybe = others
            || matches!(&s, Raw::Iri(x) if iris.contains(x))
            || matches!(&o, Raw::Iri(x) if iris.contains(x));
        if !maybe {
            continue;
        }
        let (bs, bo) = (blank_id(file, &s), blank_id(file, &o));
        let subject: NamedOrBlankNode = match subject_ref(&s, &bs) {
            NamedOrBlankNodeRef::NamedNode(n) => n.into_owned().into(),
            NamedOrBlankNodeRef::BlankNode(b) => BlankNode::new_unchecked(b.as_str()).into(),
        };
        let object: Term = object_ref(&o, &bo).into_owned();
        let subject_term: Term = subject.clone().into();
        if !wanted.contains(&subject_term) && !wanted.contains(&object) {
            continue;
        }
        out.push(LocatedQuad {
            quad: Quad::new(
                subject,
                NamedNode::new_unchecked(p),
                object,
                GraphName::DefaultGraph,
            ),
            position: Position {
                file: name.clone(),
                line: i as u32 + 1,
                column: line[..object_at].chars().count() as u32 + 1,
            },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{read_bytes, SourceFormat};
    use oxigraph::model::Literal;

    #[test]
    fn scans_what_the_parser_reads() {
        let text = "<http://e/a> <http://e/p> <http://e/b> .\n\
                    # a comment\n\
                    <http://e/a> <http://e/q> \"x \\\"y\\\"\"@en .\n\
                    _:n1 <http://e/q> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n\
                    <http://e/b> <http://e/p> _:n1 .\n\n";
        let mut b = GraphBuilder::new();
        assert_eq!(scan_into(&mut b, text, false, 0).unwrap(), 4);
        let scanned = b.build();
        let parsed = read_bytes("t.nt".into(), text.as_bytes(), SourceFormat::NTriples).unwrap();
        let reference = super::super::Graph::from_quads(parsed.iter().map(|q| q.quad.as_ref()));
        assert_eq!(scanned.len_triples(), reference.len_triples());
        for q in &parsed {
            if let Term::Literal(l) = &q.quad.object {
                assert!(scanned.id(l.as_ref().into()).is_some(), "{l}");
            }
        }
    }

    #[test]
    fn gives_up_outside_the_strict_subset() {
        for text in [
            "<http://e/a> <http://e/p> \"\\u00e9\" .\n",
            "<http://e/a> <http://e/p> <http://e/b>\n",
            "<http://e/a> <http://e/p> \"x\"@EN .\n",
            "<relative> <http://e/p> <http://e/b> .\n",
        ] {
            let mut b = GraphBuilder::new();
            assert!(scan_into(&mut b, text, false, 0).is_err(), "{text}");
            assert_eq!(b.build().len_triples(), 0);
        }
    }

    #[test]
    fn locate_gives_line_and_column() {
        let text = "<http://e/a> <http://e/p> <http://e/b> .\n<http://e/c> <http://e/p> \"v\" .\n";
        let wanted = [Term::from(NamedNode::new_unchecked("http://e/c"))]
            .into_iter()
            .collect();
        let found = locate(&"f.nt".into(), text, false, 0, &wanted);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].position.line, found[0].position.column), (2, 27));
        assert_eq!(
            found[0].quad.object,
            Term::from(Literal::new_simple_literal("v"))
        );
    }
}
