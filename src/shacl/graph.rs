//! A compact, read-only index of an RDF graph for validation: every term is
//! interned to a `u32`, and the triples are kept twice in compressed sparse
//! rows, by subject (predicate, object sorted) and by object (predicate,
//! subject sorted). Looking up the objects of (s, p) or the subjects of
//! (p, o) is a slice of the index, with no allocation.
//!
//! The graph is the union of the quads' graphs (SHACL validates one graph;
//! for a dataset with a named graph per source passage, that is the union).

use super::sparql::DocumentPrefixes;
use oxigraph::model::{NamedNode, NamedNodeRef, QuadRef, Term, TermRef, TripleRef};
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};

/// A term's number in a [`Graph`].
pub type Id = u32;

const NONE: Id = Id::MAX;

pub use crate::namespaces::{RDFS_LABEL, RDF_TYPE};
pub const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
pub const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
pub const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
pub const RDFS_SUBCLASSOF: &str = "http://www.w3.org/2000/01/rdf-schema#subClassOf";

/// An interned, indexed graph.
#[derive(Default)]
pub struct Graph {
    terms: Vec<Term>,
    /// Hash of a term -> first id with that hash; `chain` links the others.
    buckets: FxHashMap<u64, Id>,
    chain: Vec<Id>,
    /// Triples by subject: `out_p`/`out_o` sorted by (s, p, o), rows in `s_off`.
    s_off: Vec<u32>,
    out_p: Vec<Id>,
    out_o: Vec<Id>,
    /// Triples by object: `in_p`/`in_s` sorted by (o, p, s), rows in `o_off`.
    o_off: Vec<u32>,
    in_p: Vec<Id>,
    in_s: Vec<Id>,
    rdf_type: Id,
    subclass_of: Id,
    /// Of a shapes graph: the prefixes its documents declare, the last
    /// fallback of its SPARQL queries' prefixes.
    document_prefixes: DocumentPrefixes,
}

fn hash_of(term: TermRef<'_>) -> u64 {
    let mut h = FxHasher::default();
    term.hash(&mut h);
    h.finish()
}

/// Builds a [`Graph`]: add triples, then [`GraphBuilder::build`].
#[derive(Default)]
pub struct GraphBuilder {
    graph: Graph,
    triples: Vec<[Id; 3]>,
}

impl GraphBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a triple; returns its terms' ids.
    pub fn add(&mut self, triple: TripleRef<'_>) -> [Id; 3] {
        let s = self.graph.intern_ref(triple.subject.into());
        let p = self.graph.intern_ref(triple.predicate.into());
        let o = self.graph.intern_ref(triple.object);
        self.triples.push([s, p, o]);
        [s, p, o]
    }

    /// The id of a term, interned if new (for a caller that adds the
    /// triple itself with [`GraphBuilder::push`]).
    #[inline]
    pub fn intern(&mut self, term: TermRef<'_>) -> Id {
        self.graph.intern_ref(term)
    }

    /// Adds a triple of ids from [`GraphBuilder::intern`].
    #[inline]
    pub fn push(&mut self, triple: [Id; 3]) {
        self.triples.push(triple);
    }

    /// How many triples were added so far (see [`GraphBuilder::rollback`]).
    pub fn checkpoint(&self) -> usize {
        self.triples.len()
    }

    /// Forgets the triples added since `checkpoint` (their terms stay
    /// interned, with no triples).
    pub fn rollback(&mut self, checkpoint: usize) {
        self.triples.truncate(checkpoint);
    }

    /// Adds every triple of `other`; returns, for each id of `other`, its id here.
    pub fn merge(&mut self, other: GraphBuilder) -> Vec<Id> {
        // This runs on one thread after a parallel scan: reuse `other`'s
        // hashes (from its buckets and chains) and move its terms, rather
        // than hash and clone each again.
        let GraphBuilder {
            graph: other_graph,
            triples: other_triples,
        } = other;
        let mut hashes = vec![0u64; other_graph.terms.len()];
        for (&h, &first) in &other_graph.buckets {
            let mut id = first;
            while id != NONE {
                hashes[id as usize] = h;
                id = other_graph.chain[id as usize];
            }
        }
        self.graph.terms.reserve(other_graph.terms.len());
        let remap: Vec<Id> = other_graph
            .terms
            .into_iter()
            .zip(hashes)
            .map(|(t, h)| self.graph.intern_hashed(t, h))
            .collect();
        let other = GraphBuilder {
            graph: Graph::default(),
            triples: other_triples,
        };
        self.triples.extend(
            other
                .triples
                .iter()
                .map(|[s, p, o]| [remap[*s as usize], remap[*p as usize], remap[*o as usize]]),
        );
        remap
    }

    pub fn add_quad(&mut self, quad: QuadRef<'_>) {
        let _ = self.add(TripleRef::new(quad.subject, quad.predicate, quad.object));
    }

    pub fn build(self) -> Graph {
        let GraphBuilder { mut graph, triples } = self;
        let n = graph.terms.len();
        (graph.s_off, graph.out_p, graph.out_o) = rows(n, &triples, |[s, p, o]| (s, p, o));
        (graph.o_off, graph.in_p, graph.in_s) = rows(n, &triples, |[s, p, o]| (o, p, s));
        drop(triples);
        graph.rdf_type = graph.intern_ref(NamedNodeRef::new_unchecked(RDF_TYPE).into());
        graph.subclass_of = graph.intern_ref(NamedNodeRef::new_unchecked(RDFS_SUBCLASSOF).into());
        graph
    }
}

