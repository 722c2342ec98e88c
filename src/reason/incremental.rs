//! Bringing a persistent store's inferred graph up to date when triples are
//! added, without reading the whole store back (oxigraph decodes every term
//! of every quad it returns: on RocksDB, reading a million quads costs far
//! more than loading them).
//!
//! Only two of the rules join two instance triples: prp-trp (two edges of a
//! transitive property) and eq-rep (a triple and an owl:sameAs). Every other
//! rule takes one instance triple and the schema. So what the new triples
//! imply, given a store whose inferred graph is complete, follows from the
//! new triples, the schema, the owl:sameAs triples and the edges from which a
//! transitive property's edges are derived (the property, its
//! sub-properties, equivalents and inverses) — and that much is read from
//! the store. New triples that change the schema (an axiom, an owl:sameAs
//! between own entities), other rules than the store's, or a store never
//! materialised: the closure is recomputed in full instead.
//!
//! During `aikg load`, the loaded quads are passed in as they are parsed and
//! the inferred quads go into the same bulk load: data and inferences are
//! committed together or not at all.

use super::engine::{self, is_own_same_as, reads_as_schema, vocab, Closure, Id, Input};
use super::materialise::{
    graph, inferred_quad, materialise_store, materialised_rules, remove_record, Summary,
};
use super::rules::{Reasoning, RuleSet};
use super::{INFERRED_GRAPH, RULES_GRAPH_PREFIX};
use crate::error::Result;
use oxigraph::model::{GraphName, NamedNode, Quad, QuadRef, Term};
use oxigraph::store::Store;
use rustc_hash::FxHashSet;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    /// The store held nothing: the new triples are all there is.
    Fresh,
    /// The store is materialised with the same rules: add what is new.
    Incremental,
    /// Recompute from the whole store once the triples are in.
    Full,
}

/// What new triples imply, computed as they are added.
pub struct Incremental {
    rules: RuleSet,
    mode: Mode,
    input: Input,
    /// Rows of `input` read from the store (the rest are the new triples).
    from_store: usize,
    /// The rows of the new triples (some may be rows read from the store).
    added: Vec<u32>,
    /// The new triples are in the store already (after_insert): any axiom
    /// among them changes the schema.
    already_in: bool,
    /// The rules must be recorded (a fresh store, or none recorded).
    record: bool,
    /// Time spent reasoning so far (not parsing or loading the data).
    spent: Duration,
    /// What was read from the store before the new triples (Incremental).
    base: Option<Input>,
}

/// What to write: the inferred quads (loaded with the data), then what
/// [`Pending::complete`] does once they are committed.
pub struct Pending {
    pub quads: Vec<Quad>,
    /// Triples of the inferred graph that the new data states.
    now_stated: Vec<Quad>,
    rules: RuleSet,
    mode: Mode,
    record: bool,
    summary: Option<Summary>,
}

fn named(iri: &str) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

impl Incremental {
    /// Starts, before new triples go into `store`: `reasoning`'s rules, or
    /// by default those the store records (for a new store, the default).
    pub fn begin(store: &Store, reasoning: Reasoning) -> Result<Self> {
        let started = Instant::now();
        let recorded = materialised_rules(store)?;
        let rules = match reasoning {
            Reasoning::Rules(rules) => rules,
            Reasoning::Default => recorded.unwrap_or(Reasoning::DEFAULT_RULES),
        };
        let mode = if store.is_empty()? {
            Mode::Fresh
        } else if recorded == Some(rules) {
            Mode::Incremental
        } else {
            Mode::Full
        };
        let mut this = Self {
            rules,
            mode,
            input: Input::new(),
            from_store: 0,
            added: Vec::new(),
            already_in: false,
            record: recorded != Some(rules),
            spent: Duration::ZERO,
            base: None,
        };
        if mode == Mode::Incremental && !rules.is_empty() {
            this.read_joinable(store)?;
            this.base = Some(this.input.clone());
        }
        this.from_store = this.input.len();
        crate::timing("reason: read", started);
        this.spent = started.elapsed();
        Ok(this)
    }

    /// A new triple (its graph does not matter: the closure is of the merge).
    pub fn add(&mut self, quad: QuadRef<'_>) {
        if matches!(self.mode, Mode::Fresh | Mode::Incremental) && !self.rules.is_empty() {
            let row = self.input.add(quad.subject, quad.predicate, quad.object);
            if self.mode == Mode::Incremental {
                self.added.push(row);
            }
        }
    }

