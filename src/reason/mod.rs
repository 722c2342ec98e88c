//! Reasoning from the ontology: what the graph implies, materialised apart,
//! explained and checked.
//!
//! - [`rules`]: the rule families `--reasoning` chooses (RDFS and the OWL 2
//!   RL rules the ontology uses) and the rules derivations name;
//! - [`engine`]: forward chaining to a fixpoint, each inferred triple with
//!   the rule and premises it comes from;
//! - [`axioms`]: what the ontology says that the rules do not use, said
//!   rather than skipped;
//! - [`materialise`]: the inferred triples in their own named graph, for the
//!   in-memory store at start-up and for persistent stores (`aikg load`,
//!   `aikg infer --store`, and a server after a write);
//! - [`incremental`]: what added triples imply, without reading the whole
//!   store back (during `aikg load`, `aikg import`, a server's insert);
//! - [`explain`]: each inferred fact down to the stated facts, passages and
//!   quotes it rests on;
//! - [`checks`]: what only reasoning reveals (disjoint classes met after
//!   inference, transitive cycles, symmetric or inverse properties used with
//!   a literal), located at the stated triples behind it.

pub mod axioms;
pub mod checks;
pub mod engine;
pub mod explain;
pub mod incremental;
pub mod materialise;
pub mod rules;

pub use engine::{Closure, Input};
pub use materialise::{materialise_store, materialised_rules, open_view, Summary, View};
pub use rules::{Family, Reasoning, Rule, RuleSet};

use oxigraph::model::{GraphNameRef, NamedOrBlankNodeRef, QuadRef};

/// The named graph that holds the inferred triples (never a stated one).
pub const INFERRED_GRAPH: &str = "https://w3id.org/aikg/inferred";

/// Prefix of the (empty) named graph whose name records the rules the
/// inferred graph was computed with: `…/inferred/rules/rl`. Empty graphs
/// add no triple to any query; oxigraph keeps them.
pub const RULES_GRAPH_PREFIX: &str = "https://w3id.org/aikg/inferred/rules/";

/// Is this one of the graphs reasoning writes (the inferred triples or the
/// record of their rules)?
pub fn is_reasoning_graph(graph: GraphNameRef<'_>) -> bool {
    matches!(graph, GraphNameRef::NamedNode(g) if is_reasoning_graph_name(g.as_str()))
}

/// [`is_reasoning_graph`] for a graph name as listed by `named_graphs()`.
pub fn is_reasoning_graph_node(graph: NamedOrBlankNodeRef<'_>) -> bool {
    matches!(graph, NamedOrBlankNodeRef::NamedNode(g) if is_reasoning_graph_name(g.as_str()))
}

fn is_reasoning_graph_name(iri: &str) -> bool {
    iri == INFERRED_GRAPH || iri.starts_with(RULES_GRAPH_PREFIX)
}

/// The closure of some quads (their RDF merge: graphs are not kept apart)
/// under `rules`.
pub fn closure_of<'a>(quads: impl IntoIterator<Item = QuadRef<'a>>, rules: RuleSet) -> Closure {
    let mut input = Input::new();
    for q in quads {
        input.add(q.subject, q.predicate, q.object);
    }
    engine::materialise(input, rules)
}
