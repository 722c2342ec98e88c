//! GraphViz DOT: nodes shaped and coloured by class with a legend, edges
//! labelled by relation in the chosen language, clusters, and nothing that
//! depends on hash order (nodes by id, edges by source, target, relation).

use super::projection::{Edge, Node, Projection};
use super::style::{edge_style, node_style, styled_class, NodeStyle, NODE_STYLES};
use crate::namespaces::AIKG;
use petgraph::visit::EdgeRef;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::ops::Range;
use std::sync::mpsc;

/// A string as a DOT quoted id: backslashes and quotes escaped, line breaks
/// as `\n`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    quote_into(&mut out, text);
    out
}

/// [`quote`], appended to `out`.
pub fn quote_into(out: &mut String, text: &str) {
    out.push('"');
    escape(text, |piece| out.push_str(piece));
    out.push('"');
}

/// [`quote`], appended to a byte buffer (what [`write_dot`] writes into).
pub fn quote_into_bytes(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    escape_into_bytes(out, text);
    out.push(b'"');
}

/// `text` as inside a DOT quoted string (without the quotes), appended.
fn escape_into_bytes(out: &mut Vec<u8>, text: &str) {
    escape(text, |piece| out.extend_from_slice(piece.as_bytes()));
}

/// `text` escaped for a DOT quoted string, handed to `push` piece by piece:
/// runs of plain text as they are, and the escapes between them. The one
/// definition of the escaping, for the `String` and the byte writers.
///
/// Each byte is escaped on its own, so the escape of a text is the escapes
/// of its pieces, one after the other: the texts of a node (label, tooltip)
/// are escaped as they are produced, piece by piece, never built first.
#[inline]
fn escape(text: &str, mut push: impl FnMut(&str)) {
    // Most texts have nothing to escape. Looking at every byte without
    // stopping at the first special one is a loop the compiler vectorizes:
    // those texts are copied whole after a few instructions.
    if !text.bytes().fold(false, |any, b| any | is_special(b)) {
        push(text);
        return;
    }
    let mut rest = text;
    // The special bytes are ASCII, so never part of a multi-byte character:
    // where one is, the text can be cut.
    while let Some(at) = rest.bytes().position(is_special) {
        push(&rest[..at]);
        match rest.as_bytes()[at] {
            b'"' => push("\\\""),
            b'\\' => push("\\\\"),
            b'\n' => push("\\n"),
            _ => {} // a carriage return is dropped
        }
        rest = &rest[at + 1..];
    }
    push(rest);
}

/// A byte [`escape`] replaces or drops.
fn is_special(b: u8) -> bool {
    matches!(b, b'"' | b'\\' | b'\n' | b'\r')
}

/// Breaks a label into lines of about `width` characters, at plain spaces
/// (not at the no-break spaces inside numbers).
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    wrap_pieces(text, width, |piece| out.push_str(piece));
    out
}

/// [`wrap`], handed to `push` piece by piece: the words, and the space or
/// line break between two words.
fn wrap_pieces(text: &str, width: usize, mut push: impl FnMut(&str)) {
    // Most labels fit on a line, and have no run of spaces: the words joined
    // by single spaces are the text without its spaces around.
    let fits = text.len() <= width || text.chars().count() <= width;
    if fits && !text.as_bytes().windows(2).any(|pair| pair == b"  ") {
        push(text.trim_matches(' '));
        return;
    }
    // characters on the current line; 0 while it has no word
    let mut line = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let chars = word.chars().count();
        if line > 0 {
            if line + 1 + chars > width {
                push("\n");
                line = 0;
            } else {
                push(" ");
                line += 1;
            }
        }
        push(word);
        line += chars;
    }
}

/// Notes drawn in a node (the others are in its tooltip).
const NOTES_SHOWN: usize = 2;

/// The text drawn in a node: its label, then its first notes.
pub fn node_text(node: &Node) -> String {
    let mut text = String::with_capacity(node.label.len() + 8);
    node_text_pieces(node, |piece| text.push_str(piece));
    text
}

