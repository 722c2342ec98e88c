//! A zero-copy scanner for N-Triples and N-Quads, to index large line-based
//! files for validation fast: terms are read in place and interned straight
//! into the [`GraphBuilder`], with no owned term per triple.
//!
//! It reads the common, strict form of these formats (one statement per
//! line, IRIs without escapes). Anything else makes it give up, and the
//! caller falls back to [`crate::source`], the parser that reports errors
//! with positions; so the scanner never has to explain a syntax error.
//!
//! The scanner walks the whole text with one cursor (it does not split it
//! into lines first), finds delimiters with `memchr` (SIMD), and checks the
//! bytes of an IRI in one branch-free pass the compiler vectorises: reading
//! is most of the time `aikg validate` spends on a large file.

use super::graph::{Graph, GraphBuilder, Id};
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

/// A term as it appears in the text.
enum Raw<'a> {
    Iri(&'a str),
    Blank(&'a str),
    Literal {
        value: Cow<'a, str>,
        language: Option<&'a str>,
        datatype: Option<&'a str>,
    },
}

/// A cursor in the text; a statement ends at `\n` or at the end of the text.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

/// May this byte appear in an IRI the scanner accepts? Control characters,
/// space and `<>"\` may not (the last for escapes, left to the parser).
#[inline]
fn iri_bad(c: u8) -> bool {
    (c <= b' ') | (c == b'<') | (c == b'"') | (c == b'\\')
}

impl<'a> Cursor<'a> {
    #[inline]
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    #[inline]
    fn skip_space(&mut self) {
        let b = self.bytes();
        while self.at < b.len() && (b[self.at] == b' ' || b[self.at] == b'\t') {
            self.at += 1;
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    /// An IRI at `<`: its text between the brackets.
    #[inline]
    fn iri(&mut self) -> Result<&'a str, GiveUp> {
        let start = self.at + 1;
        let rest = self.bytes().get(start..).ok_or(GiveUp)?;
        let end = memchr::memchr(b'>', rest).ok_or(GiveUp)?;
        let iri = &rest[..end];
        // One pass with no early exit, so that it vectorises; a bad byte
        // includes `\n`, so an IRI never runs on into the next line.
        let (bad, colon) = iri.iter().fold((false, false), |(bad, colon), &c| {
            (bad | iri_bad(c), colon | (c == b':'))
        });
        if iri.is_empty() || bad || !colon {
            return Err(GiveUp);
        }
        self.at = start + end + 1;
        // `<` and `>` are ASCII, so both ends are character boundaries.
        Ok(&self.text[start..start + end])
    }

    /// A blank node at `_:`: its label, which a space or tab must follow.
    fn blank(&mut self) -> Result<&'a str, GiveUp> {
        let start = self.at + 2;
        let b = self.bytes();
        let mut i = start;
        let mut ascii = true;
        while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
            let c = b[i];
            if c >= 0x80 {
                ascii = false;
            } else if !(c.is_ascii_alphanumeric() || c == b'_' || c == b'-') {
                return Err(GiveUp);
            }
            i += 1;
        }
        if i == start || !matches!(b.get(i), Some(b' ' | b'\t')) {
            return Err(GiveUp);
        }
        let label = &self.text[start..i];
        if !ascii
            && !label
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
        {
            return Err(GiveUp);
        }
        self.at = i;
        Ok(label)
    }

    #[inline]
    fn term(&mut self, literal_ok: bool) -> Result<Raw<'a>, GiveUp> {
        self.skip_space();
        match self.peek() {
            Some(b'<') => Ok(Raw::Iri(self.iri()?)),
            Some(b'_') if self.bytes().get(self.at + 1) == Some(&b':') => {
                Ok(Raw::Blank(self.blank()?))
            }
            Some(b'"') if literal_ok => self.literal(),
            _ => Err(GiveUp),
        }
    }

    fn literal(&mut self) -> Result<Raw<'a>, GiveUp> {
        let bytes = self.bytes();
        let start = self.at + 1;
        let mut i = start;
        let mut escaped = false;
        // Literals are short: a plain loop beats a SIMD search's set-up. A
        // raw line break (`\n` or `\r`) is not allowed in a literal.
        loop {
            match bytes.get(i) {
                None | Some(b'\n') | Some(b'\r') => return Err(GiveUp),
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
        match self.peek() {
            Some(b'@') => {
                let start = self.at + 1;
                let mut j = start;
                while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
                    // The parser lower-cases tags: leave those files to it.
                    if bytes[j].is_ascii_uppercase() {
                        return Err(GiveUp);
                    }
                    j += 1;
                }
                if j == start || !matches!(bytes.get(j), Some(b' ' | b'\t')) {
                    return Err(GiveUp);
                }
                language = Some(&self.text[start..j]);
                self.at = j;
            }
            Some(b'^') if bytes.get(self.at + 1) == Some(&b'^') => {
                self.at += 2;
                if self.peek() != Some(b'<') {
                    return Err(GiveUp);
                }
                datatype = Some(self.iri()?);
            }
            _ => {}
        }
        Ok(Raw::Literal {
            value,
            language,
            datatype,
        })
    }

    /// Past the end of the current line (after a comment or a `\r`).
    #[inline]
    fn next_line(&mut self) {
        self.at = memchr::memchr(b'\n', &self.bytes()[self.at..])
            .map_or(self.text.len(), |i| self.at + i + 1);
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

/// One statement: subject, predicate, object, the object's byte offset in
/// its line.
type Statement<'a> = (Raw<'a>, &'a str, Raw<'a>, usize);

