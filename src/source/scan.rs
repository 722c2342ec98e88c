//! A zero-copy scanner for N-Triples and N-Quads, to read large line-based
//! files fast: terms are read in place, with no owned term per triple.
//!
//! It reads the common, strict form of these formats (one statement per
//! line, IRIs without escapes). Anything else makes it give up, and the
//! caller falls back to the parser ([`super::read_bytes`]), which reports
//! errors with positions; so the scanner never has to explain a syntax error.
//!
//! The scanner walks the whole text with one cursor (it does not split it
//! into lines first), finds delimiters with `memchr` (SIMD), and checks the
//! bytes of an IRI in one branch-free pass the compiler vectorises: reading
//! is most of the time `aikg validate` spends on a large file.

use oxigraph::model::{
    BlankNodeRef, LiteralRef, NamedNodeRef, NamedOrBlankNodeRef, TermRef, TripleRef,
};
use std::borrow::Cow;
#[derive(Debug)]
pub struct GiveUp;

/// A term as it appears in the text.
pub enum Raw<'a> {
    Iri(&'a str),
    Blank(&'a str),
    Literal {
        value: Cow<'a, str>,
        language: Option<&'a str>,
        datatype: Option<&'a str>,
    },
}

/// A cursor in the text; a statement ends at `\n` or at the end of the text.
pub struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at byte `at` of `text` (the start of a line).
    pub fn new(text: &'a str, at: usize) -> Self {
        Self { text, at }
    }

    /// Byte offset of the cursor.
    pub fn position(&self) -> usize {
        self.at
    }
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
pub type Statement<'a> = (Raw<'a>, &'a str, Raw<'a>, usize);

/// The statement of the line at the cursor (`None` for a blank or comment
/// line); leaves the cursor at the start of the next line. A statement never
/// spans lines: no term the scanner accepts holds a line break.
pub fn statement<'a>(c: &mut Cursor<'a>, quads: bool) -> Result<Option<Statement<'a>>, GiveUp> {
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

pub fn object_ref<'a>(raw: &'a Raw<'a>, blank: &'a str) -> TermRef<'a> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_up_outside_the_strict_subset() {
        for text in [
            "<http://e/a> <http://e/p> \"\\u00e9\" .\n",
            "<http://e/a> <http://e/p> <http://e/b>\n",
            "<http://e/a> <http://e/p> \"x\"@EN .\n",
            "<relative> <http://e/p> <http://e/b> .\n",
        ] {
            let mut seen = 0;
            let result = for_each_triple(text, false, |l| l.to_string(), |_, _| seen += 1);
            assert!(result.is_err(), "{text}");
            assert_eq!(seen, 0);
        }
    }
}