/// [`node_text`], handed to `push` piece by piece.
fn node_text_pieces(node: &Node, mut push: impl FnMut(&str)) {
    wrap_pieces(&node.label, 28, &mut push);
    // "Long name (ACRONYM)": people know many bodies by their acronym.
    if let Some((_, acronym)) = node.attributes.iter().find(|(k, _)| k == "acronym") {
        if !node.label.contains(acronym.as_str()) {
            push("\n(");
            push(acronym);
            push(")");
        }
    }
    for note in node.notes.iter().take(NOTES_SHOWN) {
        push("\n");
        wrap_pieces(note, 34, &mut push);
    }
    if node.notes.len() > NOTES_SHOWN {
        push(&format!("\n(+{} more)", node.notes.len() - NOTES_SHOWN));
    }
}

/// What a list of classes gives the nodes that have it, worked out once per
/// list (on each thread) rather than once per node.
struct ClassLook {
    style: NodeStyle,
    /// The classes' labels in the chosen language, ", " between them.
    labels: String,
}

impl ClassLook {
    fn new(classes: &[String], p: &Projection) -> Self {
        let labels: Vec<String> = classes.iter().map(|c| p.vocab.label(c, &p.lang)).collect();
        ClassLook {
            style: node_style(classes, &p.vocab),
            labels: labels.join(", "),
        }
    }
}

/// The looks of the lists of classes met, each worked out once (per thread).
#[derive(Default)]
struct Looks<'a> {
    /// Where the look of each list of classes is in `looks`.
    index: FxHashMap<&'a [String], usize>,
    looks: Vec<ClassLook>,
    /// The list of the node before, and where its look is: nodes in a row
    /// often have the same classes (their ids start with the class), and
    /// comparing costs less than hashing.
    last: Option<(&'a [String], usize)>,
}

impl<'a> Looks<'a> {
    fn of(&mut self, classes: &'a [String], p: &Projection) -> &ClassLook {
        let at = match self.last {
            Some((last, at)) if last == classes => at,
            _ => {
                let looks = &mut self.looks;
                let at = *self.index.entry(classes).or_insert_with(|| {
                    looks.push(ClassLook::new(classes, p));
                    looks.len() - 1
                });
                self.last = Some((classes, at));
                at
            }
        };
        &self.looks[at]
    }
}

/// Values longer than this are cut in a tooltip.
const TOOLTIP_VALUE_CHARS: usize = 120;

/// Where to cut a value of more than `max` characters to keep the first
/// `max - 1` (and add "…"); `None` if it is short enough.
fn cut(value: &str, max: usize) -> Option<usize> {
    // no more bytes than `max`, so no more characters
    if value.len() <= max {
        return None;
    }
    let mut starts = value.char_indices().map(|(at, _)| at);
    // the start of the `max`th character is the end of the `max - 1` kept
    let end_of_kept = starts.nth(max - 1)?;
    // more than `max` characters: one after the `max`th
    starts.next()?;
    Some(end_of_kept)
}

/// The tooltip of a node, handed to `push` piece by piece: its id, its
/// classes (`class_labels`), its notes and its attributes (long values cut),
/// one a line.
fn tooltip_pieces(node: &Node, class_labels: &str, mut push: impl FnMut(&str)) {
    push(&node.id);
    if !node.classes.is_empty() {
        push("\n");
        push(class_labels);
    }
    for note in &node.notes {
        push("\n");
        push(note);
    }
    for (k, v) in node
        .attributes
        .iter()
        .filter(|(k, _)| k != "funding" && k != "quantity")
    {
        push("\n");
        push(k);
        push(": ");
        match cut(v, TOOLTIP_VALUE_CHARS) {
            Some(at) => {
                push(&v[..at]);
                push("…");
            }
            None => push(v),
        }
    }
}

