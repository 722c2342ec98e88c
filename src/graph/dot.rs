//! GraphViz DOT: nodes shaped and coloured by class with a legend, edges
//! labelled by relation in the chosen language, clusters, and nothing that
//! depends on hash order (nodes by id, edges by source, target, relation).

use super::projection::in_parallel;
use super::projection::{Node, Projection};
use super::style::{edge_style, node_style, styled_class, NodeStyle, NODE_STYLES};
use crate::namespaces::AIKG;
use petgraph::visit::EdgeRef;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::io::{self, Write};

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
    let mut rest = text;
    // runs of plain characters are copied at once
    while let Some(at) = rest.find(['"', '\\', '\n', '\r']) {
        out.push_str(&rest[..at]);
        match rest.as_bytes()[at] {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            _ => {}
        }
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

/// Breaks a label into lines of about `width` characters, at plain spaces
/// (not at the no-break spaces inside numbers).
pub fn wrap(text: &str, width: usize) -> String {
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

/// Notes drawn in a node (the others are in its tooltip).
const NOTES_SHOWN: usize = 2;

/// The text drawn in a node: its label, then its first notes.
pub fn node_text(node: &Node) -> String {
    let mut text = wrap(&node.label, 28);
    // "Long name (ACRONYM)": people know many bodies by their acronym.
    if let Some((_, acronym)) = node.attributes.iter().find(|(k, _)| k == "acronym") {
        if !node.label.contains(acronym.as_str()) {
            text.push_str(&format!("\n({acronym})"));
        }
    }
    for note in node.notes.iter().take(NOTES_SHOWN) {
        text.push('\n');
        text.push_str(&wrap(note, 34));
    }
    if node.notes.len() > NOTES_SHOWN {
        text.push_str(&format!("\n(+{} more)", node.notes.len() - NOTES_SHOWN));
    }
    text
}

fn tooltip(node: &Node, class_label: &mut dyn FnMut(&str) -> String) -> String {
    let mut lines = vec![node.id.clone()];
    let classes: Vec<String> = node.classes.iter().map(|c| class_label(c)).collect();
    if !classes.is_empty() {
        lines.push(classes.join(", "));
    }
    lines.extend(node.notes.iter().cloned());
    for (k, v) in node
        .attributes
        .iter()
        .filter(|(k, _)| k != "funding" && k != "quantity")
    {
        let v: String = if v.chars().count() > 120 {
            format!("{}…", v.chars().take(119).collect::<String>())
        } else {
            v.clone()
        };
        lines.push(format!("{k}: {v}"));
    }
    lines.join("\n")
}

/// Writes the projection as a DOT digraph.
pub fn write_dot(p: &Projection, out: &mut dyn Write) -> io::Result<()> {
    let g = &p.graph;
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
    // Legend: one sample node per styled class drawn, most specific first.
    let mut used: BTreeMap<usize, String> = BTreeMap::new();
    let mut seen_classes: FxHashSet<&[String]> = FxHashSet::default();
    for n in g.node_indices().filter(|&i| !anchor_only(i)).map(|i| &g[i]) {
        if !seen_classes.insert(n.classes.as_slice()) {
            continue;
        }
        if let Some(class) = styled_class(&n.classes, &p.vocab) {
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

    // Nodes, inside their clusters.
    let mut clusters: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    let mut loose = Vec::new();
    for i in g.node_indices() {
        if anchor_only(i) && g.node_count() > 1 {
            continue;
        }
        match &g[i].cluster {
            Some((key, label)) => clusters
                .entry((label.clone(), key.clone()))
                .or_default()
                .push(i.index()),
            None => loose.push(i.index()),
        }
    }
    // The lines of the nodes and edges, written on every core (each thread
    // with its own styles and class labels, computed once per class).
    let indices: Vec<usize> = (0..g.node_count()).collect();
    let node_lines = in_parallel(&indices, |part| {
        let mut styles: FxHashMap<&[String], NodeStyle> = FxHashMap::default();
        let mut class_labels: FxHashMap<&str, String> = FxHashMap::default();
        part.iter()
            .map(|&i| {
                let idx = petgraph::graph::NodeIndex::new(i);
                let n = &g[idx];
                let style = *styles
                    .entry(n.classes.as_slice())
                    .or_insert_with(|| node_style(&n.classes, &p.vocab));
                let mut class_label = |c: &str| {
                    match class_labels.get(c) {
                        Some(l) => l.clone(),
                        None => {
                            let l = p.vocab.label(c, &p.lang);
                            // the node's classes outlive this closure
                            let key = n.classes.iter().find(|k| *k == c);
                            if let Some(key) = key {
                                class_labels.insert(key.as_str(), l.clone());
                            }
                            l
                        }
                    }
                };
                let focus = if p.focus == Some(idx) {
                    ", penwidth=2.5"
                } else {
                    ""
                };
                let indent = if n.cluster.is_some() { "    " } else { "  " };
                format!(
                    "{indent}{} [label={}, shape={}, style={}, fillcolor={}, tooltip={}{focus}];\n",
                    quote(&n.id),
                    quote(&node_text(n)),
                    style.shape,
                    quote(style.style),
                    quote(style.fill),
                    quote(&tooltip(n, &mut class_label)),
                )
            })
            .collect()
    });
    for (number, ((label, _), members)) in clusters.iter().enumerate() {
        writeln!(out, "  subgraph cluster_{number} {{")?;
        writeln!(
            out,
            "    label={}; style=\"rounded,filled\"; fillcolor=\"#fbfbfb\"; color=\"#aaaaaa\";",
            quote(label)
        )?;
        for &i in members {
            out.write_all(node_lines[i].as_bytes())?;
        }
        writeln!(out, "  }}")?;
    }
    for i in loose {
        out.write_all(node_lines[i].as_bytes())?;
    }

    // Edges.
    let edges: Vec<petgraph::graph::EdgeIndex> = g.edge_indices().collect();
    let edge_lines = in_parallel(&edges, |part| {
        part.iter()
            .filter(|&&e| !p.implied_by_cluster(e))
            .map(|&e| {
                let edge = &g[e];
                let (source, target) = g.edge_endpoints(e).expect("an edge of the graph");
                let style = edge_style(&edge.relation);
                let mut line = String::with_capacity(160);
                line.push_str("  ");
                quote_into(&mut line, &g[source].id);
                line.push_str(" -> ");
                quote_into(&mut line, &g[target].id);
                line.push_str(" [label=");
                if edge.label.chars().count() <= 40 && !edge.label.contains("  ") {
                    // wrap would give it back as it is
                    quote_into(&mut line, edge.label.trim_matches(' '));
                } else {
                    quote_into(&mut line, &wrap(&edge.label, 40));
                }
                line.push_str(", color=");
                quote_into(&mut line, style.color);
                if style.penwidth != "1" {
                    line.push_str(", penwidth=");
                    line.push_str(style.penwidth);
                }
                if style.style != "solid" {
                    line.push_str(", style=");
                    line.push_str(style.style);
                }
                if edge.undirected {
                    line.push_str(", dir=none");
                }
                line.push_str("];\n");
                line
            })
            .collect()
    });
    for line in edge_lines {
        out.write_all(line.as_bytes())?;
    }
    if g.node_count() == 0 {
        writeln!(out, "  label=\"(nothing selected)\";")?;
    }
    writeln!(out, "}}")
}
