//! Why an inferred fact holds: the rule, and its premises down to the
//! stated facts, each with the passages (quote, document, section) that
//! state it, or the ontology.

use super::engine::{Closure, Id};
use super::materialise::{closure_of_store, View};
use super::rules::Rule;
use crate::error::Result;
use crate::explain::Fact;
use crate::query::{display_term, select};
use oxigraph::model::{NamedNode, Term};
use oxigraph::store::Store;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::fmt::Write as _;

/// An inferred fact and its proof.
#[derive(Clone, Debug, Serialize)]
pub struct InferredFact {
    pub fact: Fact,
    pub proof: Proof,
}

/// One step: the rule, why it applies, and its premises.
#[derive(Clone, Debug, Serialize)]
pub struct Proof {
    /// The OWL 2 RL rule (`prp-trp`).
    pub rule: &'static str,
    /// Why, in words, naming the axiom: "aikg:locatedIn is transitive".
    pub because: String,
    pub premises: Vec<Premise>,
}

/// A premise: stated (with where), or inferred in turn (with its proof).
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Premise {
    Stated { fact: Fact, sources: Vec<Source> },
    Inferred { fact: Fact, proof: Box<Proof> },
}

/// Where a stated fact is: a passage (with its quote), the ontology, or
/// another graph.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Source {
    /// The named graph ("" for the default graph).
    pub graph: String,
    pub quote: Option<String>,
    pub document: Option<String>,
    pub section: Option<String>,
}

/// Proofs deeper than this are cut (a chain of hundreds of transitive
/// steps): the cut premise says so.
const MAX_DEPTH: usize = 24;

/// The inferred facts about an entity (as subject or object), each with
/// its proof. Empty when the view shows nothing inferred.
pub fn inferred_about(store: &Store, entity: &NamedNode, view: View) -> Result<Vec<InferredFact>> {
    let Some(rules) = view.rules.filter(|r| !r.is_empty()) else {
        return Ok(Vec::new());
    };
    let closure = closure_of_store(store, rules)?;
    let Some(id) = closure.terms.get(entity.as_ref().into()) else {
        return Ok(Vec::new());
    };
    let mut explainer = Explainer {
        store,
        closure: &closure,
        sources: FxHashMap::default(),
        passages: FxHashMap::default(),
        labels: FxHashMap::default(),
    };
    let mut facts = Vec::new();
    for row in closure.inferred() {
        let [s, _, o] = closure.triple(row);
        if s == id || o == id {
            facts.push(InferredFact {
                fact: explainer.fact(row)?,
                proof: explainer.proof(row, 0)?,
            });
        }
    }
    facts.sort_by(|a, b| {
        (&a.fact.predicate, &a.fact.subject, &a.fact.object).cmp(&(
            &b.fact.predicate,
            &b.fact.subject,
            &b.fact.object,
        ))
    });
    Ok(facts)
}

struct Explainer<'a> {
    store: &'a Store,
    closure: &'a Closure,
    sources: FxHashMap<u32, Vec<Source>>,
    passages: FxHashMap<String, Source>,
    labels: FxHashMap<Id, String>,
}

