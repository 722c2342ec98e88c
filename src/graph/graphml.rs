//! GraphML (<http://graphml.graphdrawing.org/>), for Gephi and yEd: keys
//! for the node label, IRI and classes, the edge label and relation, and one
//! key per attribute property in use.

use super::projection::Projection;
use super::style::node_style;
use petgraph::visit::EdgeRef;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // characters XML 1.0 forbids
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Writes the projection as a GraphML document.
pub fn write_graphml(p: &Projection, out: &mut dyn Write) -> io::Result<()> {
    let g = &p.graph;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    let node_keys = [
        ("label", "label"),
        ("iri", "iri"),
        ("class", "class"),
        ("classes", "classes"),
        ("color", "color"),
        ("notes", "notes"),
        ("cluster", "cluster"),
    ];
    for (id, name) in node_keys {
        writeln!(
            out,
            r#"  <key id="{id}" for="node" attr.name="{name}" attr.type="string"/>"#
        )?;
    }
    // One key per attribute property, numbered in sorted order.
    let mut attribute_keys: BTreeMap<&str, String> = BTreeMap::new();
    for n in g.node_weights() {
        for (k, _) in &n.attributes {
            attribute_keys.entry(k.as_str()).or_default();
        }
    }
    for (i, (name, id)) in attribute_keys.iter_mut().enumerate() {
        *id = format!("a{i}");
        writeln!(
            out,
            r#"  <key id="{id}" for="node" attr.name="{}" attr.type="string"/>"#,
            xml_escape(name)
        )?;
    }
    for (id, name) in [
        ("e_label", "label"),
        ("relation", "relation"),
        ("relation_iri", "relation_iri"),
        ("e_details", "details"),
    ] {
        writeln!(
            out,
            r#"  <key id="{id}" for="edge" attr.name="{name}" attr.type="string"/>"#
        )?;
    }
    writeln!(out, r#"  <graph id="aikg" edgedefault="directed">"#)?;
    let data = |out: &mut dyn Write, key: &str, value: &str| -> io::Result<()> {
        if value.is_empty() {
            return Ok(());
        }
        writeln!(
            out,
            r#"      <data key="{key}">{}</data>"#,
            xml_escape(value)
        )
    };
    for n in g.node_weights() {
        writeln!(out, r#"    <node id="{}">"#, xml_escape(&n.id))?;
        data(out, "label", &n.label)?;
        data(out, "iri", &n.key)?;
        let main = super::style::styled_class(&n.classes, &p.vocab)
            .or_else(|| n.classes.first().cloned())
            .map(|c| p.vocab.label(&c, &p.lang))
            .unwrap_or_default();
        data(out, "class", &main)?;
        let classes: Vec<String> = n
            .classes
            .iter()
            .map(|c| super::projection::node_id(c))
            .collect();
        data(out, "classes", &classes.join(" "))?;
        data(out, "color", node_style(&n.classes, &p.vocab).fill)?;
        data(out, "notes", &n.notes.join("; "))?;
        data(
            out,
            "cluster",
            n.cluster.as_ref().map(|(_, l)| l.as_str()).unwrap_or(""),
        )?;
        let mut grouped: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (k, v) in &n.attributes {
            grouped.entry(k).or_default().push(v);
        }
        for (k, values) in grouped {
            data(out, &attribute_keys[k], &values.join("; "))?;
        }
        writeln!(out, "    </node>")?;
    }
    for (i, e) in g.edge_references().enumerate() {
        let w = e.weight();
        let directed = if w.undirected {
            r#" directed="false""#
        } else {
            ""
        };
        writeln!(
            out,
            r#"    <edge id="e{i}" source="{}" target="{}"{directed}>"#,
            xml_escape(&g[e.source()].id),
            xml_escape(&g[e.target()].id)
        )?;
        data(out, "e_label", &w.label)?;
        data(out, "relation", &w.relation_label)?;
        data(out, "relation_iri", &w.relation)?;
        let details: Vec<String> = w
            .attributes
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        data(out, "e_details", &details.join("; "))?;
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")
}
