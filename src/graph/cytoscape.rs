//! JSON in the shape of Cytoscape.js elements:
//! `{"elements": {"nodes": [{"data": {"id", "label", ...}}], "edges": [{"data": {"id", "source", "target", "label", ...}}]}}`.
//! Clusters become compound (parent) nodes.

use super::projection::{node_id, Projection};
use super::style::{edge_style, node_style, styled_class};
use petgraph::visit::EdgeRef;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The projection as Cytoscape.js elements.
pub fn to_cytoscape(p: &Projection) -> Value {
    let g = &p.graph;
    let mut nodes = Vec::new();
    let mut parents: BTreeMap<String, String> = BTreeMap::new();
    for n in g.node_weights() {
        if let Some((key, label)) = &n.cluster {
            parents.insert(format!("cluster:{key}"), label.clone());
        }
    }
    for (id, label) in &parents {
        nodes.push(json!({ "data": { "id": id, "label": label, "cluster": true } }));
    }
    for n in g.node_weights() {
        let style = node_style(&n.classes, &p.vocab);
        let mut attributes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (k, v) in &n.attributes {
            attributes.entry(k).or_default().push(v);
        }
        let mut data = Map::new();
        data.insert("id".into(), json!(n.id));
        data.insert("label".into(), json!(n.label));
        data.insert("iri".into(), json!(n.key));
        let class = styled_class(&n.classes, &p.vocab).or_else(|| n.classes.first().cloned());
        data.insert("class".into(), json!(class.as_deref().map(node_id)));
        data.insert(
            "class_label".into(),
            json!(class.map(|c| p.vocab.label(&c, &p.lang))),
        );
        data.insert(
            "classes".into(),
            json!(n.classes.iter().map(|c| node_id(c)).collect::<Vec<_>>()),
        );
        data.insert("color".into(), json!(style.fill));
        data.insert("shape".into(), json!(style.cytoscape_shape));
        data.insert("kind".into(), json!(n.kind));
        if !n.notes.is_empty() {
            data.insert("notes".into(), json!(n.notes));
        }
        if !attributes.is_empty() {
            data.insert("attributes".into(), json!(attributes));
        }
        if let Some((key, _)) = &n.cluster {
            data.insert("parent".into(), json!(format!("cluster:{key}")));
        }
        if p.focus.is_some_and(|f| g[f].key == n.key) {
            data.insert("focus".into(), json!(true));
        }
        nodes.push(json!({ "data": data }));
    }
    let edges: Vec<Value> = g
        .edge_references()
        .enumerate()
        .map(|(i, e)| {
            let w = e.weight();
            let mut data = Map::new();
            data.insert("id".into(), json!(format!("e{i}")));
            data.insert("source".into(), json!(g[e.source()].id));
            data.insert("target".into(), json!(g[e.target()].id));
            data.insert("label".into(), json!(&*w.label));
            data.insert("relation".into(), json!(node_id(&w.relation)));
            data.insert("relation_label".into(), json!(&*w.relation_label));
            data.insert("directed".into(), json!(!w.undirected));
            data.insert("color".into(), json!(edge_style(&w.relation).color));
            if !w.attributes.is_empty() {
                let attrs: BTreeMap<&str, &str> = w
                    .attributes
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                data.insert("attributes".into(), json!(attrs));
            }
            json!({ "data": data })
        })
        .collect();
    json!({ "elements": { "nodes": nodes, "edges": edges } })
}
