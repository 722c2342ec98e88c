//! The inferred triples in their own named graph ([`INFERRED_GRAPH`]),
//! beside the stated ones: computed when the bundled graph is loaded in
//! memory, at `aikg load` and by `aikg infer --store` for a persistent store,
//! and by a server after a write ([`materialise_store`] recomputes in full:
//! see the README for how long that takes). The rules they were computed
//! with are recorded as the name of an empty graph (`…/inferred/rules/rl`).
//!
//! The inferred graph holds only what no graph states, so the default graph
//! of a query (the stated graphs plus the inferred one) has each triple once.

use super::axioms::{self, Unused};
use super::engine::{self, Closure, Input};
use super::rules::{Reasoning, RuleSet};
use super::{INFERRED_GRAPH, RULES_GRAPH_PREFIX};
use crate::error::{Error, Result};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Store;
use serde::Serialize;
use std::time::Instant;

/// What a reading command sees of reasoning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct View {
    /// The rules the visible inferred triples come from; `None`: nothing
    /// inferred is visible.
    pub rules: Option<RuleSet>,
}

impl View {
    pub const STATED: View = View { rules: None };

    pub fn includes_inferred(self) -> bool {
        self.rules.is_some_and(|r| !r.is_empty())
    }
}

/// What a materialisation did.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// The rules, as `--reasoning` names them (`rl`, `rdfs,-range`...).
    pub rules: String,
    /// Stated triples (the RDF merge of every graph but the inferred one).
    pub stated: usize,
    /// Inferred triples (none of them stated).
    pub inferred: usize,
    /// Inferred triples by the rule that first derived them.
    pub by_rule: Vec<RuleCount>,
    /// What the stated axioms say that the rules do not use.
    pub not_used: Vec<Unused>,
    /// Times the schema was read again because an instance rule derived a
    /// schema triple.
    pub schema_rereads: u32,
    /// Time to read the stated triples, reason, and write the inferred ones
    /// (during `aikg load`, they are written with the data: in the load's time).
    pub seconds: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct RuleCount {
    pub rule: &'static str,
    pub family: &'static str,
    pub triples: usize,
}

impl Summary {
    pub fn of(closure: &Closure, started: Instant) -> Self {
        Self::of_rows(closure, closure.inferred(), started)
    }

    /// The summary of some of the closure's inferred rows (those written).
    pub fn of_rows(closure: &Closure, rows: impl Iterator<Item = u32>, started: Instant) -> Self {
        let mut counts = [0usize; super::rules::Rule::ALL.len()];
        let mut inferred = 0;
        for row in rows {
            if let Some(d) = closure.derivation(row) {
                counts[d.rule as usize] += 1;
                inferred += 1;
            }
        }
        Self {
            rules: closure.rules.name(),
            stated: closure.stated_len(),
            inferred,
            by_rule: super::rules::Rule::ALL
                .iter()
                .zip(counts)
                .filter(|(_, n)| *n > 0)
                .map(|(rule, triples)| RuleCount {
                    rule: rule.id(),
                    family: rule.family().name(),
                    triples,
                })
                .collect(),
            not_used: axioms::unused(closure, closure.rules),
            schema_rereads: closure.schema_rereads,
            seconds: started.elapsed().as_secs_f64(),
        }
    }

    /// For people: the totals, the rules, and what was left aside.
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "reasoning {}: {} stated triples, {} inferred in {:.3}s",
            self.rules, self.stated, self.inferred, self.seconds
        );
        for r in &self.by_rule {
            let _ = writeln!(out, "  {:<9} {:>10}  ({})", r.rule, r.triples, r.family);
        }
        if !self.not_used.is_empty() {
            let _ = writeln!(out, "not used for inference:");
            for u in &self.not_used {
                let _ = writeln!(
                    out,
                    "  {} ({} triple{}, e.g. {}; rules {}): {}",
                    u.axiom,
                    u.count,
                    if u.count == 1 { "" } else { "s" },
                    u.subjects.join(", "),
                    u.rules,
                    u.instead
                );
            }
        }
        out
    }

    /// One line for `aikg load` and start-up notes.
    pub fn one_line(&self) -> String {
        let mut line = format!(
            "inferred {} triples (reasoning {}) in {:.2}s",
            self.inferred, self.rules, self.seconds
        );
        if !self.not_used.is_empty() {
            let names: Vec<&str> = self.not_used.iter().map(|u| u.axiom.as_str()).collect();
            line.push_str(&format!(
                "; not used for inference: {} (see `aikg infer`)",
                names.join(", ")
            ));
        }
        line
    }
}

pub(super) fn graph(iri: &str) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