    /// The schema, the owl:sameAs triples, and the edges transitive
    /// properties are derived from, from every graph of the store.
    fn read_joinable(&mut self, store: &Store) -> Result<()> {
        let iri = |id: Id| named(vocab::IRIS[id as usize]);
        let add = |input: &mut Input, q: Quad| {
            input.add(q.subject.as_ref(), q.predicate.as_ref(), q.object.as_ref());
        };
        for p in [
            vocab::SUB_CLASS_OF,
            vocab::SUB_PROPERTY_OF,
            vocab::EQUIVALENT_CLASS,
            vocab::EQUIVALENT_PROPERTY,
            vocab::DOMAIN,
            vocab::RANGE,
            vocab::INVERSE_OF,
            vocab::SAME_AS,
        ] {
            for q in store.quads_for_pattern(None, Some(iri(p).as_ref()), None, None) {
                add(&mut self.input, q?);
            }
        }
        let mut transitive = Vec::new();
        for kind in [vocab::SYMMETRIC_PROPERTY, vocab::TRANSITIVE_PROPERTY] {
            for q in store.quads_for_pattern(
                None,
                Some(iri(vocab::TYPE).as_ref()),
                Some(iri(kind).as_ref().into()),
                None,
            ) {
                let q = q?;
                if kind == vocab::TRANSITIVE_PROPERTY {
                    if let oxigraph::model::NamedOrBlankNode::NamedNode(p) = &q.subject {
                        transitive.push(p.clone());
                    }
                }
                add(&mut self.input, q);
            }
        }
        // The predicates whose triples become edges of a transitive property:
        // the property, and (backwards) sub-properties, equivalents, inverses.
        let mut sources: FxHashSet<NamedNode> = transitive.iter().cloned().collect();
        let mut stack = transitive;
        let edges: Vec<(Term, Id, Term)> = self
            .input
            .triples()
            .iter()
            .filter(|t| {
                matches!(
                    t[1],
                    vocab::SUB_PROPERTY_OF | vocab::EQUIVALENT_PROPERTY | vocab::INVERSE_OF
                )
            })
            .map(|t| {
                (
                    self.input.terms.term(t[0]).clone(),
                    t[1],
                    self.input.terms.term(t[2]).clone(),
                )
            })
            .collect();
        while let Some(p) = stack.pop() {
            let p = Term::from(p);
            for (a, kind, b) in &edges {
                let from = if *b == p {
                    Some(a)
                } else if *a == p && *kind != vocab::SUB_PROPERTY_OF {
                    Some(b)
                } else {
                    None
                };
                if let Some(Term::NamedNode(q)) = from {
                    if sources.insert(q.clone()) {
                        stack.push(q.clone());
                    }
                }
            }
        }
        let mut sources: Vec<NamedNode> = sources.into_iter().collect();
        sources.sort();
        for p in sources {
            for q in store.quads_for_pattern(None, Some(p.as_ref()), None, None) {
                add(&mut self.input, q?);
            }
        }
        Ok(())
    }

    /// Reasons on what was added. The returned quads go into the store
    /// with the new triples (in the same bulk load, for `aikg load`).
    pub fn finish(mut self, store: &Store) -> Result<Pending> {
        let finishing = Instant::now();
        if self.mode == Mode::Incremental && self.changes_schema() {
            self.mode = Mode::Full;
        }
        let mut pending = Pending {
            quads: Vec::new(),
            now_stated: Vec::new(),
            rules: self.rules,
            mode: self.mode,
            record: self.record,
            summary: None,
        };
        if self.mode == Mode::Full {
            // Until the recompute after the commit is done, the store's
            // inferred triples are not of its data: unrecorded, they are not
            // used (and `aikg infer` says so if the run is cut short).
            remove_record(store)?;
            return Ok(pending);
        }
        if self.rules.is_empty() {
            return Ok(pending);
        }
        let started = Instant::now();
        // The new triples, to be looked up in the inferred graph below; a
        // fresh store has none, so there is nothing to sort or look up.
        let added = match self.mode {
            Mode::Fresh => Vec::new(),
            _ => {
                let mut added = std::mem::take(&mut self.added);
                added.sort_unstable();
                added.dedup();
                added
            }
        };
        let new_triples = match self.mode {
            Mode::Fresh => self.input.len(),
            _ => added.len(),
        };
        let closure = engine::materialise(self.input, self.rules);
        crate::timing("reason: closure", started);
        // What the store's own triples read here imply is in its inferred
        // graph already (it was materialised with these rules, and they are
        // a part of its data): only the rest is looked up in the store. The
        // look-ups, one per row, cost far more than this second closure.
        let started = Instant::now();
        let base = match self.base.take() {
            Some(base) if self.mode == Mode::Incremental => {
                // After an insert the new triples were read from the store
                // with the rest: what was there before is the rest only.
                let base = if self.already_in {
                    without_rows(&base, &added)
                } else {
                    base
                };
                Some(engine::materialise(base, self.rules))
            }
            _ => None,
        };
        let known: FxHashSet<(&Term, &Term, &Term)> = base
            .as_ref()
            .map(|b| b.inferred().map(|row| b.terms_of(row)).collect())
            .unwrap_or_default();
        crate::timing("reason: closure before", started);
        let inferred = GraphName::from(named(INFERRED_GRAPH));
        let mut rows = Vec::new();
        for row in closure.inferred() {
            if self.mode == Mode::Incremental
                && (known.contains(&closure.terms_of(row)) || holds_in(store, &closure, row)?)
            {
                continue;
            }
            pending.quads.push(inferred_quad(&closure, row, &inferred));
            rows.push(row);
        }
        // A triple the inferred graph holds and the new data states: stated now.
        for row in added {
            let quad = inferred_quad(&closure, row, &inferred);
            if store.contains(quad.as_ref())? {
                pending.now_stated.push(quad);
            }
        }
        crate::timing("reason: quads", finishing);
        let mut summary = Summary::of_rows(&closure, rows.into_iter(), finishing);
        summary.stated = new_triples;
        summary.seconds += self.spent.as_secs_f64();
        pending.summary = Some(summary);
        Ok(pending)
    }