/// A node's line, appended to `out`.
fn write_node(
    out: &mut Vec<u8>,
    n: &Node,
    id: &[u8],
    look: &ClassLook,
    focus: bool,
    link: Option<&(dyn Fn(&str) -> String + Send + Sync)>,
) {
    out.extend_from_slice(if n.cluster.is_some() { b"    " } else { b"  " });
    out.extend_from_slice(id);
    out.extend_from_slice(b" [label=\"");
    node_text_pieces(n, |piece| escape_into_bytes(out, piece));
    out.extend_from_slice(b"\", shape=");
    out.extend_from_slice(look.style.shape.as_bytes());
    out.extend_from_slice(b", style=");
    quote_into_bytes(out, look.style.style);
    out.extend_from_slice(b", fillcolor=");
    quote_into_bytes(out, look.style.fill);
    out.extend_from_slice(b", tooltip=\"");
    tooltip_pieces(n, &look.labels, |piece| escape_into_bytes(out, piece));
    out.push(b'"');
    if focus {
        out.extend_from_slice(b", penwidth=2.5");
    }
    if let Some(link) = link {
        out.extend_from_slice(b", URL=");
        quote_into_bytes(out, &link(&n.key));
    }
    out.extend_from_slice(b"];\n");
}

/// An edge's line, appended to `out`, its ends given as quoted ids.
fn write_edge(out: &mut Vec<u8>, source: &[u8], target: &[u8], edge: &Edge) {
    let style = edge_style(&edge.relation);
    out.extend_from_slice(b"  ");
    out.extend_from_slice(source);
    out.extend_from_slice(b" -> ");
    out.extend_from_slice(target);
    out.extend_from_slice(b" [label=\"");
    wrap_pieces(&edge.label, 40, |piece| escape_into_bytes(out, piece));
    out.extend_from_slice(b"\", color=");
    quote_into_bytes(out, style.color);
    if style.penwidth != "1" {
        out.extend_from_slice(b", penwidth=");
        out.extend_from_slice(style.penwidth.as_bytes());
    }
    if style.style != "solid" {
        out.extend_from_slice(b", style=");
        out.extend_from_slice(style.style.as_bytes());
    }
    if edge.undirected {
        out.extend_from_slice(b", dir=none");
    }
    out.extend_from_slice(b"];\n");
}

/// The ids of all the nodes quoted, one after the other: a node's line and
/// the edges at it copy its id from here, a few megabytes that stay in the
/// cache, rather than read and escape again ids all over memory.
struct QuotedIds {
    bytes: Vec<u8>,
    /// Where the id of each node ends in `bytes`.
    ends: Vec<usize>,
}

impl QuotedIds {
    fn get(&self, node: usize) -> &[u8] {
        let start = if node == 0 { 0 } else { self.ends[node - 1] };
        &self.bytes[start..self.ends[node]]
    }
}

/// What the node part of the DOT is made of, in order.
enum Entry<'a> {
    /// The start of a cluster: its number and label.
    Cluster(usize, &'a str),
    /// A node's line.
    Node(usize),
    /// The end of a cluster.
    End,
}

/// Items formatted together, one after the other in a buffer: some 200 kB
/// of DOT, small enough to stay in the cache until written out.
const BLOCK: usize = 1024;

/// Buffers a thread formats into: how many blocks it may be ahead of the
/// writer.
const BUFFERS_PER_THREAD: usize = 3;

/// The threads [`write_dot`] formats on: every core (up to 8), or one fewer
/// while a core is busy freeing what the projection was made from
/// ([`super::discard`]): on two cores, this thread alone was measured faster
/// than two threads sharing one core.
fn threads() -> usize {
    let cores = crate::cores();
    if super::frees_in_background() {
        cores.max(2) - 1
    } else {
        cores
    }
}