/// The statement of the line at the cursor (`None` for a blank or comment
/// line); leaves the cursor at the start of the next line. A statement never
/// spans lines: no term the scanner accepts holds a line break.
fn statement<'a>(c: &mut Cursor<'a>, quads: bool) -> Result<Option<Statement<'a>>, GiveUp> {
    let line_start = c.at;
    c.skip_space();
    match c.peek() {
        None => return Ok(None),
        Some(b'\n') => {
            c.at += 1;
            return Ok(None);
        }
        Some(b'#') | Some(b'\r') => {
            c.next_line();
            return Ok(None);
        }
        _ => {}
    }
    let s = c.term(false)?;
    c.skip_space();
    if c.peek() != Some(b'<') {
        return Err(GiveUp);
    }
    let p = c.iri()?;
    c.skip_space();
    let object_at = c.at - line_start;
    let o = c.term(true)?;
    c.skip_space();
    if quads && c.peek() != Some(b'.') {
        c.term(false)?;
        c.skip_space();
    }
    if c.peek() != Some(b'.') {
        return Err(GiveUp);
    }
    c.at += 1;
    c.skip_space();
    match c.peek() {
        None => {}
        Some(b'\n') => c.at += 1,
        Some(b'#') | Some(b'\r') => c.next_line(),
        _ => return Err(GiveUp),
    }
    Ok(Some((s, p, o, object_at)))
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
/// Written into a reused buffer, to allocate nothing per blank node.
fn blank_id<'b>(buffer: &'b mut String, file: usize, raw: &Raw<'_>) -> &'b str {
    use std::fmt::Write;
    buffer.clear();
    if let Raw::Blank(label) = raw {
        let _ = write!(buffer, "f{file}x{label}");
    }
    buffer
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
    let mut c = Cursor { text, at: 0 };
    let mut line = 0u32;
    while c.at < text.len() {
        line += 1;
        let Some((s, p, o, _)) = statement(&mut c, quads)? else {
            continue;
        };
        let label = |raw: &Raw<'_>| match raw {
            Raw::Blank(label) => blank(label),
            _ => String::new(),
        };
        let (bs, bo) = (label(&s), label(&o));
        let subject: NamedOrBlankNodeRef<'_> = match &s {
            Raw::Iri(i) => NamedNodeRef::new_unchecked(i).into(),
            Raw::Blank(_) => BlankNodeRef::new_unchecked(&bs).into(),
            Raw::Literal { .. } => return Err(GiveUp),
        };
        f(
            TripleRef::new(subject, NamedNodeRef::new_unchecked(p), object_ref(&o, &bo)),
            line,
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
    let result = (|| {
        // About one statement per 100 bytes in common files.
        let mut lines = Lines::with_capacity(text.len() / 100);
        let mut c = Cursor { text, at: 0 };
        let (mut bs, mut bo) = (String::new(), String::new());
        // Statements about one subject usually come together: the last
        // subject's id saves most subject look-ups.
        let mut last_subject: Option<(&str, bool, Id)> = None;
        let mut line = 0u32;
        while c.at < text.len() {
            line += 1;
            let Some((s, p, o, _)) = statement(&mut c, quads)? else {
                continue;
            };
            let (s_text, s_blank) = match s {
                Raw::Iri(i) => (i, false),
                Raw::Blank(b) => (b, true),
                Raw::Literal { .. } => return Err(GiveUp),
            };
            let s_id = match last_subject {
                Some((t, b, id)) if b == s_blank && t == s_text => id,
                _ => {
                    let id = if s_blank {
                        builder
                            .intern(BlankNodeRef::new_unchecked(blank_id(&mut bs, file, &s)).into())
                    } else {
                        builder.intern(NamedNodeRef::new_unchecked(s_text).into())
                    };
                    last_subject = Some((s_text, s_blank, id));
                    id
                }
            };
            let p_id = builder.intern(NamedNodeRef::new_unchecked(p).into());
            let o_id = builder.intern(object_ref(&o, blank_id(&mut bo, file, &o)));
            builder.push([s_id, p_id, o_id]);
            lines.push([s_id, p_id, o_id, line]);
        }
        Ok(lines)
    })();
    if result.is_err() {
        builder.rollback(checkpoint);
    }
    result
}

