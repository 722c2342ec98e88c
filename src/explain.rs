//! `aikg explain`: every fact about an entity, grouped by the source passage
//! that states it, with the passage's quote and document.

use crate::error::Result;
use crate::kg::{select, Kg, Pattern};
use crate::query::display_term;
use crate::resolve::{describe_all, Entity};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};
use oxigraph::sparql::QuerySolution;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One fact: subject, predicate, object, as people read them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Fact {
    pub subject: String,
    pub predicate: String,
    pub object: String,
}

/// The facts one passage (or graph) states about the entity.
#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    /// The named graph holding the facts (a passage), or "" for the default graph.
    pub graph: String,
    pub quote: Option<String>,
    pub document: Option<String>,
    pub section: Option<String>,
    pub note: Option<String>,
    /// When the graph is an editor's reading (`aikg:Reading`): why, and the
    /// passages it is read from. Its facts are not the text's words.
    pub reading: Option<Reading>,
    pub facts: Vec<Fact>,
}

/// An editor's reading: facts read into passages that do not say them in words.
#[derive(Clone, Debug, Serialize)]
pub struct Reading {
    pub because: String,
    pub read_from: Vec<String>,
}

/// Everything the graph says about an entity.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    pub iri: String,
    pub label: String,
    pub classes: Vec<String>,
    pub evidence: Vec<Evidence>,
    /// The rules of the inferred facts shown (`None`: reasoning off).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<String>,
    /// What the ontology implies about the entity, each fact with its proof
    /// down to the stated facts and their passages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<crate::reason::explain::InferredFact>,
}

/// The query of the facts about an entity (?s ?p ?o), each with the named
/// graph (?g, a passage or a reading) that states it, or, if no named graph
/// holds it, from the default graph (?g unbound): the facts whose subject
/// or object it is, and those of the n-ary nodes (fundings, quantities)
/// that point at it; the ontology's graph left out. (One query, for a local
/// store; [`explain`] asks the same in steps, see [`fact_rows`].)
pub fn facts_query(iri: &NamedNode) -> String {
    facts_select(&format!(
        "{{ {} }} UNION {{ {} }} UNION {{ {} }}",
        own_facts(iri),
        incoming_facts(iri),
        nary_facts(iri)
    ))
}

/// `pattern` as stated: in a named graph (?g), or in the default graph
/// only if in no named graph.
fn stated(pattern: &str) -> String {
    format!(
        "{{ GRAPH ?g {{ {pattern} }} }} UNION {{ {pattern} FILTER NOT EXISTS {{ GRAPH ?other {{ {pattern} }} }} }}"
    )
}

/// The facts whose subject is the entity.
fn own_facts(iri: &NamedNode) -> String {
    format!("{} BIND({iri} AS ?s)", stated(&format!("{iri} ?p ?o")))
}

/// The facts whose object is the entity.
fn incoming_facts(iri: &NamedNode) -> String {
    format!("{} BIND({iri} AS ?o)", stated(&format!("?s ?p {iri}")))
}

/// The facts of the n-ary nodes (fundings, quantities) that point at the
/// entity (but the link to it, an incoming fact).
fn nary_facts(iri: &NamedNode) -> String {
    format!(
        "?s ?p0 {iri} . ?s a ?nary . FILTER(?nary IN (aikg:Funding, aikg:Quantity)) {} FILTER(?o != {iri})",
        stated("?s ?p ?o")
    )
}

/// `SELECT DISTINCT ?g ?s ?p ?o` of `pattern`, the ontology's graph left out.
fn facts_select(pattern: &str) -> String {
    format!(
        "SELECT DISTINCT ?g ?s ?p ?o WHERE {{ {pattern} FILTER(!BOUND(?g) || !isIRI(?g) || ?g != <{}>) }}",
        crate::store::ONTOLOGY_GRAPH
    )
}

/// `VALUES ?var { ... }` of IRIs.
fn values<'a>(var: &str, terms: impl Iterator<Item = &'a NamedNode>) -> String {
    let mut out = format!("VALUES ?{var} {{");
    for t in terms {
        let _ = write!(out, " {t}");
    }
    out.push_str(" }");
    out
}