/// Compressed sparse rows of `triples` by `key`: row offsets (keys in
/// `0..n`), then each row's (a, b) pairs sorted and distinct. A counting
/// sort by key, then a sort of each (mostly short) row as `u64`s: linear
/// rather than a comparison sort of all the triples.
fn rows(
    n: usize,
    triples: &[[Id; 3]],
    key: impl Fn([Id; 3]) -> (Id, Id, Id),
) -> (Vec<u32>, Vec<Id>, Vec<Id>) {
    let mut off = vec![0u32; n + 1];
    for &t in triples {
        off[key(t).0 as usize + 1] += 1;
    }
    for i in 1..off.len() {
        off[i] += off[i - 1];
    }
    let mut next = off.clone();
    let mut pairs = vec![0u64; triples.len()];
    for &t in triples {
        let (k, a, b) = key(t);
        let slot = &mut next[k as usize];
        pairs[*slot as usize] = (a as u64) << 32 | b as u64;
        *slot += 1;
    }
    // Sort and dedup each row, compacting in place (a row only moves left).
    let mut write = 0usize;
    let mut start = 0usize;
    for k in 0..n {
        let end = off[k + 1] as usize;
        let row_start = write;
        pairs[start..end].sort_unstable();
        let mut last = None;
        for i in start..end {
            let v = pairs[i];
            if last != Some(v) {
                pairs[write] = v;
                write += 1;
                last = Some(v);
            }
        }
        off[k] = row_start as u32;
        start = end;
    }
    off[n] = write as u32;
    pairs.truncate(write);
    let first = pairs.iter().map(|&v| (v >> 32) as Id).collect();
    let second = pairs.iter().map(|&v| v as Id).collect();
    (off, first, second)
}

/// The sub-range of a row whose predicate is `p` (rows are sorted by predicate).
fn predicate_range(preds: &[Id], start: usize, end: usize, p: Id) -> (usize, usize) {
    let row = &preds[start..end];
    let lo = row.partition_point(|&x| x < p);
    let hi = lo + row[lo..].partition_point(|&x| x == p);
    (start + lo, start + hi)
}

