//! How `aikg push` lays the graph out in a remote store, and how readers
//! see the aikg dataset there.
//!
//! - Each named graph of the sources (one per passage, the ontology's, each
//!   linkset's) is a named graph of the store, under its own IRI: the
//!   provenance travels.
//! - The RDF merge of everything (what local queries see as their default
//!   graph) is one more graph, `…/push/merged/HASH`, named by its content.
//!   Triples outside any named graph live only there, or, when the sources
//!   also have named graphs, in `…/push/default/HASH` too.
//! - Normalised names of every entity (for resolving a name with one index
//!   look-up) are in `…/push/names/HASH`.
//! - A manifest records all of this: which graphs aikg pushed (with their
//!   SHA-256 and size, so pushing again skips what did not change, and
//!   `--replace` knows what to drop), and which merge is current. Each push
//!   writes its manifest into a graph of its own, `…/push/manifest/HASH`,
//!   and only then adds one line to `…/push/manifest`, the list of
//!   manifests (sequence number, entries), which is appended to and never
//!   rewritten. Readers take the newest manifest that is whole (as many
//!   entries as its line says). A store's `PUT` need not be atomic for
//!   readers (Virtuoso's is not: a graph being replaced reads empty, then
//!   half-written, for a moment): no graph a reader picks its dataset from
//!   is ever replaced, so a reader sees the previous push or the new one,
//!   never half, nor the whole store as if no push had been made.
//! - Blank nodes travel as skolem IRIs (RDF 1.1 Concepts §3.5) under
//!   `…/.well-known/genid/`, so that one node stays one across graphs and
//!   requests; answers turn them back into blank nodes.
//!
//! Reading a store laid out this way, queries are rewritten (their algebra,
//! not their text): patterns on the default graph read the merge, and
//! `GRAPH ?g` ranges over the graphs the manifest lists. A store aikg did not
//! fill (no manifest) is read as its endpoint's default dataset, or the
//! graph given with `--default-graph`.

use oxigraph::model::{BlankNode, NamedNode, Term, Triple};

/// The namespace of the manifest's terms.
pub const NS: &str = "https://w3id.org/aikg/push#";
/// The list of manifests: one line per push, appended, never rewritten.
pub const MANIFEST_GRAPH: &str = "https://w3id.org/aikg/push/manifest";
const MANIFESTS_PREFIX: &str = "https://w3id.org/aikg/push/manifest/";
const MERGED_PREFIX: &str = "https://w3id.org/aikg/push/merged/";
const DEFAULT_PREFIX: &str = "https://w3id.org/aikg/push/default/";
const NAMES_PREFIX: &str = "https://w3id.org/aikg/push/names/";
/// Where blank nodes go (RDF 1.1 Concepts §3.5).
pub const SKOLEM_PREFIX: &str = "https://w3id.org/aikg/.well-known/genid/";

pub fn term(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{NS}{local}"))
}

pub fn merged_graph(hash: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{MERGED_PREFIX}{hash}"))
}

pub fn default_graph(hash: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{DEFAULT_PREFIX}{hash}"))
}

pub fn names_graph(hash: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{NAMES_PREFIX}{hash}"))
}

/// The graph of one push's manifest.
pub fn manifest_graph(hash: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{MANIFESTS_PREFIX}{hash}"))
}

/// Graphs aikg writes for itself (merges, names, defaults, the manifest):
/// `--replace` and clean-up may drop those the manifest no longer lists.
pub fn is_own_graph(iri: &str) -> bool {
    iri == MANIFEST_GRAPH
        || iri.starts_with(MANIFESTS_PREFIX)
        || iri.starts_with(MERGED_PREFIX)
        || iri.starts_with(DEFAULT_PREFIX)
        || iri.starts_with(NAMES_PREFIX)
}

/// A blank node as the IRI it travels as.
pub fn skolemize(node: &BlankNode) -> NamedNode {
    NamedNode::new_unchecked(format!("{SKOLEM_PREFIX}{}", node.as_str()))
}

/// A term as it is sent: blank nodes skolemised.
pub fn skolemize_term(term: &Term) -> Term {
    match term {
        Term::BlankNode(b) => skolemize(b).into(),
        other => other.clone(),
    }
}

/// A term as read back: skolem IRIs of ours are blank nodes again.
pub fn unskolemize_term(term: Term) -> Term {
    match term {
        Term::NamedNode(n) => match n.as_str().strip_prefix(SKOLEM_PREFIX) {
            Some(id) => BlankNode::new(id)
                .map(Term::from)
                .unwrap_or(Term::NamedNode(n)),
            None => Term::NamedNode(n),
        },
        other => other,
    }
}

pub fn unskolemize_triple(t: Triple) -> Triple {
    let subject: oxigraph::model::NamedOrBlankNode = match unskolemize_term(t.subject.into()) {
        Term::NamedNode(n) => n.into(),
        Term::BlankNode(b) => b.into(),
        _ => unreachable!("a subject stays a subject"),
    };
    Triple::new(subject, t.predicate, unskolemize_term(t.object))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skolem_iris_round_trip() {
        let b = BlankNode::new("f00ab12x").unwrap();
        let sent = skolemize_term(&b.clone().into());
        assert!(matches!(&sent, Term::NamedNode(n) if n.as_str().ends_with("/genid/f00ab12x")));
        assert_eq!(unskolemize_term(sent), Term::from(b));
        let other = Term::from(NamedNode::new_unchecked(
            "https://example.org/.well-known/genid/x",
        ));
        assert_eq!(unskolemize_term(other.clone()), other);
    }
}