/// The rows of [`facts_query`], asked in steps whose every pattern is bound
/// by a term or a short `VALUES` list: the statements pointing at the entity
/// first (their predicates and subjects), then the entity's own and incoming
/// facts with those predicates, then the facts of those subjects that are
/// n-ary nodes. A remote store answers each from its indexes, where the one
/// query was evaluated from an unbound `GRAPH ?g { ?s ?p ?o }` (Virtuoso:
/// 1.1 s on a 1M-triple store, against tens of milliseconds in steps; see
/// docs/SCALING.md). The rows are the same: the lists only name what the
/// patterns would have matched anyway.
fn fact_rows(store: &dyn Kg, iri: &NamedNode) -> Result<Vec<QuerySolution>> {
    // Subjects per n-ary query (a hub's incoming links come in thousands).
    const CHUNK: usize = 500;
    let object = [Term::from(iri.clone())];
    let incoming = store.statements(Pattern {
        subjects: None,
        predicates: None,
        objects: Some(&object),
    })?;
    let mut predicates: Vec<&NamedNode> = incoming.iter().map(|t| &t.predicate).collect();
    predicates.sort();
    predicates.dedup();
    // The subjects that may be n-ary nodes: IRIs, listed; a blank node
    // cannot be named in a query.
    let mut subjects: Vec<&NamedNode> = Vec::new();
    let mut blank = false;
    for t in &incoming {
        match &t.subject {
            NamedOrBlankNode::NamedNode(n) => subjects.push(n),
            NamedOrBlankNode::BlankNode(_) => blank = true,
        }
    }
    subjects.sort();
    subjects.dedup();
    let mut own = format!("{{ {} }}", own_facts(iri));
    if !predicates.is_empty() {
        let _ = write!(
            own,
            " UNION {{ {} {} }}",
            values("p", predicates.into_iter()),
            incoming_facts(iri)
        );
    }
    let mut rows = select(store, &facts_select(&own))?;
    if blank {
        // Blank n-ary nodes are found by the pattern itself.
        rows.extend(select(store, &facts_select(&nary_facts(iri)))?);
    } else {
        for chunk in subjects.chunks(CHUNK) {
            let pattern = format!("{} {}", values("s", chunk.iter().copied()), nary_facts(iri));
            rows.extend(select(store, &facts_select(&pattern))?);
        }
    }
    Ok(rows)
}

/// Gathers the facts whose subject or object is the entity, and the facts of
/// the n-ary nodes (fundings, quantities) that point at it; with a local
/// store's inferred facts about it, if it has some (a remote store is read
/// as it is).
pub fn explain(store: &dyn Kg, entity: &Entity) -> Result<Explanation> {
    let view = match store.as_store() {
        Some(local) => crate::reason::open_view(local, crate::reason::Reasoning::Default)?,
        None => crate::reason::View::STATED,
    };
    explain_in(store, entity, view)
}

/// [`explain`], showing the inferred facts `view` sees (of a local store).
pub fn explain_in(
    store: &dyn Kg,
    entity: &Entity,
    view: crate::reason::View,
) -> Result<Explanation> {
    let iri = &entity.iri;
    let rows = fact_rows(store, iri)?;
    // The labels of the entities the facts name, and the passages' quotes,
    // each in one query (one per fact was a round trip each on a remote store).
    let mut named: Vec<NamedNode> = rows
        .iter()
        .flat_map(|row| [row.get("s"), row.get("o")])
        .filter_map(|t| match t {
            Some(Term::NamedNode(n)) if n.as_str().starts_with(crate::namespaces::ID) => {
                Some(n.clone())
            }
            _ => None,
        })
        .collect();
    named.sort();
    named.dedup();
    let labels = describe_all(store, &named)?;
    let mut by_graph: BTreeMap<String, Vec<Fact>> = BTreeMap::new();
    for row in &rows {
        let (Some(s), Some(p), Some(o)) = (row.get("s"), row.get("p"), row.get("o")) else {
            continue;
        };
        let graph = row.get("g").map(|g| match g {
            Term::NamedNode(n) => n.as_str().to_string(),
            other => other.to_string(),
        });
        by_graph
            .entry(graph.unwrap_or_default())
            .or_default()
            .push(Fact {
                subject: show(&labels, s),
                predicate: display_term(p),
                object: show(&labels, o),
            });
    }
    let passages = passages(
        store,
        &by_graph
            .keys()
            .filter_map(|g| NamedNode::new(g).ok())
            .collect::<Vec<_>>(),
    )?;
    let mut evidence = Vec::new();
    for (graph, mut facts) in by_graph {
        facts.sort();
        facts.dedup();
        let mut item = Evidence {
            graph: graph.clone(),
            quote: None,
            document: None,
            section: None,
            note: None,
            reading: None,
            facts,
        };
        if let Some(row) = passages.get(&graph) {
            item.quote = row.get("quote").map(display_term);
            item.document = row.get("file").map(display_term);
            item.section = row.get("section").map(display_term);
            item.note = row.get("note").map(display_term);
        } else if let Ok(node) = NamedNode::new(&graph) {
            // Not a passage: an editor's reading, perhaps.
            item.reading = reading(store, &node)?;
        }
        evidence.push(item);
    }
    Ok(Explanation {
        iri: iri.as_str().to_string(),
        label: entity.label.clone(),
        classes: entity.classes.clone(),
        evidence,
        reasoning: view.rules.map(|r| r.name()),
        inferred: match store.as_store() {
            Some(local) => crate::reason::explain::inferred_about(local, iri, view)?,
            None => Vec::new(),
        },
    })
}