impl Graph {
    /// Builds a graph from quads (their graph names are ignored).
    pub fn from_quads<'a>(quads: impl IntoIterator<Item = QuadRef<'a>>) -> Self {
        let mut b = GraphBuilder::new();
        for q in quads {
            b.add_quad(q);
        }
        b.build()
    }

    fn intern_ref(&mut self, term: TermRef<'_>) -> Id {
        let h = hash_of(term);
        if let Some(&first) = self.buckets.get(&h) {
            let mut id = first;
            loop {
                if self.terms[id as usize].as_ref() == term {
                    return id;
                }
                let next = self.chain[id as usize];
                if next == NONE {
                    break;
                }
                id = next;
            }
            let new = self.terms.len() as Id;
            self.terms.push(term.into_owned());
            self.chain.push(NONE);
            self.chain[id as usize] = new;
            new
        } else {
            let new = self.terms.len() as Id;
            self.terms.push(term.into_owned());
            self.chain.push(NONE);
            self.buckets.insert(h, new);
            new
        }
    }

    /// Interns an owned term whose [`hash_of`] is `h` (moved, not cloned).
    fn intern_hashed(&mut self, term: Term, h: u64) -> Id {
        let new = self.terms.len() as Id;
        match self.buckets.entry(h) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let mut id = *e.get();
                loop {
                    if self.terms[id as usize] == term {
                        return id;
                    }
                    let next = self.chain[id as usize];
                    if next == NONE {
                        break;
                    }
                    id = next;
                }
                self.chain[id as usize] = new;
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(new);
            }
        }
        self.terms.push(term);
        self.chain.push(NONE);
        new
    }

    /// Gives a shapes graph the prefixes its documents declare (their
    /// `@prefix` lines): what its SPARQL queries fall back on for a prefix
    /// that neither the query nor its `sh:prefixes` declare.
    pub fn set_document_prefixes(&mut self, prefixes: DocumentPrefixes) {
        self.document_prefixes = prefixes;
    }

    pub fn document_prefixes(&self) -> &DocumentPrefixes {
        &self.document_prefixes
    }

    /// The id of a term, adding it (with no triples) if the graph lacks it.
    pub fn intern(&mut self, term: TermRef<'_>) -> Id {
        self.intern_ref(term)
    }

    /// The id of a term, if the graph has it.
    pub fn id(&self, term: TermRef<'_>) -> Option<Id> {
        let mut id = *self.buckets.get(&hash_of(term))?;
        loop {
            if self.terms[id as usize].as_ref() == term {
                return Some(id);
            }
            id = self.chain[id as usize];
            if id == NONE {
                return None;
            }
        }
    }

    pub fn iri_id(&self, iri: &str) -> Option<Id> {
        self.id(NamedNodeRef::new_unchecked(iri).into())
    }

    pub fn term(&self, id: Id) -> &Term {
        &self.terms[id as usize]
    }

    pub fn len_terms(&self) -> usize {
        self.terms.len()
    }

    pub fn len_triples(&self) -> usize {
        self.out_o.len()
    }

    pub fn rdf_type(&self) -> Id {
        self.rdf_type
    }

    pub fn subclass_of(&self) -> Id {
        self.subclass_of
    }

    fn row(off: &[u32], id: Id) -> (usize, usize) {
        let i = id as usize;
        if i + 1 < off.len() {
            (off[i] as usize, off[i + 1] as usize)
        } else {
            (0, 0)
        }
    }

    /// Objects of (s, p, ?), sorted, distinct.
    pub fn objects(&self, s: Id, p: Id) -> &[Id] {
        let (start, end) = Self::row(&self.s_off, s);
        let (a, b) = predicate_range(&self.out_p, start, end, p);
        &self.out_o[a..b]
    }

    /// Subjects of (?, p, o), sorted, distinct.
    pub fn subjects(&self, p: Id, o: Id) -> &[Id] {
        let (start, end) = Self::row(&self.o_off, o);
        let (a, b) = predicate_range(&self.in_p, start, end, p);
        &self.in_s[a..b]
    }

    /// Every (p, o) of a subject, sorted.
    pub fn outgoing(&self, s: Id) -> impl Iterator<Item = (Id, Id)> + '_ {
        let (start, end) = Self::row(&self.s_off, s);
        (start..end).map(move |i| (self.out_p[i], self.out_o[i]))
    }

    /// Every (p, s) of an object, sorted.
    pub fn incoming(&self, o: Id) -> impl Iterator<Item = (Id, Id)> + '_ {
        let (start, end) = Self::row(&self.o_off, o);
        (start..end).map(move |i| (self.in_p[i], self.in_s[i]))
    }

    /// Every triple, sorted by subject.
    pub fn triples(&self) -> impl Iterator<Item = [Id; 3]> + '_ {
        (0..self.s_off.len().saturating_sub(1)).flat_map(move |s| {
            let (a, b) = (self.s_off[s] as usize, self.s_off[s + 1] as usize);
            (a..b).map(move |i| [s as Id, self.out_p[i], self.out_o[i]])
        })
    }

    /// Every predicate of the graph, sorted, distinct.
    pub fn predicates(&self) -> Vec<Id> {
        let mut p = self.out_p.clone();
        p.sort_unstable();
        p.dedup();
        p
    }

    /// Subjects and objects of every triple whose predicate is `p`.
    pub fn pairs_with_predicate(&self, p: Id) -> impl Iterator<Item = (Id, Id)> + '_ {
        self.triples()
            .filter(move |t| t[1] == p)
            .map(|t| (t[0], t[2]))
    }

    pub fn has(&self, s: Id, p: Id, o: Id) -> bool {
        self.objects(s, p).binary_search(&o).is_ok()
    }

    /// The one object of (s, p), if there is exactly one or at least one.
    pub fn object(&self, s: Id, p: Id) -> Option<Id> {
        self.objects(s, p).first().copied()
    }

    /// The items of an RDF list, or `None` if `head` is not a well-formed list.
    pub fn list(&self, head: Id) -> Option<Vec<Id>> {
        let first = self.iri_id(RDF_FIRST);
        let rest = self.iri_id(RDF_REST);
        let nil = self.iri_id(RDF_NIL);
        let mut items = Vec::new();
        let mut node = head;
        let mut seen = 0usize;
        loop {
            if Some(node) == nil {
                return Some(items);
            }
            let (Some(first), Some(rest)) = (first, rest) else {
                return None;
            };
            let f = self.objects(node, first);
            let r = self.objects(node, rest);
            if f.len() != 1 || r.len() != 1 {
                return None;
            }
            items.push(f[0]);
            node = r[0];
            seen += 1;
            if seen > self.len_triples() {
                return None;
            }
        }
    }

    /// A class and its sub-classes (^rdfs:subClassOf*).
    pub fn subclasses_closure(&self, class: Id) -> Vec<Id> {
        let mut seen = vec![class];
        let mut i = 0;
        while i < seen.len() {
            for &sub in self.subjects(self.subclass_of, seen[i]) {
                if !seen.contains(&sub) {
                    seen.push(sub);
                }
            }
            i += 1;
        }
        seen
    }

    /// A class and its super-classes (rdfs:subClassOf*).
    pub fn superclasses_closure(&self, class: Id) -> Vec<Id> {
        self.subclass_closure(vec![class])
    }

    /// The classes a node has, following rdf:type/rdfs:subClassOf*.
    pub fn types_closure(&self, node: Id) -> Vec<Id> {
        self.subclass_closure(self.objects(node, self.rdf_type).to_vec())
    }

    /// `seed` and every class reachable from it by rdfs:subClassOf.
    fn subclass_closure(&self, mut seen: Vec<Id>) -> Vec<Id> {
        let mut i = 0;
        while i < seen.len() {
            for &sup in self.objects(seen[i], self.subclass_of) {
                if !seen.contains(&sup) {
                    seen.push(sup);
                }
            }
            i += 1;
        }
        seen
    }

    /// Every SHACL instance of `class` (rdf:type/rdfs:subClassOf*), sorted.
    pub fn instances(&self, class: Id) -> Vec<Id> {
        let mut out = Vec::new();
        for c in self.subclasses_closure(class) {
            out.extend_from_slice(self.subjects(self.rdf_type, c));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn named(&self, id: Id) -> Option<&NamedNode> {
        match self.term(id) {
            Term::NamedNode(n) => Some(n),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode, Triple};

    fn n(s: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("http://e/{s}"))
    }

    #[test]
    fn index_answers_both_directions() {
        let triples = [
            Triple::new(n("a"), n("p"), n("b")),
            Triple::new(n("a"), n("p"), n("c")),
            Triple::new(n("a"), n("q"), Literal::new_simple_literal("x")),
            Triple::new(n("d"), n("p"), n("b")),
            Triple::new(n("a"), n("p"), n("b")),
        ];
        let mut b = GraphBuilder::new();
        for t in &triples {
            b.add(t.as_ref());
        }
        let g = b.build();
        assert_eq!(g.len_triples(), 4);
        let id = |s: &str| g.id(n(s).as_ref().into()).unwrap();
        let objs: Vec<_> = g
            .objects(id("a"), id("p"))
            .iter()
            .map(|&o| g.term(o).clone())
            .collect();
        assert_eq!(objs.len(), 2);
        assert_eq!(g.subjects(id("p"), id("b")).len(), 2);
        assert!(g.objects(id("b"), id("p")).is_empty());
        assert!(g.id(n("zz").as_ref().into()).is_none());
    }
}