    /// Do the new triples hold an axiom or an owl:sameAs between own entities?
    fn changes_schema(&self) -> bool {
        let triples = self.input.triples();
        self.added
            .iter()
            // A row read from the store was there before, unless the new
            // triples were inserted first.
            .filter(|&&row| self.already_in || row as usize >= self.from_store)
            .any(|&row| {
                let t = triples[row as usize];
                reads_as_schema(self.rules, t)
                    && (t[1] != vocab::SAME_AS
                        || is_own_same_as(self.input.terms.term(t[0]), self.input.terms.term(t[2])))
            })
    }
}

/// `input` without the rows `rows`.
fn without_rows(input: &Input, rows: &[u32]) -> Input {
    let rows: FxHashSet<u32> = rows.iter().copied().collect();
    let mut out = Input::new();
    for (row, [s, p, o]) in input.triples().iter().enumerate() {
        if rows.contains(&(row as u32)) {
            continue;
        }
        let (s, p, o) = (
            input.terms.term(*s),
            input.terms.term(*p),
            input.terms.term(*o),
        );
        let Term::NamedNode(p) = p else { continue };
        let s = match s {
            Term::NamedNode(n) => oxigraph::model::TermRef::from(n.as_ref()),
            Term::BlankNode(b) => b.as_ref().into(),
            _ => continue,
        };
        out.add(s, p.as_ref(), o.as_ref());
    }
    out
}

/// Is the closure's row already a triple of the store (in any graph)?
fn holds_in(store: &Store, closure: &Closure, row: u32) -> Result<bool> {
    let (s, p, o) = closure.terms_of(row);
    let Term::NamedNode(p) = p else {
        return Ok(false);
    };
    let subject = match s {
        Term::NamedNode(n) => oxigraph::model::NamedOrBlankNodeRef::from(n.as_ref()),
        Term::BlankNode(b) => b.as_ref().into(),
        _ => return Ok(false),
    };
    Ok(store
        .quads_for_pattern(Some(subject), Some(p.as_ref()), Some(o.as_ref()), None)
        .next()
        .transpose()?
        .is_some())
}

impl Pending {
    /// Once the data and [`Pending::quads`] are committed: the triples the
    /// new data states leave the inferred graph, the rules are recorded; or,
    /// when the new triples change the schema, everything is recomputed.
    pub fn complete(self, store: &Store) -> Result<Summary> {
        if self.mode == Mode::Full {
            return materialise_store(store, self.rules);
        }
        for quad in &self.now_stated {
            store.remove(quad.as_ref())?;
        }
        if self.record {
            remove_record(store)?;
            store.insert_named_graph(
                graph(&format!("{RULES_GRAPH_PREFIX}{}", self.rules)).as_ref(),
            )?;
        }
        Ok(self.summary.unwrap_or_else(|| {
            Summary::of(
                &engine::materialise(Input::new(), self.rules),
                Instant::now(),
            )
        }))
    }
}

/// After quads were inserted into a store (a server's Graph Store or UPDATE
/// request): its inferred graph brought up to date. Incremental when the
/// new quads hold no axiom and no owl:sameAs between own entities; in full
/// (as after a deletion: call [`materialise_store`]) otherwise.
pub fn after_insert(store: &Store, added: &[Quad], reasoning: Reasoning) -> Result<Summary> {
    let mut inc = Incremental::begin(store, reasoning)?;
    inc.already_in = true;
    for q in added {
        inc.add(q.as_ref());
    }
    let mut pending = inc.finish(store)?;
    store.extend(std::mem::take(&mut pending.quads))?;
    pending.complete(store)
}

/// Bulk-loads `quads` into `store` with what they imply, in one commit (what
/// `aikg import` does with converted external data).
pub fn bulk_load(
    store: &Store,
    quads: Vec<Quad>,
    reasoning: Option<Reasoning>,
) -> Result<Option<Summary>> {
    let mut reasoner = match reasoning {
        Some(r) => Some(Incremental::begin(store, r)?),
        None => None,
    };
    if let Some(r) = &mut reasoner {
        for q in &quads {
            r.add(q.as_ref());
        }
    }
    let mut pending = match reasoner {
        Some(r) => Some(r.finish(store)?),
        None => None,
    };
    let mut loader = store.bulk_loader();
    loader.load_quads(quads)?;
    if let Some(p) = &mut pending {
        loader.load_quads(std::mem::take(&mut p.quads))?;
    }
    loader.commit()?;
    pending.map(|p| p.complete(store)).transpose()
}
