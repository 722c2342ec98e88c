//! Indexing large N-Triples and N-Quads files for validation: the statements
//! read by the scanner of [`crate::source::scan`] are interned straight into
//! the [`GraphBuilder`], with no owned term per triple; and a located quad is
//! found again for a diagnostic by scanning its line once more.

use super::graph::{Graph, GraphBuilder, Id};
use crate::source::scan::{line_chunks, object_ref, statement, Cursor, GiveUp, Raw};
use crate::source::{LocatedQuad, Position};
use oxigraph::model::{BlankNodeRef, GraphName, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use rustc_hash::FxHashSet;
use std::sync::Arc;

/// Blank node ids are scoped to their file: `scope` (from
/// [`crate::source::blank_scope`]) makes them distinct, and names them as the
/// parser does. Written into a reused buffer, to allocate nothing per blank node.
fn blank_id<'b>(buffer: &'b mut String, scope: &str, raw: &Raw<'_>) -> &'b str {
    buffer.clear();
    if let Raw::Blank(label) = raw {
        buffer.push_str(scope);
        buffer.push_str(label);
    }
    buffer
}

/// Where a scanned file's statements are: (subject, predicate, object ids,
/// 1-based line), in file order.
pub type Lines = Vec<[u32; 4]>;

/// Scans `text` into `builder`; returns where each statement is, or gives
/// up (then the builder holds no triple of this file).
pub fn scan_into(
    builder: &mut GraphBuilder,
    text: &str,
    quads: bool,
    scope: &str,
) -> Result<Lines, GiveUp> {
    let checkpoint = builder.checkpoint();
    let result = (|| {
        // About one statement per 100 bytes in common files.
        let mut lines = Lines::with_capacity(text.len() / 100);
        let mut c = Cursor::new(text, 0);
        let (mut bs, mut bo) = (String::new(), String::new());
        // Statements about one subject usually come together: the last
        // subject's id saves most subject look-ups.
        let mut last_subject: Option<(&str, bool, Id)> = None;
        let mut line = 0u32;
        while c.position() < text.len() {
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
                        builder.intern(
                            BlankNodeRef::new_unchecked(blank_id(&mut bs, scope, &s)).into(),
                        )
                    } else {
                        builder.intern(NamedNodeRef::new_unchecked(s_text).into())
                    };
                    last_subject = Some((s_text, s_blank, id));
                    id
                }
            };
            let p_id = builder.intern(NamedNodeRef::new_unchecked(p).into());
            let o_id = builder.intern(object_ref(&o, blank_id(&mut bo, scope, &o)));
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

/// [`scan_into`] on two threads for a large text: each half is scanned into
/// its own builder, then the second is merged into the first.
pub fn scan_parallel(
    builder: &mut GraphBuilder,
    text: &str,
    quads: bool,
    scope: &str,
) -> Result<Lines, GiveUp> {
    let threads = crate::cores();
    if text.len() < (1 << 20) || threads < 2 {
        return scan_into(builder, text, quads, scope);
    }
    let [first, second] = line_chunks(text, 2)[..] else {
        unreachable!("two chunks asked for")
    };
    let checkpoint = builder.checkpoint();
    let started = std::time::Instant::now();
    let blank_scope = scope;
    let (a, b, offset) = std::thread::scope(|threads| {
        let other = threads.spawn(|| {
            let mut b = GraphBuilder::new();
            scan_into(&mut b, second, quads, blank_scope).map(|lines| (b, lines))
        });
        let a = scan_into(builder, first, quads, blank_scope);
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
        let mut c = Cursor::new(text, line_start);
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
        assert_eq!(scan_into(&mut b, text, false, "f0").unwrap().len(), 4);
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
        let la = scan_into(&mut a, &text, false, "f0").unwrap();
        let lb = scan_parallel(&mut b, &text, false, "f0").unwrap();
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
    fn locate_gives_line_and_column() {
        let text = "<http://e/a> <http://e/p> <http://e/b> .\n<http://e/c> <http://e/p> \"v\" .\n";
        let mut b = GraphBuilder::new();
        let lines = scan_into(&mut b, text, false, "f0").unwrap();
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