impl Explainer<'_> {
    fn show(&mut self, id: Id) -> Result<String> {
        if let Some(l) = self.labels.get(&id) {
            return Ok(l.clone());
        }
        let shown = crate::explain::show_term(self.store, self.closure.terms.term(id))?;
        self.labels.insert(id, shown.clone());
        Ok(shown)
    }

    fn fact(&mut self, row: u32) -> Result<Fact> {
        let [s, p, o] = self.closure.triple(row);
        Ok(Fact {
            subject: self.show(s)?,
            predicate: display_term(self.closure.terms.term(p)),
            object: self.show(o)?,
        })
    }

    fn proof(&mut self, row: u32, depth: usize) -> Result<Proof> {
        let d = self
            .closure
            .derivation(row)
            .expect("proofs are asked of inferred rows");
        let mut premises = Vec::new();
        for premise in d.premises() {
            let fact = self.fact(premise)?;
            if self.closure.is_stated(premise) {
                premises.push(Premise::Stated {
                    fact,
                    sources: self.sources_of(premise)?,
                });
            } else if depth >= MAX_DEPTH {
                premises.push(Premise::Inferred {
                    fact,
                    proof: Box::new(Proof {
                        rule: "…",
                        because: format!("proof cut at depth {MAX_DEPTH}"),
                        premises: Vec::new(),
                    }),
                });
            } else {
                premises.push(Premise::Inferred {
                    fact,
                    proof: Box::new(self.proof(premise, depth + 1)?),
                });
            }
        }
        Ok(Proof {
            rule: d.rule.id(),
            because: self.because(d.rule, &d.premises),
            premises,
        })
    }

    /// The rule in words, naming the axiom it applies.
    fn because(&self, rule: Rule, premises: &[u32; 3]) -> String {
        let term = |id: Id| display_term(self.closure.terms.term(id));
        let axiom = |i: usize| self.closure.triple(premises[i]);
        match rule {
            Rule::PrpTrp => format!("{} is transitive", term(axiom(0)[1])),
            Rule::PrpSymp => format!("{} is symmetric", term(axiom(0)[1])),
            Rule::PrpInv1 | Rule::PrpInv2 => {
                let [a, _, b] = axiom(1);
                format!("{} is the inverse of {}", term(a), term(b))
            }
            Rule::CaxSco | Rule::PrpSpo1 | Rule::CaxEqc1 | Rule::CaxEqc2 => {
                let [a, p, b] = axiom(1);
                format!("{} {} {}", term(a), term(p), term(b))
            }
            Rule::PrpEqp1 | Rule::PrpEqp2 => {
                let [a, _, b] = axiom(1);
                format!("{} owl:equivalentProperty {}", term(a), term(b))
            }
            Rule::PrpDom => {
                let [p, _, c] = axiom(1);
                format!("the domain of {} is {}", term(p), term(c))
            }
            Rule::PrpRng => {
                let [p, _, c] = axiom(1);
                format!("the range of {} is {}", term(p), term(c))
            }
            Rule::EqRepS | Rule::EqRepP | Rule::EqRepO => {
                let [a, _, b] = axiom(1);
                format!("{} is the same as {}", term(a), term(b))
            }
            other => other.reason().to_string(),
        }
    }

    /// The graphs that state a triple, with their passages' quotes.
    fn sources_of(&mut self, row: u32) -> Result<Vec<Source>> {
        if let Some(s) = self.sources.get(&row) {
            return Ok(s.clone());
        }
        let (s, p, o) = self.closure.terms_of(row);
        let rows = select(
            self.store,
            &format!(
                "SELECT DISTINCT ?g WHERE {{ {{ GRAPH ?g {{ {s} {p} {o} }} }} UNION {{ {s} {p} {o} FILTER NOT EXISTS {{ GRAPH ?h {{ {s} {p} {o} }} }} }} }}",
                s = term_in_query(s),
                p = term_in_query(p),
                o = term_in_query(o),
            ),
        )?;
        let mut sources = Vec::new();
        for r in &rows {
            let graph = match r.get("g") {
                Some(Term::NamedNode(g)) => g.as_str().to_string(),
                Some(other) => other.to_string(),
                None => String::new(),
            };
            sources.push(self.passage(graph)?);
        }
        sources.sort();
        sources.dedup();
        self.sources.insert(row, sources.clone());
        Ok(sources)
    }

    fn passage(&mut self, graph: String) -> Result<Source> {
        if let Some(p) = self.passages.get(&graph) {
            return Ok(p.clone());
        }
        let mut source = Source {
            graph: graph.clone(),
            quote: None,
            document: None,
            section: None,
        };
        if let Ok(node) = NamedNode::new(&graph) {
            let passage = crate::explain::passage_of(self.store, &node)?;
            source.quote = passage.quote;
            source.document = passage.document;
            source.section = passage.section;
        }
        self.passages.insert(graph, source.clone());
        Ok(source)
    }
}

/// A term as SPARQL text (blank nodes of the store cannot be named in a
/// query: they become a variable, which matches any node).
fn term_in_query(term: &Term) -> String {
    match term {
        Term::BlankNode(_) => "[]".into(),
        other => other.to_string(),
    }
}

/// The proofs as text, under the heading the explanation gives them. A
/// passage's quote is written once: `quoted` holds the passages already
/// quoted (by the stated facts above).
pub fn to_text(
    facts: &[InferredFact],
    rules: &str,
    quoted: &mut std::collections::BTreeSet<String>,
    out: &mut String,
) {
    if facts.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "Inferred (reasoning {rules}): {} fact{}",
        facts.len(),
        if facts.len() == 1 { "" } else { "s" }
    );
    for f in facts {
        let _ = writeln!(
            out,
            "  {}  {}  {}",
            f.fact.subject, f.fact.predicate, f.fact.object
        );
        write_proof(&f.proof, 2, quoted, out);
    }
    out.push('\n');
}

fn write_proof(
    proof: &Proof,
    depth: usize,
    quoted: &mut std::collections::BTreeSet<String>,
    out: &mut String,
) {
    let indent = "  ".repeat(depth);
    let _ = writeln!(out, "{indent}⇐ {} ({})", proof.because, proof.rule);
    for premise in &proof.premises {
        match premise {
            Premise::Stated { fact, sources } => {
                let _ = writeln!(
                    out,
                    "{indent}  {}  {}  {}",
                    fact.subject, fact.predicate, fact.object
                );
                for s in sources {
                    let _ = writeln!(out, "{indent}    — {}", source_text(s, quoted));
                }
            }
            Premise::Inferred { fact, proof } => {
                let _ = writeln!(
                    out,
                    "{indent}  {}  {}  {}  (inferred)",
                    fact.subject, fact.predicate, fact.object
                );
                write_proof(proof, depth + 2, quoted, out);
            }
        }
    }
}

fn source_text(source: &Source, quoted: &mut std::collections::BTreeSet<String>) -> String {
    if source.graph == crate::store::ONTOLOGY_GRAPH {
        return "the ontology".into();
    }
    if source.graph.is_empty() {
        return "the default graph".into();
    }
    let name =
        crate::namespaces::compact(&source.graph).unwrap_or_else(|| format!("<{}>", source.graph));
    match &source.quote {
        Some(_) if !quoted.insert(source.graph.clone()) => format!("{name} (quoted above)"),
        Some(quote) => format!(
            "{name} ({}{}): « {quote} »",
            source.document.as_deref().unwrap_or("?"),
            source
                .section
                .as_deref()
                .map(|s| format!(", section {s}"))
                .unwrap_or_default()
        ),
        None => format!("graph {name}"),
    }
}