/// Writes to `out`, in order, the text of `count` items formatted on up to
/// `threads` threads: `format(state, items, buffer)` appends to `buffer` the
/// text of the items in that range, with a `state` of its own on each
/// thread (caches).
///
/// Thread `t` (this one is 0, the others are started here) formats blocks
/// `t`, `t + threads`, …; this one writes out its blocks as it makes them,
/// and those of the others as they hand them over, in order. So the text
/// goes out as it is made, through a few buffers used again and again,
/// rather than waiting whole in a buffer per thread: on a large graph the
/// page faults of such buffers, and freeing them, cost about as much as the
/// formatting itself.
///
/// The buffers come from `buffers` and go back there: allocated and freed
/// by this thread only, a few times in all. In glibc a large allocation or
/// free first sorts all the small blocks freed since the last one, those
/// freed on other threads too: a thread that allocated its own buffers
/// paid for that sorting, every time.
fn write_on_threads<S: Default>(
    out: &mut dyn Write,
    count: usize,
    threads: usize,
    buffers: &mut Vec<Vec<u8>>,
    format: impl Fn(&mut S, Range<usize>, &mut Vec<u8>) + Sync,
) -> io::Result<()> {
    let blocks = count.div_ceil(BLOCK);
    let block = |b: usize| b * BLOCK..((b + 1) * BLOCK).min(count);
    let new_buffer = || Vec::with_capacity(BLOCK * 256);
    let threads = threads.min(blocks).max(1);
    let mut own = buffers.pop().unwrap_or_else(new_buffer);
    let written = std::thread::scope(|scope| {
        let mut others = Vec::with_capacity(threads - 1);
        for t in 1..threads {
            let mut spare: Vec<Vec<u8>> = (0..BUFFERS_PER_THREAD)
                .map(|_| buffers.pop().unwrap_or_else(new_buffer))
                .collect();
            // never full: there are no more buffers than places
            let (hand_over, formatted) = mpsc::sync_channel::<Vec<u8>>(BUFFERS_PER_THREAD);
            let (give_back, given_back) = mpsc::sync_channel::<Vec<u8>>(BUFFERS_PER_THREAD);
            let format = &format;
            let thread = scope.spawn(move || {
                let mut state = S::default();
                for b in (t..blocks).step_by(threads) {
                    // none: the writer stopped on an error
                    let Some(mut buffer) = spare.pop().or_else(|| given_back.recv().ok()) else {
                        break;
                    };
                    buffer.clear();
                    format(&mut state, block(b), &mut buffer);
                    if hand_over.send(buffer).is_err() {
                        break;
                    }
                }
                // the buffers go back to the caller, not freed here
                (spare, given_back)
            });
            others.push((formatted, give_back, thread));
        }
        let mut state = S::default();
        for b in 0..blocks {
            let t = b % threads;
            if t == 0 {
                own.clear();
                format(&mut state, block(b), &mut own);
                out.write_all(&own)?;
                continue;
            }
            let (formatted, give_back, _) = &others[t - 1];
            // none when the thread panicked: joining it says so
            let Ok(buffer) = formatted.recv() else {
                break;
            };
            // on an error, dropping the channels stops the threads
            out.write_all(&buffer)?;
            if b + threads < blocks {
                // the thread has more to format (it may have panicked)
                let _ = give_back.send(buffer);
            } else {
                buffers.push(buffer);
            }
        }
        for (_, _, thread) in others {
            let (spare, given_back) = thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            buffers.extend(spare);
            buffers.extend(given_back.try_iter());
        }
        Ok(())
    });
    buffers.push(own);
    written
}

