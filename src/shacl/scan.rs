//! A zero-copy scanner for N-Triples and N-Quads, to index large line-based
//! files for validation fast: terms are read in place and interned straight
//! into the [`GraphBuilder`], with no owned term per triple.
//!
//! It reads the common, strict form of these formats (one statement per
//! line, IRIs without escapes). Anything else makes it give up, and the
//! caller falls back to [`crate::source`], the parser that reports errors
//! with positions; so the scanner never has to explain a syntax error.

use super::graph::{Graph, GraphBuilder};
use crate::source::{LocatedQuad, Position};
use oxigraph::model::{
    BlankNodeRef, GraphName, LiteralRef, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad,
    Term, TermRef, TripleRef,
};
use rustc_hash::FxHashSet;
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

fn has_uppercase_language(raw: &Raw<'_>) -> bool {
    matches!(raw, Raw::Literal { language: Some(l), .. } if l.bytes().any(|b| b.is_ascii_uppercase()))
}

/// Where a scanned file's statements are: (subject, predicate, object ids,
/// 1-based line), in file order.
pub type Lines = Vec<[u32; 4]>;

/// Calls `f` with each statement of `text` and its 1-based line, blank node
/// labels renamed by `blank` (they are scoped to their file); the graph name
/// of an N-Quads line is read and dropped. Gives up on anything outside the
/// strict subset (after having called `f` on the statements before it).
pub fn for_each_triple(
    text: &str,
    quads: bool,
    blank: impl Fn(&str) -> String,
    mut f: impl FnMut(TripleRef<'_>, u32),
) -> Result<(), GiveUp> {
    for (i, line) in text.split('\n').enumerate() {
        let Some((s, p, o, _)) = statement(line, quads)? else {
            continue;
        };
        if has_uppercase_language(&o) {
            return Err(GiveUp); // the parser lower-cases tags: leave those files to it
        }
        let label = |raw: &Raw<'_>| match raw {
            Raw::Blank(label) => blank(label),
            _ => String::new(),
        };
        let (bs, bo) = (label(&s), label(&o));
        f(
            TripleRef::new(
                subject_ref(&s, &bs),
                NamedNodeRef::new_unchecked(p),
                object_ref(&o, &bo),
            ),
            i as u32 + 1,
        );
    }
    Ok(())
}

/// Scans `text` into `builder`; returns where each statement is, or gives
/// up (then the builder holds no triple of this file).
pub fn scan_into(
    builder: &mut GraphBuilder,
    text: &str,
    quads: bool,
    file: usize,
) -> Result<Lines, GiveUp> {
    let checkpoint = builder.checkpoint();
    let mut lines = Lines::new();
    let result = for_each_triple(
        text,
        quads,
        |label| format!("f{file}x{label}"),
        |triple, line| {
            let [s, p, o] = builder.add(triple);
            lines.push([s, p, o, line]);
        },
    );
    match result {
        Ok(()) => Ok(lines),
        Err(e) => {
            builder.rollback(checkpoint);
            Err(e)
        }
    }
}

/// [`scan_into`] on two threads for a large text: each half is scanned into
/// its own builder, then the second is merged into the first.
pub fn scan_parallel(
    builder: &mut GraphBuilder,
    text: &str,
    quads: bool,
    file: usize,
) -> Result<Lines, GiveUp> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if text.len() < (1 << 20) || threads < 2 {
        return scan_into(builder, text, quads, file);
    }
    let mid = text.len() / 2;
    let split = text[mid..].find('\n').map_or(text.len(), |i| mid + i + 1);
    let (first, second) = text.split_at(split);
    let offset = first.bytes().filter(|&b| b == b'\n').count() as u32;
    let checkpoint = builder.checkpoint();
    let (a, b) = std::thread::scope(|scope| {
        let other = scope.spawn(|| {
            let mut b = GraphBuilder::new();
            scan_into(&mut b, second, quads, file).map(|lines| (b, lines))
        });
        let a = scan_into(builder, first, quads, file);
        (a, other.join().unwrap_or(Err(GiveUp)))
    });
    let (mut lines, (other, second_lines)) = match (a, b) {
        (Ok(a), Ok(b)) => (a, b),
        _ => {
            builder.rollback(checkpoint);
            return Err(GiveUp);
        }
    };
    let remap = builder.merge(other);
    let r = |id: u32| remap[id as usize];
    lines.extend(
        second_lines
            .into_iter()
            .map(|[s, p, o, line]| [r(s), r(p), r(o), line + offset]),
    );
    Ok(lines)
}