/// The stated triples of a store: its merged graph if it has one (the
/// in-memory store), else every graph but aikg's own.
pub fn stated_input(store: &Store) -> Result<Input> {
    let mut input = Input::new();
    let merged = graph(crate::store::MERGED_GRAPH);
    if crate::store::has_merged_graph(store)? {
        for quad in store.quads_for_pattern(None, None, None, Some(merged.as_ref().into())) {
            let quad = quad?;
            input.add(
                quad.subject.as_ref(),
                quad.predicate.as_ref(),
                quad.object.as_ref(),
            );
        }
    } else {
        for quad in store.iter() {
            let quad = quad?;
            if !crate::store::is_internal_graph(&quad.graph_name) {
                input.add(
                    quad.subject.as_ref(),
                    quad.predicate.as_ref(),
                    quad.object.as_ref(),
                );
            }
        }
    }
    Ok(input)
}

/// The closure of a store's stated triples.
pub fn closure_of_store(store: &Store, rules: RuleSet) -> Result<Closure> {
    if rules.is_empty() {
        // Nothing to infer: no need to read a large store.
        return Ok(engine::materialise(Input::new(), rules));
    }
    let started = Instant::now();
    let input = stated_input(store)?;
    crate::timing("read stated", started);
    let started = Instant::now();
    let closure = engine::materialise(input, rules);
    crate::timing("closure", started);
    Ok(closure)
}

/// Recomputes the inferred graph of a store with `rules` (none: removes
/// it). The record of the rules goes first and comes back last, so that a
/// run cut short leaves a store whose inferred triples are not used (and
/// `aikg infer` says so) rather than ones of unknown rules.
pub fn materialise_store(store: &Store, rules: RuleSet) -> Result<Summary> {
    Ok(materialise_store_keeping(store, rules)?.0)
}

/// [`materialise_store`], keeping the closure (its derivations, terms).
pub fn materialise_store_keeping(store: &Store, rules: RuleSet) -> Result<(Summary, Closure)> {
    let started = Instant::now();
    let closure = closure_of_store(store, rules)?;
    crate::timing("reason", started);
    let written = Instant::now();
    write_inferred(store, &closure)?;
    crate::timing("write inferred", written);
    Ok((Summary::of(&closure, started), closure))
}

/// Replaces the store's inferred graph with the closure's inferred triples.
/// Only what changed is written: a recompute that finds what the store
/// holds writes nothing (removing a large named graph and loading it again
/// costs far more than reading it).
pub(super) fn write_inferred(store: &Store, closure: &Closure) -> Result<()> {
    // The record of the rules first (so that a run cut short leaves the
    // inferred triples unused), the triples after.
    remove_record(store)?;
    let record = graph(&format!("{RULES_GRAPH_PREFIX}{}", closure.rules));
    let inferred_graph = graph(INFERRED_GRAPH);
    if closure.rules.is_empty() {
        store.remove_named_graph(inferred_graph.as_ref())?;
        // Recorded too, so that a later `aikg load` keeps reasoning off.
        store.insert_named_graph(record.as_ref())?;
        return Ok(());
    }
    // What the store's inferred graph holds: rows to keep, quads to remove
    // (no longer implied, or stated now).
    let stated = closure.stated_len();
    let mut held = vec![false; closure.inferred_len()];
    let mut stale = Vec::new();
    for quad in store.quads_for_pattern(None, None, None, Some(inferred_graph.as_ref().into())) {
        let quad = quad?;
        let ids = [
            closure.terms.get(quad.subject.as_ref().into()),
            closure.terms.get(quad.predicate.as_ref().into()),
            closure.terms.get(quad.object.as_ref()),
        ];
        let row = match ids {
            [Some(s), Some(p), Some(o)] => closure.find([s, p, o]),
            _ => None,
        };
        match row {
            Some(row) if row as usize >= stated => held[row as usize - stated] = true,
            _ => stale.push(quad),
        }
    }
    if stale.len() > held.len() / 2 + 1024 {
        // Mostly different (other rules): cheaper to start again.
        store.remove_named_graph(inferred_graph.as_ref())?;
        held.iter_mut().for_each(|h| *h = false);
    } else {
        for quad in &stale {
            store.remove(quad.as_ref())?;
        }
    }
    let inferred = GraphName::from(inferred_graph);
    let mut loader = store.bulk_loader();
    loader.load_quads(
        closure
            .inferred()
            .filter(|row| !held[*row as usize - stated])
            .map(|row| inferred_quad(closure, row, &inferred)),
    )?;
    loader.commit()?;
    store.insert_named_graph(record.as_ref())?;
    Ok(())
}

