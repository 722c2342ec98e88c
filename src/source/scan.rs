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

/// Byte classes of IRI text, for one table look-up per byte.
const PLAIN: u8 = 1; // unreserved, sub-delims, `:/?@`: valid anywhere after the scheme
const HASH: u8 = 2; // `#`: starts the fragment, at most once
const PERCENT: u8 = 4; // `%`: two hex digits must follow
const OTHER: u8 = 8; // anything else: non-ASCII, `[]`, or invalid

const IRI_CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let plain =
        b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:/?@";
    let mut i = 0;
    while i < plain.len() {
        table[plain[i] as usize] = PLAIN;
        i += 1;
    }
    table[b'#' as usize] = HASH;
    table[b'%' as usize] = PERCENT;
    table
};

/// Is `iri` (the text between `<` and `>`) an absolute IRI, as the parser
/// (oxiri, RFC 3987) would find it? The common case is decided in one pass
/// over a table the compiler vectorises; anything rarer (non-ASCII, IPv6
/// hosts, user info) is left to oxiri itself, so that the answer is always
/// the parser's.
fn valid_iri(iri: &str) -> bool {
    let bytes = iri.as_bytes();
    let (classes, hashes) = bytes.iter().fold((0u8, 0u32), |(classes, hashes), &c| {
        let class = IRI_CLASS[c as usize];
        (classes | class, hashes + u32::from(class == HASH))
    });
    if classes & OTHER != 0 || hashes > 1 || !plain_iri_structure(bytes, classes & PERCENT != 0) {
        // Bytes the grammar of IRIREF forbids outright: never an IRI.
        if bytes
            .iter()
            .any(|&c| c <= b' ' || b"<>\"{}|^`\\".contains(&c))
        {
            return false;
        }
        return oxiri::Iri::parse(iri).is_ok();
    }
    true
}

/// The structure of an IRI made of PLAIN bytes, one `#` at most and `%`s:
/// a scheme, `%` followed by two hex digits, and an authority (after `//`)
/// that is a host of PLAIN bytes with an optional numeric port. `false`
/// means "not sure" (the caller asks oxiri).
fn plain_iri_structure(bytes: &[u8], has_percent: bool) -> bool {
    let Some(colon) = bytes.iter().position(|&c| c == b':') else {
        return false;
    };
    let scheme = &bytes[..colon];
    if scheme.is_empty()
        || !scheme[0].is_ascii_alphabetic()
        || !scheme
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(c))
    {
        return false;
    }
    if has_percent {
        for (i, &c) in bytes.iter().enumerate() {
            if c == b'%'
                && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            {
                return false;
            }
        }
    }
    let rest = &bytes[colon + 1..];
    if let Some(after) = rest.strip_prefix(b"//") {
        let end = after
            .iter()
            .position(|c| b"/?#".contains(c))
            .unwrap_or(after.len());
        let authority = &after[..end];
        if authority.contains(&b'@') {
            return false;
        }
        if let Some(port_at) = authority.iter().position(|&c| c == b':') {
            if !authority[port_at + 1..].iter().all(u8::is_ascii_digit) {
                return false;
            }
        }
    }
    true
}