/// The statements of a scanned file that mention any of `wanted` (as
/// subject or object), with their positions, for diagnostics.
pub fn locate(
    name: &Arc<str>,
    text: &str,
    quads: bool,
    lines: &Lines,
    g: &Graph,
    wanted: &FxHashSet<Term>,
) -> Vec<LocatedQuad> {
    let ids: FxHashSet<u32> = wanted.iter().filter_map(|t| g.id(t.as_ref())).collect();
    let hits: Vec<&[u32; 4]> = lines
        .iter()
        .filter(|[s, _, o, _]| ids.contains(s) || ids.contains(o))
        .collect();
    if hits.is_empty() {
        return Vec::new();
    }
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    let mut out = Vec::new();
    for &[s, p, o, line] in hits {
        let start = starts[line as usize - 1];
        let end = starts.get(line as usize).map_or(text.len(), |e| e - 1);
        let text_line = &text[start..end];
        let Ok(Some((_, _, _, object_at))) = statement(text_line, quads) else {
            continue;
        };
        let subject: NamedOrBlankNode = match g.term(s) {
            Term::NamedNode(n) => n.clone().into(),
            Term::BlankNode(b) => b.clone().into(),
            _ => continue,
        };
        let Term::NamedNode(predicate) = g.term(p).clone() else {
            continue;
        };
        out.push(LocatedQuad {
            quad: Quad::new(
                subject,
                predicate,
                g.term(o).clone(),
                GraphName::DefaultGraph,
            ),
            position: Position {
                file: name.clone(),
                line,
                column: text_line[..object_at].chars().count() as u32 + 1,
            },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{read_bytes, SourceFormat};
    use oxigraph::model::{Literal, NamedNode};

    #[test]
    fn scans_what_the_parser_reads() {
        let text = "<http://e/a> <http://e/p> <http://e/b> .\n\
                    # a comment\n\
                    <http://e/a> <http://e/q> \"x \\\"y\\\"\"@en .\n\
                    _:n1 <http://e/q> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n\
                    <http://e/b> <http://e/p> _:n1 .\n\n";
        let mut b = GraphBuilder::new();
        assert_eq!(scan_into(&mut b, text, false, 0).unwrap().len(), 4);
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
    fn parallel_scan_is_the_same_graph() {
        let mut text = String::new();
        for i in 0..40_000 {
            text.push_str(&format!(
                "<http://e/s{}> <http://e/p> _:b{} .\n",
                i % 997,
                i % 13
            ));
            text.push_str(&format!(
                "_:b{} <http://e/q> \"v{}\"@en .\n",
                i % 13,
                i % 101
            ));
        }
        assert!(text.len() > 1 << 20);
        let (mut a, mut b) = (GraphBuilder::new(), GraphBuilder::new());
        let la = scan_into(&mut a, &text, false, 0).unwrap();
        let lb = scan_parallel(&mut b, &text, false, 0).unwrap();
        let (ga, gb) = (a.build(), b.build());
        assert_eq!(ga.len_triples(), gb.len_triples());
        assert_eq!(la.len(), lb.len());
        let named = |g: &Graph, l: &[u32; 4]| {
            (
                g.term(l[0]).clone(),
                g.term(l[1]).clone(),
                g.term(l[2]).clone(),
                l[3],
            )
        };
        for (x, y) in la.iter().zip(&lb) {
            assert_eq!(named(&ga, x), named(&gb, y));
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
        let mut b = GraphBuilder::new();
        let lines = scan_into(&mut b, text, false, 0).unwrap();
        let g = b.build();
        let wanted = [Term::from(NamedNode::new_unchecked("http://e/c"))]
            .into_iter()
            .collect();
        let found = locate(&"f.nt".into(), text, false, &lines, &g, &wanted);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].position.line, found[0].position.column), (2, 27));
        assert_eq!(
            found[0].quad.object,
            Term::from(Literal::new_simple_literal("v"))
        );
    }
}
