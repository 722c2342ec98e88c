//! `aikg explain`: every fact about an entity, grouped by the source passage
//! that states it, with the passage's quote and document.

use crate::error::Result;
use crate::kg::{select, Kg};
use crate::query::display_term;
use crate::resolve::{describe_all, Entity};
use oxigraph::model::{NamedNode, Term};
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
    pub facts: Vec<Fact>,
}

/// Everything the graph says about an entity.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    pub iri: String,
    pub label: String,
    pub classes: Vec<String>,
    pub evidence: Vec<Evidence>,
}

/// Gathers the facts whose subject or object is the entity, and the facts of
/// the n-ary nodes (fundings, quantities) that point at it.
pub fn explain(store: &dyn Kg, entity: &Entity) -> Result<Explanation> {
    let iri = &entity.iri;
    // Each statement in the passage (named graph) that states it, or, if
    // no named graph holds it, in the default graph (?g unbound).
    let stated = |pattern: &str| {
        format!(
            "{{ GRAPH ?g {{ {pattern} }} }} UNION {{ {pattern} FILTER NOT EXISTS {{ GRAPH ?other {{ {pattern} }} }} }}"
        )
    };
    let rows = select(
        store,
        &format!(
            r#"SELECT DISTINCT ?g ?s ?p ?o WHERE {{
              {{ {} BIND({iri} AS ?s) }}
              UNION {{ {} BIND({iri} AS ?o) }}
              UNION {{
                ?s ?p0 {iri} .
                ?s a ?nary . FILTER(?nary IN (aikg:Funding, aikg:Quantity))
                {} FILTER(?o != {iri})
              }}
              FILTER(!BOUND(?g) || !isIRI(?g) || ?g != <{}>)
            }}"#,
            stated(&format!("{iri} ?p ?o")),
            stated(&format!("?s ?p {iri}")),
            stated("?s ?p ?o"),
            crate::store::ONTOLOGY_GRAPH
        ),
    )?;
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
            facts,
        };
        if let Some(row) = passages.get(&graph) {
            item.quote = row.get("quote").map(display_term);
            item.document = row.get("file").map(display_term);
            item.section = row.get("section").map(display_term);
            item.note = row.get("note").map(display_term);
        }
        evidence.push(item);
    }
    Ok(Explanation {
        iri: iri.as_str().to_string(),
        label: entity.label.clone(),
        classes: entity.classes.clone(),
        evidence,
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
    let _ = writeln!(
        out,
        "{facts} facts from {} passages\n",
        explanation.evidence.len()
    );
    for evidence in &explanation.evidence {
        match &evidence.quote {
            Some(quote) => {
                let passage = crate::namespaces::compact(&evidence.graph)
                    .unwrap_or_else(|| evidence.graph.clone());
                let _ = writeln!(
                    out,
                    "« {quote} »\n  — {}{} ({passage})",
                    evidence.document.as_deref().unwrap_or("?"),
                    evidence
                        .section
                        .as_deref()
                        .map(|s| format!(", section {s}"))
                        .unwrap_or_default(),
                );
            }
            None if evidence.graph.is_empty() => {
                let _ = writeln!(out, "(default graph: no source passage)");
            }
            None => {
                let _ = writeln!(
                    out,
                    "(graph {}: no source passage)",
                    crate::namespaces::compact(&evidence.graph)
                        .unwrap_or_else(|| format!("<{}>", evidence.graph))
                );
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
    out
}