/// Writes the projection as a DOT digraph.
pub fn write_dot(p: &Projection, out: &mut dyn Write) -> io::Result<()> {
    let g = &p.graph;

    // A country drawn as its own cluster's label, with no edge left to draw,
    // would only repeat the label.
    let anchor_only = |i: petgraph::graph::NodeIndex| {
        g[i].cluster
            .as_ref()
            .is_some_and(|(key, _)| *key == g[i].id)
            && g.edges_directed(i, petgraph::Direction::Incoming)
                .chain(g.edges_directed(i, petgraph::Direction::Outgoing))
                .all(|e| p.implied_by_cluster(e.id()))
            && p.focus != Some(i)
    };

    // First the ids quoted, for the nodes and the edges at them, and the
    // lists of classes of the nodes drawn, for the legend: a quick pass on
    // this thread.
    let mut ids = QuotedIds {
        bytes: Vec::with_capacity(g.node_count() * 48),
        ends: Vec::with_capacity(g.node_count()),
    };
    let mut drawn: FxHashSet<&[String]> = FxHashSet::default();
    // the list inserted last: nodes in a row often have the same
    let mut last: Option<&[String]> = None;
    for i in g.node_indices() {
        quote_into_bytes(&mut ids.bytes, &g[i].id);
        ids.ends.push(ids.bytes.len());
        let classes = g[i].classes.as_slice();
        if last != Some(classes) && !anchor_only(i) {
            drawn.insert(classes);
            last = Some(classes);
        }
    }

    writeln!(out, "digraph aikg {{")?;
    writeln!(
        out,
        "  graph [rankdir=LR, fontname=\"Helvetica,Arial,sans-serif\", fontsize=12, nodesep=0.2, ranksep=0.6, newrank=true];"
    )?;
    writeln!(
        out,
        "  node [fontname=\"Helvetica,Arial,sans-serif\", fontsize=10, margin=\"0.1,0.04\", penwidth=0.8];"
    )?;
    writeln!(
        out,
        "  edge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=9, arrowsize=0.6, fontcolor=\"#444444\"];"
    )?;

    // Legend: one sample node per styled class drawn, most specific first.
    let mut used: BTreeMap<usize, String> = BTreeMap::new();
    for classes in drawn {
        if let Some(class) = styled_class(classes, &p.vocab) {
            let local = class.strip_prefix(AIKG).unwrap_or(&class).to_string();
            if let Some(i) = NODE_STYLES.iter().position(|(c, _)| *c == local) {
                used.insert(i, class);
            }
        }
    }
    if !used.is_empty() {
        let title = if p.lang == "fr" { "Légende" } else { "Legend" };
        writeln!(out, "  subgraph cluster_legend {{")?;
        writeln!(
            out,
            "    label={}; fontsize=11; style=\"rounded\"; color=\"#bbbbbb\";",
            quote(title)
        )?;
        for (i, class) in &used {
            let style = NODE_STYLES[*i].1;
            writeln!(
                out,
                "    {} [label={}, shape={}, style={}, fillcolor={}, fontsize=9];",
                quote(&format!("legend:{}", NODE_STYLES[*i].0)),
                quote(&p.vocab.label(class, &p.lang)),
                style.shape,
                quote(style.style),
                quote(style.fill)
            )?;
        }
        writeln!(out, "  }}")?;
    }

    // Nodes, inside their clusters: what is written, in order.
    let mut clusters: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    let mut loose = Vec::new();
    for i in g.node_indices() {
        if anchor_only(i) && g.node_count() > 1 {
            continue;
        }
        match &g[i].cluster {
            Some((key, label)) => clusters
                .entry((label.as_str(), key.as_str()))
                .or_default()
                .push(i.index()),
            None => loose.push(i.index()),
        }
    }
    let mut entries = Vec::with_capacity(g.node_count() + 2 * clusters.len());
    for (number, ((label, _), members)) in clusters.iter().enumerate() {
        entries.push(Entry::Cluster(number, label));
        entries.extend(members.iter().map(|&i| Entry::Node(i)));
        entries.push(Entry::End);
    }
    entries.extend(loose.into_iter().map(Entry::Node));
    // The buffers of the threads, for the nodes and then the edges.
    let mut buffers = Vec::new();
    write_on_threads(
        out,
        entries.len(),
        threads(),
        &mut buffers,
        |looks: &mut Looks, range, buffer| {
            for entry in &entries[range] {
                match *entry {
                    Entry::Cluster(number, label) => {
                        buffer.extend_from_slice(
                            format!("  subgraph cluster_{number} {{\n    label=").as_bytes(),
                        );
                        quote_into_bytes(buffer, label);
                        buffer.extend_from_slice(
                            b"; style=\"rounded,filled\"; fillcolor=\"#fbfbfb\"; color=\"#aaaaaa\";\n",
                        );
                    }
                    Entry::Node(i) => {
                        let idx = petgraph::graph::NodeIndex::new(i);
                        let n = &g[idx];
                        let look = looks.of(&n.classes, p);
                        write_node(
                            buffer,
                            n,
                            ids.get(i),
                            look,
                            p.focus == Some(idx),
                            p.links.as_ref().map(|l| &*l.0),
                        );
                    }
                    Entry::End => buffer.extend_from_slice(b"  }\n"),
                }
            }
        },
    )?;

    // Edges, in the order of the graph.
    write_on_threads(
        out,
        g.edge_count(),
        threads(),
        &mut buffers,
        |_: &mut (), range, buffer| {
            for e in range.map(petgraph::graph::EdgeIndex::new) {
                if p.implied_by_cluster(e) {
                    continue;
                }
                let (source, target) = g.edge_endpoints(e).expect("an edge of the graph");
                write_edge(
                    buffer,
                    ids.get(source.index()),
                    ids.get(target.index()),
                    &g[e],
                );
            }
        },
    )?;
    if g.node_count() == 0 {
        writeln!(out, "  label=\"(nothing selected)\";")?;
    }
    writeln!(out, "}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wrapping as it was written first: lines built, then joined.
    fn wrap_by_lines(text: &str, width: usize) -> String {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines.join("\n")
    }

    const TEXTS: &[&str] = &[
        "",
        " ",
        "   ",
        "City 1",
        " leading and trailing ",
        "two  spaces",
        "Electronics and Telecommunications Research Institute",
        "funds · 826,2 milliards de wons · 2023-06 · and more words here",
        "a \"quoted\" back\\slash\nnew line\r\nand carriage return",
        "éééééééééééééééééééééééééééééé ééé",
        "exactlytwentyeightcharacters",
        "exactly twenty-eight chars..",
    ];

    #[test]
    fn wrap_is_the_wrapping_by_lines() {
        for text in TEXTS {
            for width in [1, 5, 28, 34, 40] {
                assert_eq!(
                    wrap(text, width),
                    wrap_by_lines(text, width),
                    "{text:?} {width}"
                );
            }
        }
    }

    #[test]
    fn escaping_bytes_is_quoting() {
        for text in TEXTS {
            let mut bytes = Vec::new();
            quote_into_bytes(&mut bytes, text);
            assert_eq!(String::from_utf8(bytes).unwrap(), quote(text));
        }
        assert_eq!(quote("a\"b\\c\nd\re"), r#""a\"b\\c\nde""#);
    }

    #[test]
    fn long_values_are_cut_after_119_characters() {
        assert_eq!(cut(&"é".repeat(120), 120), None);
        assert_eq!(cut(&"x".repeat(121), 120), Some(119));
        assert_eq!(cut(&"é".repeat(121), 120), Some(119 * 2));
    }

    #[test]
    fn blocks_written_on_threads_come_out_in_order() {
        // several blocks per thread, with buffers used again; then fewer
        // items than a block; on one thread and on several
        let mut buffers = Vec::new();
        for (count, threads) in [(10 * BLOCK + 7, 3), (3, 3), (3 * BLOCK, 1)] {
            let mut out = Vec::new();
            write_on_threads(
                &mut out,
                count,
                threads,
                &mut buffers,
                |calls: &mut usize, items, buffer| {
                    *calls += 1;
                    for i in items {
                        buffer.extend_from_slice(format!("{i}\n").as_bytes());
                    }
                },
            )
            .unwrap();
            let expected: String = (0..count).map(|i| format!("{i}\n")).collect();
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
        assert!(!buffers.is_empty());
    }
}