/// The quote, document, section and note of each passage (graph) that has
/// a quote: the first row of each, as one query.
fn passages(
    store: &dyn Kg,
    graphs: &[NamedNode],
) -> Result<BTreeMap<String, oxigraph::sparql::QuerySolution>> {
    let mut out = BTreeMap::new();
    for chunk in graphs.chunks(500) {
        let values: String = chunk.iter().map(|g| format!(" {g}")).collect();
        let rows = select(
            store,
            &format!(
                r#"SELECT ?node ?quote ?file ?section ?note WHERE {{
                  VALUES ?node {{{values} }}
                  ?node aikg:quote ?quote .
                  OPTIONAL {{ ?node aikg:inDocument ?d . OPTIONAL {{ ?d aikg:fileName ?file }} }}
                  OPTIONAL {{ ?node aikg:section ?section }}
                  OPTIONAL {{ ?node skos:editorialNote ?note }}
                }} ORDER BY ?node ?quote ?file ?section ?note"#
            ),
        )?;
        for row in rows {
            if let Some(Term::NamedNode(node)) = row.get("node") {
                out.entry(node.as_str().to_string()).or_insert(row);
            }
        }
    }
    Ok(out)
}

/// A passage's quote, document file name and section.
#[derive(Default)]
pub(crate) struct Passage {
    pub quote: Option<String>,
    pub document: Option<String>,
    pub section: Option<String>,
}

/// What the graph says of a passage (nothing if it is not one).
pub(crate) fn passage_of(store: &dyn Kg, node: &NamedNode) -> Result<Passage> {
    let rows = select(
        store,
        &format!(
            r#"SELECT ?quote ?file ?section WHERE {{
              {node} aikg:quote ?quote .
              OPTIONAL {{ {node} aikg:inDocument ?d . OPTIONAL {{ ?d aikg:fileName ?file }} }}
              OPTIONAL {{ {node} aikg:section ?section }}
            }} LIMIT 1"#
        ),
    )?;
    Ok(match rows.first() {
        Some(row) => Passage {
            quote: row.get("quote").map(display_term),
            document: row.get("file").map(display_term),
            section: row.get("section").map(display_term),
        },
        None => Passage::default(),
    })
}

/// Why a reading graph reads its facts, and from which passages.
fn reading(store: &dyn Kg, graph: &NamedNode) -> Result<Option<Reading>> {
    let rows = select(
        store,
        &format!(
            r#"SELECT ?because ?from WHERE {{
              {graph} a aikg:Reading ; aikg:because ?because .
              OPTIONAL {{ {graph} aikg:readFrom ?from }}
            }} ORDER BY ?from"#
        ),
    )?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let because = first
        .get("because")
        .map(|t| match t {
            Term::Literal(l) => l.value().to_string(),
            other => display_term(other),
        })
        .unwrap_or_default();
    let mut read_from: Vec<String> = rows
        .iter()
        .filter_map(|row| row.get("from").map(display_term))
        .collect();
    read_from.dedup();
    Ok(Some(Reading { because, read_from }))
}

/// [`show`] of one term, its label looked up (for the reasoner's proofs).
pub(crate) fn show_term(store: &dyn Kg, term: &Term) -> Result<String> {
    let labels = match term {
        Term::NamedNode(n) if n.as_str().starts_with(crate::namespaces::ID) => {
            describe_all(store, std::slice::from_ref(n))?
        }
        _ => BTreeMap::new(),
    };
    Ok(show(&labels, term))
}

