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
    /// Without source passages (someone else's data, not aikg's), the
    /// counts are of subjects, typed or not, in any graph; this many have
    /// no rdf:type (also listed under "(no rdf:type)").
    pub untyped: Option<u64>,
}

/// The class under which subjects without rdf:type are counted.
pub const NO_TYPE: &str = "(no rdf:type)";

/// Counts by scanning the store once (outside the ontology graph).
pub fn stats(store: &Store) -> Result<Stats> {
    let ontology = NamedNode::new_unchecked(ONTOLOGY_GRAPH);
    let passage = NamedNode::new_unchecked(crate::namespaces::aikg("Passage"));
    let mut entities: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut by_class: BTreeMap<String, HashSet<NamedOrBlankNode>> = BTreeMap::new();
    let mut by_property: BTreeMap<String, HashSet<(NamedOrBlankNode, Term)>> = BTreeMap::new();
    let mut passages: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut quads_by_graph: HashMap<GraphName, u64> = HashMap::new();
    // For data without passages: every subject, and the classes of the
    // typed ones in any graph.
    let mut subjects: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut subjects_by_class: BTreeMap<String, HashSet<NamedOrBlankNode>> = BTreeMap::new();
    for quad in store.iter() {
        let quad = quad?;
        if crate::store::is_internal_graph(&quad.graph_name)
            || matches!(&quad.graph_name, GraphName::NamedNode(g) if *g == ontology)
        {
            continue;
        }
        *quads_by_graph.entry(quad.graph_name.clone()).or_default() += 1;
        subjects.insert(quad.subject.clone());
        if quad.predicate == rdf::TYPE {
            subjects_by_class
                .entry(display_term(&quad.object))
                .or_default()
                .insert(quad.subject.clone());
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
    let triples = facts_by_property.iter().map(|(_, n)| n).sum();
    if passages.is_empty() {
        // Not aikg's data: no passage to source facts, maybe no types.
        let typed: HashSet<&NamedOrBlankNode> = subjects_by_class.values().flatten().collect();
        let untyped = subjects.iter().filter(|s| !typed.contains(s)).count();
        let mut by_class: BTreeMap<String, usize> = subjects_by_class
            .iter()
            .map(|(k, v)| (k.clone(), v.len()))
            .collect();
        if untyped > 0 {
            by_class.insert(NO_TYPE.to_string(), untyped);
        }
        return Ok(Stats {
            entities: subjects.len() as u64,
            sourced_facts: 0,
            triples,
            passages: 0,
            entities_by_class: sorted(by_class),
            facts_by_property,
            untyped: Some(untyped as u64),
        });
    }
    Ok(Stats {
        entities: entities.len() as u64,
        sourced_facts,
        triples,
        passages: passages.len() as u64,
        entities_by_class: sorted(by_class.iter().map(|(k, v)| (k.clone(), v.len())).collect()),
        facts_by_property,
        untyped: None,
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
    let kind = match stats.untyped {
        None => {
            let _ = writeln!(
                out,
                "{} entities, {} facts from {} source passages ({} triples in all, ontology excluded)\n",
                stats.entities, stats.sourced_facts, stats.passages, stats.triples
            );
            "Entities"
        }
        Some(untyped) => {
            let _ = writeln!(
                out,
                "{} subjects ({untyped} without rdf:type), {} triples, no source passages (ontology excluded)\n",
                stats.entities, stats.triples
            );
            "Subjects"
        }
    };
    let width = |list: &[(String, u64)]| {
        list.iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0)
    };
    let _ = writeln!(out, "{kind} by class:");
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
