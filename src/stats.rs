//! `aikg stats`: what the graph holds — entities by class, facts by property.

use crate::error::Result;
use crate::kg::{Kg, Scope};
use crate::query::display_term;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
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

/// What one pass over the data gathers.
#[derive(Default)]
struct Counts {
    entities: HashSet<NamedOrBlankNode>,
    by_class: BTreeMap<String, HashSet<NamedOrBlankNode>>,
    by_property: BTreeMap<String, HashSet<(NamedOrBlankNode, Term)>>,
    passages: HashSet<NamedOrBlankNode>,
    quads_by_graph: HashMap<GraphName, u64>,
    /// For data without passages: every subject, and the classes of the
    /// typed ones in any graph.
    subjects: HashSet<NamedOrBlankNode>,
    subjects_by_class: BTreeMap<String, HashSet<NamedOrBlankNode>>,
}

impl Counts {
    fn add(&mut self, quad: Quad, passage: &Term) {
        *self
            .quads_by_graph
            .entry(quad.graph_name.clone())
            .or_default() += 1;
        self.subjects.insert(quad.subject.clone());
        if quad.predicate == rdf::TYPE {
            self.subjects_by_class
                .entry(display_term(&quad.object))
                .or_default()
                .insert(quad.subject.clone());
            if quad.object == *passage {
                self.passages.insert(quad.subject.clone());
            }
            if matches!(quad.subject, NamedOrBlankNode::NamedNode(_))
                && !quad.graph_name.is_default_graph()
            {
                // Link annotations (owl:Axiom) and dataset descriptions are
                // bookkeeping: listed by class, not counted as entities.
                if !is_bookkeeping_class(&quad.object) {
                    self.entities.insert(quad.subject.clone());
                }
                self.by_class
                    .entry(display_term(&quad.object))
                    .or_default()
                    .insert(quad.subject.clone());
            }
        }
        self.by_property
            .entry(display_term(&quad.predicate.clone().into()))
            .or_default()
            .insert((quad.subject, quad.object));
    }

    fn merge(&mut self, other: Self) {
        self.entities.extend(other.entities);
        for (k, v) in other.by_class {
            self.by_class.entry(k).or_default().extend(v);
        }
        for (k, v) in other.by_property {
            self.by_property.entry(k).or_default().extend(v);
        }
        self.passages.extend(other.passages);
        for (g, n) in other.quads_by_graph {
            *self.quads_by_graph.entry(g).or_default() += n;
        }
        self.subjects.extend(other.subjects);
        for (k, v) in other.subjects_by_class {
            self.subjects_by_class.entry(k).or_default().extend(v);
        }
    }
}

/// Counts by reading the data once (the ontology graph left out).
pub fn stats(store: &dyn Kg) -> Result<Stats> {
    let passage = Term::from(NamedNode::new_unchecked(crate::namespaces::aikg("Passage")));
    let total = std::sync::Mutex::new(Counts::default());
    store.scan(Scope::Data, &|quads| {
        let mut counts = Counts::default();
        for quad in quads {
            counts.add(quad?, &passage);
        }
        total
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .merge(counts);
        Ok(())
    })?;
    let Counts {
        entities,
        by_class,
        by_property,
        passages,
        quads_by_graph,
        subjects,
        subjects_by_class,
    } = total.into_inner().unwrap_or_else(|e| e.into_inner());
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