/// `text` cut into `parts` pieces of about the same size, each ending at a
/// line end (the last may be empty), to be scanned on as many threads.
pub fn line_chunks(text: &str, parts: usize) -> Vec<&str> {
    let mut chunks = Vec::with_capacity(parts);
    let mut rest = text;
    for left in (1..=parts.max(1)).rev() {
        let cut = if left == 1 {
            rest.len()
        } else {
            let mid = rest.len() / left;
            memchr::memchr(b'\n', &rest.as_bytes()[mid..]).map_or(rest.len(), |at| mid + at + 1)
        };
        let (chunk, tail) = rest.split_at(cut);
        chunks.push(chunk);
        rest = tail;
    }
    chunks
}

/// [`scan_into`] on two threads for a large text: each half is scanned into
/// its own builder, then the second is merged into the first.
pub fn scan_parallel(
    builder: &mut GraphBuilder,
    text: &str,
    quads: bool,
    file: usize,
) -> Result<Lines, GiveUp> {
    let threads = crate::cores();
    if text.len() < (1 << 20) || threads < 2 {
        return scan_into(builder, text, quads, file);
    }
    let [first, second] = line_chunks(text, 2)[..] else {
        unreachable!("two chunks asked for")
    };
    let checkpoint = builder.checkpoint();
    let started = std::time::Instant::now();
    let (a, b, offset) = std::thread::scope(|scope| {
        let other = scope.spawn(|| {
            let mut b = GraphBuilder::new();
            scan_into(&mut b, second, quads, file).map(|lines| (b, lines))
        });
        let a = scan_into(builder, first, quads, file);
        // Counted while the other thread still scans.
        let offset = memchr::memchr_iter(b'\n', first.as_bytes()).count() as u32;
        crate::timing("scan first half", started);
        (a, other.join().unwrap_or(Err(GiveUp)), offset)
    });
    crate::timing("scan both halves", started);
    let (mut lines, (other, second_lines)) = match (a, b) {
        (Ok(a), Ok(b)) => (a, b),
        _ => {
            builder.rollback(checkpoint);
            return Err(GiveUp);
        }
    };
    let started = std::time::Instant::now();
    let remap = builder.merge(other);
    crate::timing("merge", started);
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
    // A bit per term rather than a hash set: this tests every statement.
    let mut is_wanted = vec![false; g.len_terms()];
    for id in wanted.iter().filter_map(|t| g.id(t.as_ref())) {
        is_wanted[id as usize] = true;
    }
    let hits: Vec<&[u32; 4]> = lines
        .iter()
        .filter(|[s, _, o, _]| is_wanted[*s as usize] || is_wanted[*o as usize])
        .collect();
    if hits.is_empty() {
        return Vec::new();
    }
    // The hits are in file order: walk the line breaks once, up to the last
    // hit, rather than tabulating every line's start.
    let mut breaks = memchr::memchr_iter(b'\n', text.as_bytes());
    let (mut line_no, mut line_start) = (1u32, 0usize);
    let mut out = Vec::new();
    for &[s, p, o, line] in hits {
        while line_no < line {
            let Some(b) = breaks.next() else { break };
            line_no += 1;
            line_start = b + 1;
        }
        let mut c = Cursor {
            text,
            at: line_start,
        };
        let Ok(Some((_, _, _, object_at))) = statement(&mut c, quads) else {
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
                column: text[line_start..line_start + object_at].chars().count() as u32 + 1,
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