/// Removes the (empty) graph that records the rules of the inferred graph.
pub(super) fn remove_record(store: &Store) -> Result<()> {
    let records: Vec<NamedOrBlankNode> = store
        .named_graphs()
        .filter(|g| {
            g.as_ref().map_or(true, |g| {
                matches!(g, NamedOrBlankNode::NamedNode(n) if n.as_str().starts_with(RULES_GRAPH_PREFIX))
            })
        })
        .collect::<Result<_, _>>()?;
    for g in &records {
        store.remove_named_graph(g.as_ref())?;
    }
    Ok(())
}

/// The rules a store's inferred graph was computed with, if it was.
pub fn materialised_rules(store: &Store) -> Result<Option<RuleSet>> {
    for g in store.named_graphs() {
        if let NamedOrBlankNode::NamedNode(n) = g? {
            if let Some(name) = n.as_str().strip_prefix(RULES_GRAPH_PREFIX) {
                return RuleSet::parse(name).map(Some).map_err(|e| {
                    Error::usage(
                        format!("the store records reasoning {name:?}, which this aikg does not know ({e})"),
                        "recompute it with `aikg infer --store DIR`",
                    )
                });
            }
        }
    }
    Ok(None)
}

/// Materialises the persistent store at `dir` (after `aikg load`): with
/// `reasoning`'s rules, or by default those the store was materialised
/// with before ([`Reasoning::DEFAULT_RULES`] for a new store).
pub fn materialise_dir(dir: &std::path::Path, reasoning: Reasoning) -> Result<(Summary, Closure)> {
    let store = Store::open(dir)?;
    let rules = match reasoning {
        Reasoning::Rules(rules) => rules,
        Reasoning::Default => materialised_rules(&store)?.unwrap_or(Reasoning::DEFAULT_RULES),
    };
    materialise_store_keeping(&store, rules)
}

/// Whether the store holds an inferred graph (recorded or not).
pub fn has_inferred_graph(store: &Store) -> Result<bool> {
    Ok(store.contains_named_graph(graph(INFERRED_GRAPH).as_ref())?)
}

/// The inferred quads of an in-memory store, and the (empty) graph that
/// records their rules.
pub struct Inferred {
    pub quads: Vec<Quad>,
    pub record: Option<NamedNode>,
}

/// What the requested rules (default: [`Reasoning::DEFAULT_RULES`]) infer
/// from sources' quads, for the in-memory store built from them.
pub fn inferred_quads(quads: &[crate::source::LocatedQuad], reasoning: Reasoning) -> Inferred {
    let rules = reasoning.rules_or_default();
    let started = Instant::now();
    let closure = super::closure_of(quads.iter().map(|q| q.quad.as_ref()), rules);
    crate::timing("reason", started);
    let inferred = GraphName::from(graph(INFERRED_GRAPH));
    Inferred {
        quads: closure
            .inferred()
            .map(|row| inferred_quad(&closure, row, &inferred))
            .collect(),
        record: Some(graph(&format!("{RULES_GRAPH_PREFIX}{rules}"))),
    }
}

/// An inferred row as a quad of `graph`.
pub fn inferred_quad(closure: &Closure, row: u32, graph: &GraphName) -> Quad {
    let (s, p, o) = closure.terms_of(row);
    let subject = match s {
        Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
        Term::BlankNode(b) => b.clone().into(),
        _ => unreachable!("the rules never make a literal a subject"),
    };
    let Term::NamedNode(p) = p else {
        unreachable!("the rules only put IRIs in predicate position")
    };
    Quad::new(subject, p.clone(), o.clone(), graph.clone())
}

/// What a reading command sees of a store's reasoning, given `--reasoning`:
/// the store's own record by default; `none` hides the inferred triples;
/// other rules must be those the store was materialised with (else the
/// error says how to recompute).
pub fn open_view(store: &Store, reasoning: Reasoning) -> Result<View> {
    let recorded = materialised_rules(store)?;
    match reasoning {
        Reasoning::Rules(rules) if rules.is_empty() => Ok(View::STATED),
        Reasoning::Default => match recorded {
            Some(rules) => Ok(View { rules: Some(rules) }),
            None if has_inferred_graph(store)? => Err(Error::usage(
                "the store holds inferred triples but no record of their rules (an `aikg infer` cut short?)",
                "recompute them with `aikg infer --store DIR`, or read without them with --reasoning none",
            )),
            None => Ok(View::STATED),
        },
        Reasoning::Rules(rules) => match recorded {
            Some(recorded) if recorded == rules => Ok(View { rules: Some(rules) }),
            Some(recorded) => Err(Error::usage(
                format!("--reasoning {rules}: the store's inferred triples come from --reasoning {recorded}"),
                format!("recompute them with `aikg infer --store DIR --reasoning {rules}`, or leave out --reasoning to use the store's"),
            )),
            None => Err(Error::usage(
                format!("--reasoning {rules}: the store has no inferred triples"),
                format!("compute them with `aikg infer --store DIR --reasoning {rules}`"),
            )),
        },
    }
}
