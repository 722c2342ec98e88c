//! `aikg explain`: every fact about an entity, grouped by the source passage
//! that states it, with the passage's quote and document.

use crate::error::Result;
use crate::query::{display_term, select};
use crate::resolve::{describe, Entity};
use oxigraph::model::{GraphNameRef, NamedNode, Term};
use oxigraph::store::Store;
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
/// graph (?g, a passage or a reading) that states it: the facts whose
/// subject or object it is, and those of the n-ary nodes (fundings,
/// quantities) that point at it; the ontology's graph left out.
pub fn facts_query(iri: &NamedNode) -> String {
    format!(
        r#"SELECT DISTINCT ?g ?s ?p ?o WHERE {{
          {{ GRAPH ?g {{ {iri} ?p ?o }} BIND({iri} AS ?s) }}
          UNION {{ GRAPH ?g {{ ?s ?p {iri} }} BIND({iri} AS ?o) }}
          UNION {{
            GRAPH ?g0 {{ ?s ?p0 {iri} }}
            ?s a ?nary . FILTER(?nary IN (aikg:Funding, aikg:Quantity))
            GRAPH ?g {{ ?s ?p ?o }} FILTER(?o != {iri})
          }}
          FILTER(!isIRI(?g) || ?g != <{}>)
        }}"#,
        crate::store::ONTOLOGY_GRAPH
    )
}

/// Gathers the facts whose subject or object is the entity, and the facts of
/// the n-ary nodes (fundings, quantities) that point at it; with the
/// store's inferred facts about it, if it has some.
pub fn explain(store: &Store, entity: &Entity) -> Result<Explanation> {
    let view = crate::reason::open_view(store, crate::reason::Reasoning::Default)?;
    explain_in(store, entity, view)
}

/// [`explain`], showing the inferred facts `view` sees.
pub fn explain_in(
    store: &Store,
    entity: &Entity,
    view: crate::reason::View,
) -> Result<Explanation> {
    let iri = &entity.iri;
    let rows = select(store, &facts_query(iri))?;
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
                subject: show(store, s)?,
                predicate: display_term(p),
                object: show(store, o)?,
            });
    }
    // Triples in the default graph (someone's own data, not in passages)
    // are facts too: the GRAPH patterns above do not see them.
    let subject = oxigraph::model::NamedOrBlankNodeRef::from(iri.as_ref());
    let as_subject =
        store.quads_for_pattern(Some(subject), None, None, Some(GraphNameRef::DefaultGraph));
    let as_object = store.quads_for_pattern(
        None,
        None,
        Some(iri.as_ref().into()),
        Some(GraphNameRef::DefaultGraph),
    );
    for quad in as_subject.chain(as_object) {
        let quad = quad?;
        by_graph.entry(String::new()).or_default().push(Fact {
            subject: show(store, &quad.subject.into())?,
            predicate: display_term(&quad.predicate.into()),
            object: show(store, &quad.object)?,
        });
    }
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
        if let Ok(node) = NamedNode::new(&graph) {
            let passage = passage_of(store, &node)?;
            let stated = passage.quote.is_some();
            item.quote = passage.quote;
            item.document = passage.document;
            item.section = passage.section;
            item.note = passage.note;
            if !stated {
                item.reading = reading(store, &node)?;
            }
        }
        evidence.push(item);
    }
    Ok(Explanation {
        iri: iri.as_str().to_string(),
        label: entity.label.clone(),
        classes: entity.classes.clone(),
        evidence,
        reasoning: view.rules.map(|r| r.name()),
        inferred: crate::reason::explain::inferred_about(store, iri, view)?,
    })
}

/// A passage's quote, document file name, section and editorial note.
#[derive(Default)]
pub(crate) struct Passage {
    pub quote: Option<String>,
    pub document: Option<String>,
    pub section: Option<String>,
    pub note: Option<String>,
}

/// What the graph says of a passage (nothing if it is not one).
pub(crate) fn passage_of(store: &Store, node: &NamedNode) -> Result<Passage> {
    let rows = select(
        store,
        &format!(
            r#"SELECT ?quote ?file ?section ?note WHERE {{
              {node} aikg:quote ?quote .
              OPTIONAL {{ {node} aikg:inDocument ?d . OPTIONAL {{ ?d aikg:fileName ?file }} }}
              OPTIONAL {{ {node} aikg:section ?section }}
              OPTIONAL {{ {node} skos:editorialNote ?note }}
            }} LIMIT 1"#
        ),
    )?;
    Ok(match rows.first() {
        Some(row) => Passage {
            quote: row.get("quote").map(display_term),
            document: row.get("file").map(display_term),
            section: row.get("section").map(display_term),
            note: row.get("note").map(display_term),
        },
        None => Passage::default(),
    })
}

/// Why a reading graph reads its facts, and from which passages.
fn reading(store: &Store, graph: &NamedNode) -> Result<Option<Reading>> {
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

/// A term with its label when it is an entity: `id:MSIT (Ministry of Science and ICT)`.
pub(crate) fn show(store: &Store, term: &Term) -> Result<String> {
    Ok(match term {
        Term::NamedNode(n) if n.as_str().starts_with(crate::namespaces::ID) => {
            let entity = describe(store, n.clone())?;
            let name = display_term(term);
            if entity.label == name {
                name
            } else {
                format!("{name} ({})", entity.label)
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
    })
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