/// Is `tag` a well-formed language tag (BCP 47), as the parser checks it?
fn valid_language(tag: &str) -> bool {
    oxilangtag::LanguageTag::parse(tag).is_ok()
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

    /// An IRI at `<`: its text between the brackets. An escape (`\\u`)
    /// makes the scanner give up: the parser decodes it.
    #[inline]
    fn iri(&mut self) -> Result<&'a str, GiveUp> {
        let start = self.at + 1;
        let rest = self.bytes().get(start..).ok_or(GiveUp)?;
        let end = memchr::memchr(b'>', rest).ok_or(GiveUp)?;
        // `<` and `>` are ASCII, so both ends are character boundaries.
        let iri = &self.text[start..start + end];
        // `valid_iri` refuses `\n`, so an IRI never runs on into the next line.
        if !valid_iri(iri) {
            return Err(GiveUp);
        }
        self.at = start + end + 1;
        Ok(iri)
    }

    /// A blank node at `_:`: its label, which a space or tab must follow.
    /// BLANK_NODE_LABEL ::= '_:' (PN_CHARS_U | [0-9]) ((PN_CHARS | '.')* PN_CHARS)?
    /// for ASCII labels; a label with other characters is left to the parser.
    fn blank(&mut self) -> Result<&'a str, GiveUp> {
        let start = self.at + 2;
        let b = self.bytes();
        let first = *b.get(start).ok_or(GiveUp)?;
        if !(first.is_ascii_alphanumeric() || first == b'_') {
            return Err(GiveUp);
        }
        let mut i = start + 1;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'-' | b'.')) {
            i += 1;
        }
        // A label does not end with `.`; and what follows it must separate it.
        if b[i - 1] == b'.' || !matches!(b.get(i), Some(b' ' | b'\t')) {
            return Err(GiveUp);
        }
        self.at = i;
        Ok(&self.text[start..i])
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
                // LANGTAG ::= '@' [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*, well-formed
                // BCP 47 as the parser checks it.
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
                let tag = &self.text[start..j];
                if !valid_language(tag) {
                    return Err(GiveUp);
                }
                language = Some(tag);
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

    /// Past the end of the current line (after a comment or a `\r`). A
    /// lone `\r` also ends a line in the grammar: the scanner gives up on it
    /// rather than count lines differently.
    #[inline]
    fn next_line(&mut self) -> Result<(), GiveUp> {
        let rest = &self.bytes()[self.at..];
        let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        if let Some(cr) = memchr::memchr(b'\r', &rest[..end]) {
            if cr + 1 != end {
                return Err(GiveUp);
            }
        }
        self.at += (end + 1).min(rest.len());
        Ok(())
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
            c.next_line()?;
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
        Some(b'#') | Some(b'\r') => c.next_line()?,
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
            // issue 17 item 5: what the grammar refuses, the scanner never accepts
            "<http://e/a> <http://e/p> \"x\"@1 .\n",
            "<http://e/a> <http://e/p> \"x\"@en-a-b-c-d-toolongsubtag .\n",
            "<http://e/a{b}> <http://e/p> <http://e/b> .\n",
            "<http://e/a|b> <http://e/p> <http://e/b> .\n",
            "<http://e/a^b> <http://e/p> <http://e/b> .\n",
            "<http://e/a`b> <http://e/p> <http://e/b> .\n",
            "<http://e/a#b#c> <http://e/p> <http://e/b> .\n",
            "<http://e:port/> <http://e/p> <http://e/b> .\n",
            "<1http://e/> <http://e/p> <http://e/b> .\n",
            "<http://e/%zz> <http://e/p> <http://e/b> .\n",
            "_:-a <http://e/p> <http://e/b> .\n",
            "_:a. <http://e/p> <http://e/b> .\n",
            "<http://e/a> <http://e/p> <http://e/b> .\r<http://e/a> <http://e/p> \"x\"@1 .\n",
            "# comment\r<http://e/a> <http://e/p> <http://e/b> .\n",
        ] {
            let mut seen = 0;
            let result = for_each_triple(text, false, |l| l.to_string(), |_, _| seen += 1);
            assert!(result.is_err(), "{text}");
            assert_eq!(seen, 0, "{text}");
        }
    }

    #[test]
    fn reads_what_the_grammar_allows() {
        for text in [
            "_:a.b-c_1 <http://e/p> <http://e/b> .\r\n",
            "_:1a <http://e/p> \"x\"@en-GB-oed .\n",
            "<http://e:8080/a%20b?q=1#f> <http://e/p> <urn:x:y> . # comment\r\n",
            "<http://[::1]/a> <http://e/p> <http://é.example/ü> .\n",
        ] {
            let mut seen = 0;
            let result = for_each_triple(text, false, |l| l.to_string(), |_, _| seen += 1);
            // upper case tags are left to the parser, which lower-cases them
            if text.contains("GB") {
                assert!(result.is_err());
                continue;
            }
            assert!(result.is_ok(), "{text}");
            assert_eq!(seen, 1, "{text}");
        }
    }
}