/// A term with its label when it is an entity: `id:MSIT (Ministry of Science and ICT)`.
fn show(labels: &BTreeMap<NamedNode, Entity>, term: &Term) -> String {
    match term {
        Term::NamedNode(n) if n.as_str().starts_with(crate::namespaces::ID) => {
            let name = display_term(term);
            match labels.get(n) {
                Some(entity) if entity.label != name => format!("{name} ({})", entity.label),
                _ => name,
            }
        }
        Term::Literal(l) => {
            let mut text = format!("\"{}\"", l.value());
            if let Some(lang) = l.language() {
                let _ = write!(text, "@{lang}");
            } else if l.datatype() != oxigraph::model::vocab::xsd::STRING {
                let _ = write!(
                    text,
                    "^^{}",
                    display_term(&l.datatype().into_owned().into())
                );
            }
            text
        }
        other => display_term(other),
    }
}

/// The explanation as text for people.
pub fn to_text(explanation: &Explanation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} [{}]",
        explanation.label,
        crate::namespaces::compact(&explanation.iri)
            .unwrap_or_else(|| format!("<{}>", explanation.iri)),
        explanation.classes.join(", ")
    );
    let facts: usize = explanation.evidence.iter().map(|e| e.facts.len()).sum();
    // The default graph (someone's own data) is no passage.
    let passages = explanation
        .evidence
        .iter()
        .filter(|e| !e.graph.is_empty())
        .count();
    let _ = writeln!(out, "{facts} facts from {passages} passages\n");
    for evidence in &explanation.evidence {
        let graph = crate::namespaces::compact(&evidence.graph)
            .unwrap_or_else(|| format!("<{}>", evidence.graph));
        match (&evidence.quote, &evidence.reading) {
            (Some(quote), _) => {
                let _ = writeln!(
                    out,
                    "« {quote} »\n  — {}{} ({graph})",
                    evidence.document.as_deref().unwrap_or("?"),
                    evidence
                        .section
                        .as_deref()
                        .map(|s| format!(", section {s}"))
                        .unwrap_or_default(),
                );
            }
            (None, Some(reading)) => {
                let _ = writeln!(
                    out,
                    "the editor's reading, not the text's words ({graph}), read from {}:\n  because {}",
                    reading.read_from.join(", "),
                    reading.because
                );
            }
            (None, None) if evidence.graph.is_empty() => {
                let _ = writeln!(out, "(default graph: no source passage)");
            }
            (None, None) => {
                let _ = writeln!(out, "(graph {graph}: no source passage)");
            }
        }
        if let Some(note) = &evidence.note {
            let _ = writeln!(out, "  note: {note}");
        }
        for fact in &evidence.facts {
            let _ = writeln!(
                out,
                "    {}  {}  {}",
                fact.subject, fact.predicate, fact.object
            );
        }
        out.push('\n');
    }
    if let Some(rules) = &explanation.reasoning {
        let mut quoted = explanation
            .evidence
            .iter()
            .filter(|e| e.quote.is_some())
            .map(|e| e.graph.clone())
            .collect();
        crate::reason::explain::to_text(&explanation.inferred, rules, &mut quoted, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::RdfFormat;
    use oxigraph::store::Store;

    /// Facts in passages and in the default graph only, a fact in both,
    /// fundings named and blank, a quantity, and the ontology's graph.
    const DATA: &str = include_str!("../tests/fixtures/explain/steps.trig");

    fn rows(rows: Vec<QuerySolution>) -> Vec<String> {
        let mut out: Vec<String> = rows
            .iter()
            .map(|row| {
                ["g", "s", "p", "o"]
                    .map(|v| row.get(v).map(ToString::to_string).unwrap_or_default())
                    .join(" ")
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn the_facts_asked_in_steps_are_the_facts_of_the_one_query() {
        let store = Store::new().unwrap();
        store
            .load_from_reader(RdfFormat::TriG, DATA.as_bytes())
            .unwrap();
        for name in ["e", "c", "r", "other", "f1", "q", "nothing"] {
            let iri = NamedNode::new(format!("https://test.example/steps/{name}")).unwrap();
            let one = rows(select(&store, &facts_query(&iri)).unwrap());
            let steps = rows(fact_rows(&store, &iri).unwrap());
            assert_eq!(steps, one, "{name}");
            if name == "e" {
                // The funding's amounts come through both kinds of n-ary
                // node, and the ontology's graph stays out.
                let text = steps.join("\n");
                assert!(text.contains("\"5\"^^"), "{text}");
                assert!(text.contains("\"7\"^^"), "{text}");
                assert!(text.contains("\"3\"^^"), "{text}");
                assert!(!text.contains("in the ontology only"), "{text}");
            }
            if name == "c" {
                // No blank node points at c: the listed form is the one asked.
                assert!(steps.join("\n").contains("\"6\"^^"));
            }
        }
    }
}
