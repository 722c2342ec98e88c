//! `aikg stats`: what the graph holds — entities by class, facts by property.

use crate::error::Result;
use crate::query::display_term;
use crate::store::ONTOLOGY_GRAPH;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term};
use oxigraph::store::Store;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// Counts of the graph's content (ontology excluded).
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    /// Typed entities (distinct IRIs typed in a named graph, ontology and
    /// bookkeeping classes such as owl:Axiom excluded).
    pub entities: u64,
    /// Quads stated in source passages (named graphs that are aikg:Passage).
    pub sourced_facts: u64,
    /// Distinct triples outside the ontology graph.
    pub triples: u64,
    pub passages: u64,
    pub entities_by_class: Vec<(String, u64)>,
    pub facts_by_property: Vec<(String, u64)>,
}

/// Counts by scanning the store once (outside the ontology graph).
pub fn stats(store: &Store) -> Result<Stats> {
    let ontology = NamedNode::new_unchecked(ONTOLOGY_GRAPH);
    let passage = NamedNode::new_unchecked(crate::namespaces::aikg("Passage"));
    let mut entities: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut by_class: BTreeMap<String, HashSet<NamedOrBlankNode>> = BTreeMap::new();
    let mut by_property: BTreeMap<String, HashSet<(NamedOrBlankNode, Term)>> = BTreeMap::new();
    let mut passages: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut quads_by_graph: HashMap<GraphName, u64> = HashMap::new();
    for quad in store.iter() {
        let quad = quad?;
        if crate::store::is_internal_graph(&quad.graph_name)
            || matches!(&quad.graph_name, GraphName::NamedNode(g) if *g == ontology)
        {
            continue;
        }
        *quads_by_graph.entry(quad.graph_name.clone()).or_default() += 1;
        if quad.predicate == rdf::TYPE {
            if quad.object == Term::from(passage.clone()) {
                passages.insert(quad.subject.clone());
            }
            if matches!(quad.subject, NamedOrBlankNode::NamedNode(_))
                && !quad.graph_name.is_default_graph()
            {
                // Link annotations (owl:Axiom) and dataset descriptions are
                // bookkeeping: listed by class, not counted as entities.
                if !is_bookkeeping_class(&quad.object) {
                    entities.insert(quad.subject.clone());
                }
                by_class
                    .entry(display_term(&quad.object))
                    .or_default()
                    .insert(quad.subject.clone());
            }
        }
        by_property
            .entry(display_term(&quad.predicate.clone().into()))
            .or_default()
            .insert((quad.subject, quad.object));
    }
    let sourced_facts = quads_by_graph
        .iter()
        .filter(|(g, _)| match g {
            GraphName::NamedNode(n) => passages.contains(&NamedOrBlankNode::from(n.clone())),
            GraphName::BlankNode(b) => passages.contains(&NamedOrBlankNode::from(b.clone())),
            GraphName::DefaultGraph => false,
        })
        .map(|(_, n)| n)
        .sum();
    let sorted = |map: BTreeMap<String, usize>| {
        let mut list: Vec<(String, u64)> = map.into_iter().map(|(k, n)| (k, n as u64)).collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list
    };
    let facts_by_property = sorted(
        by_property
            .iter()
            .map(|(k, v)| (k.clone(), v.len()))
            .collect(),
    );
    Ok(Stats {
        entities: entities.len() as u64,
        sourced_facts,
        triples: facts_by_property.iter().map(|(_, n)| n).sum(),
        passages: passages.len() as u64,
        entities_by_class: sorted(by_class.iter().map(|(k, v)| (k.clone(), v.len())).collect()),
        facts_by_property,
    })
}

fn is_bookkeeping_class(class: &Term) -> bool {
    const NAMESPACES: &[&str] = &[
        crate::namespaces::OWL,
        crate::namespaces::RDF,
        crate::namespaces::RDFS,
        crate::namespaces::SH,
        "http://rdfs.org/ns/void#",
        "http://www.w3.org/ns/dcat#",
        "http://www.w3.org/ns/prov#",
    ];
    matches!(class, Term::NamedNode(c) if NAMESPACES.iter().any(|ns| c.as_str().starts_with(ns)))
}

pub fn to_text(stats: &Stats) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} entities, {} facts from {} source passages ({} triples in all, ontology excluded)\n",
        stats.entities, stats.sourced_facts, stats.passages, stats.triples
    );
    let width = |list: &[(String, u64)]| {
        list.iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0)
    };
    let _ = writeln!(out, "Entities by class:");
    let w = width(&stats.entities_by_class);
    for (class, n) in &stats.entities_by_class {
        let _ = writeln!(out, "  {class:<w$}  {n:>6}");
    }
    let _ = writeln!(out, "\nFacts by property:");
    let w = width(&stats.facts_by_property);
    for (property, n) in &stats.facts_by_property {
        let _ = writeln!(out, "  {property:<w$}  {n:>6}");
    }
    out
}
