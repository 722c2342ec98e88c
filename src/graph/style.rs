//! How things look: node shape and colour by class, edge colour by
//! relation. A node takes the style of its most specific styled class,
//! through the ontology's `rdfs:subClassOf` (a user's class declared as a
//! subclass of `aikg:University` looks like a university).

use super::vocab::Vocab;
use crate::namespaces::AIKG;

/// A node style: GraphViz shape and fill colour, plus the Cytoscape.js shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeStyle {
    pub shape: &'static str,
    /// GraphViz `style` (always filled).
    pub style: &'static str,
    pub fill: &'static str,
    pub cytoscape_shape: &'static str,
}

const fn node(
    shape: &'static str,
    style: &'static str,
    fill: &'static str,
    cytoscape_shape: &'static str,
) -> NodeStyle {
    NodeStyle {
        shape,
        style,
        fill,
        cytoscape_shape,
    }
}

/// aikg classes, most specific first: the first that applies wins.
pub const NODE_STYLES: &[(&str, NodeStyle)] = &[
    ("Ministry", node("box", "filled", "#f4a582", "rectangle")),
    ("Agency", node("box", "filled", "#fddbc7", "rectangle")),
    (
        "Committee",
        node("box", "filled,dashed", "#fde0ef", "rectangle"),
    ),
    (
        "GovernmentBody",
        node("box", "filled", "#fcbba1", "rectangle"),
    ),
    (
        "University",
        node("box", "rounded,filled", "#9ecae1", "round-rectangle"),
    ),
    (
        "ResearchInstitute",
        node("box", "rounded,filled", "#c6dbef", "round-rectangle"),
    ),
    (
        "ResearchUnit",
        node("box", "rounded,filled", "#deebf7", "round-rectangle"),
    ),
    (
        "Company",
        node("box", "rounded,filled", "#c7e9c0", "round-rectangle"),
    ),
    (
        "InternationalOrganization",
        node("box", "rounded,filled", "#dadaeb", "round-rectangle"),
    ),
    (
        "Organization",
        node("box", "filled", "#e7e7e7", "rectangle"),
    ),
    ("Person", node("ellipse", "filled", "#ffffcc", "ellipse")),
    ("Country", node("octagon", "filled", "#a1d99b", "octagon")),
    ("Region", node("house", "filled", "#e5f5e0", "pentagon")),
    ("City", node("house", "filled", "#e5f5e0", "pentagon")),
    ("District", node("house", "filled", "#f7fcf5", "pentagon")),
    ("Place", node("house", "filled", "#f7fcf5", "pentagon")),
    ("Fund", node("cylinder", "filled", "#fdae6b", "barrel")),
    ("Strategy", node("note", "filled", "#fff7bc", "rectangle")),
    ("Program", node("hexagon", "filled", "#fee391", "hexagon")),
    ("CallForProposals", node("tab", "filled", "#fee6ce", "tag")),
    (
        "Project",
        node("component", "filled", "#fec44f", "round-tag"),
    ),
    (
        "Initiative",
        node("hexagon", "filled", "#fff7bc", "hexagon"),
    ),
    ("Product", node("tab", "filled", "#ccebc5", "tag")),
    ("Law", node("note", "filled", "#d9d9d9", "rectangle")),
    (
        "Agreement",
        node("folder", "filled", "#e0e0e0", "rectangle"),
    ),
    ("LegalText", node("note", "filled", "#f0f0f0", "rectangle")),
    ("Summit", node("cds", "filled", "#fbb4ae", "vee")),
    ("Forum", node("cds", "filled", "#fbb4ae", "vee")),
    ("Workshop", node("cds", "filled", "#fccde5", "vee")),
    ("Meeting", node("cds", "filled", "#fccde5", "vee")),
    ("Event", node("cds", "filled", "#fde0dd", "vee")),
    (
        "Topic",
        node("ellipse", "filled,dashed", "#f7f7f7", "ellipse"),
    ),
    ("Funding", node("diamond", "filled", "#fdd0a2", "diamond")),
    ("Quantity", node("circle", "filled", "#f0f0f0", "ellipse")),
];

/// Things of no known class.
pub const DEFAULT_NODE: NodeStyle = node("ellipse", "filled", "#ffffff", "ellipse");

/// The class whose style a node takes (an aikg class IRI), if any.
pub fn styled_class(classes: &[String], vocab: &Vocab) -> Option<String> {
    let mut best: Option<usize> = None;
    for class in classes {
        for ancestor in vocab.ancestors(class) {
            if let Some(local) = ancestor.strip_prefix(AIKG) {
                if let Some(i) = NODE_STYLES.iter().position(|(c, _)| *c == local) {
                    best = Some(best.map_or(i, |b| b.min(i)));
                }
            }
        }
    }
    best.map(|i| format!("{AIKG}{}", NODE_STYLES[i].0))
}

/// The style of a node of these classes.
pub fn node_style(classes: &[String], vocab: &Vocab) -> NodeStyle {
    styled_class(classes, vocab)
        .and_then(|c| {
            let local = c.strip_prefix(AIKG)?.to_string();
            NODE_STYLES
                .iter()
                .find(|(l, _)| *l == local)
                .map(|(_, s)| *s)
        })
        .unwrap_or(DEFAULT_NODE)
}

/// An edge style: colour, pen width, line style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EdgeStyle {
    pub color: &'static str,
    pub penwidth: &'static str,
    pub style: &'static str,
}

const fn edge(color: &'static str, penwidth: &'static str, style: &'static str) -> EdgeStyle {
    EdgeStyle {
        color,
        penwidth,
        style,
    }
}

/// aikg relations with a style of their own.
pub const EDGE_STYLES: &[(&str, EdgeStyle)] = &[
    ("funds", edge("#d95f02", "2", "solid")),
    ("funder", edge("#d95f02", "1", "solid")),
    ("recipient", edge("#d95f02", "1", "solid")),
    ("partnersWith", edge("#1b9e77", "2", "solid")),
    ("signedBy", edge("#1b9e77", "1", "solid")),
    ("participatesIn", edge("#7570b3", "1", "solid")),
    ("subOrganizationOf", edge("#377eb8", "1", "dashed")),
    ("partOf", edge("#377eb8", "1", "dashed")),
    ("supervisedBy", edge("#e7298a", "1", "solid")),
    ("launchedBy", edge("#a6761d", "1", "solid")),
    ("locatedIn", edge("#999999", "1", "dotted")),
    ("country", edge("#999999", "1", "dotted")),
    ("focusArea", edge("#bbbbbb", "1", "dotted")),
];

pub const DEFAULT_EDGE: EdgeStyle = edge("#555555", "1", "solid");

/// The style of an edge of this relation.
pub fn edge_style(relation: &str) -> EdgeStyle {
    relation
        .strip_prefix(AIKG)
        .and_then(|local| EDGE_STYLES.iter().find(|(r, _)| *r == local))
        .map(|(_, s)| *s)
        .unwrap_or(DEFAULT_EDGE)
}
