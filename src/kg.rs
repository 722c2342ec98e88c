//! One way in for reading. Every reading command (query and named queries,
//! explain, stats, export, path, neighbors, rank, components, check of a
//! store) reads the graph through [`Kg`], which has two implementations:
//! a local oxigraph [`Store`] (the bundled graph in memory, or a RocksDB
//! store) and a remote SPARQL 1.1 endpoint ([`crate::remote::Remote`]).
//!
//! What readers need beyond a SPARQL query is here too, with a twin on each
//! side: the statements about a set of nodes (a neighbourhood, read a level
//! at a time), and every statement of the graph, handed over in parts (the
//! local store shares them out between threads; the remote one pages
//! through them).
//!
//! "The data" is what the sources state: the ontology's graph and aikg's own
//! bookkeeping graphs (the in-memory merge, a push manifest) and the graphs
//! reasoning writes are left out.
//! Queries see the aikg dataset: the default graph is the merge of every
//! graph (a fact stated by two passages is one triple), `GRAPH ?g` ranges
//! over the sources' named graphs.

use crate::error::{Error, Result};
use crate::query::{Answer, EvalOptions, Query};
use crate::search::SearchIndex;
use crate::store::ONTOLOGY_GRAPH;
use oxigraph::model::{
    GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, Triple, Variable,
};
use oxigraph::sparql::QuerySolution;
use oxigraph::store::Store;
use std::path::PathBuf;
use std::sync::Arc;

/// A pattern over the data's statements: each position is any term (None)
/// or one of a list.
#[derive(Clone, Copy, Debug, Default)]
pub struct Pattern<'a> {
    pub subjects: Option<&'a [NamedOrBlankNode]>,
    pub predicates: Option<&'a [NamedNode]>,
    pub objects: Option<&'a [Term]>,
}

/// What a whole-graph read reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The data: the ontology's graph left out.
    Data,
    /// The data and the ontology's graph (aikg's bookkeeping still left out).
    WithOntology,
}

/// The parts a whole-graph read is handed over in: each an iterator of
/// quads, possibly on several threads at once.
pub type PartReader<'a> = dyn Fn(&mut dyn Iterator<Item = Result<Quad>>) -> Result<()> + Sync + 'a;

/// A knowledge graph to read: a local store or a remote endpoint.
pub trait Kg: Send + Sync {
    /// Where the graph is, for messages.
    fn location(&self) -> String;

    /// Evaluates a query on the aikg dataset, `bindings` bound as RDF terms.
    fn evaluate(
        &self,
        query: &Query,
        bindings: &[(Variable, Term)],
        options: &EvalOptions,
    ) -> Result<Answer>;

    /// Does the dataset hold aikg's ontology graph? (If not, readers that
    /// need the vocabulary complete it with the bundled ontology.)
    fn has_ontology_graph(&self) -> Result<bool>;

    /// The data's statements matching `pattern`, each once, sorted.
    fn statements(&self, pattern: Pattern<'_>) -> Result<Vec<Triple>>;

    /// Every quad of the data (and of the ontology, with
    /// [`Scope::WithOntology`]), with its graph name, handed to `each` in
    /// parts. The parts may be read on several threads at once.
    fn scan(&self, scope: Scope, each: &PartReader<'_>) -> Result<()>;

    /// How many statements the data has, about (for choosing how to read).
    fn approximate_len(&self) -> Result<usize>;

    /// The entities whose name, normalised as [`crate::resolve::normalize`]
    /// does, is `key`, when the graph keeps an index of names; None when
    /// names must be looked through.
    fn entities_named(&self, _key: &str) -> Result<Option<Vec<NamedNode>>> {
        Ok(None)
    }

    /// A file of the data's statements as N-Quads, in the form the graph
    /// gives them, when the graph keeps one and it is up to date (a
    /// persistent store's read-optimised copy, [`crate::graph::snapshot`]):
    /// whole-graph readers scan it rather than decode the store.
    fn data_snapshot(&self) -> Option<PathBuf> {
        None
    }

    /// The local store, for the few commands that write or link from one.
    fn as_store(&self) -> Option<&Store> {
        None
    }

    /// The search index of a local graph's names (None for a remote one,
    /// named through [`Kg::entities_named`]). A server keeps its own, built
    /// once per state of the graph, rather than one per request.
    fn search_index(&self) -> Result<Option<Arc<SearchIndex>>> {
        self.as_store().map(crate::search::for_store).transpose()
    }
}

/// Runs a SELECT query of the library's own on `kg` and returns its rows
/// (on the stated facts: what the sources say, never what is inferred).
pub fn select(kg: &dyn Kg, sparql: &str) -> Result<Vec<QuerySolution>> {
    let options = EvalOptions {
        stated_only: true,
        ..EvalOptions::default()
    };
    match kg.evaluate(&Query::parse(sparql, "aikg")?, &[], &options)? {
        Answer::Solutions { rows, .. } => Ok(rows),
        _ => Err(Error::QueryEvaluation("expected a SELECT query".into())),
    }
}

/// Every quad in `scope`, read whole.
pub fn all_quads(kg: &dyn Kg, scope: Scope) -> Result<Vec<Quad>> {
    let all = std::sync::Mutex::new(Vec::new());
    kg.scan(scope, &|quads| {
        let part = quads.collect::<Result<Vec<Quad>>>()?;
        all.lock().unwrap_or_else(|e| e.into_inner()).extend(part);
        Ok(())
    })?;
    Ok(all.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// The ontology's graph, aikg's merged graph and the graphs reasoning
/// writes (what the sources imply, not what they state) hold none of the
/// data.
pub fn is_data_graph(graph: GraphNameRef<'_>) -> bool {
    in_scope(graph, Scope::Data)
}

fn in_scope(graph: GraphNameRef<'_>, scope: Scope) -> bool {
    match graph {
        GraphNameRef::NamedNode(g) => {
            g.as_str() != crate::store::MERGED_GRAPH
                && !crate::reason::is_reasoning_graph(graph)
                && (scope == Scope::WithOntology || g.as_str() != ONTOLOGY_GRAPH)
        }
        _ => true,
    }
}

impl Kg for Store {
    fn location(&self) -> String {
        "the local store".into()
    }

    fn evaluate(
        &self,
        query: &Query,
        bindings: &[(Variable, Term)],
        options: &EvalOptions,
    ) -> Result<Answer> {
        crate::query::evaluate_with(self, query, bindings, options)
    }

    fn has_ontology_graph(&self) -> Result<bool> {
        Ok(self.contains_named_graph(NamedNodeRef::new_unchecked(ONTOLOGY_GRAPH))?)
    }

    fn statements(&self, pattern: Pattern<'_>) -> Result<Vec<Triple>> {
        let subjects: Vec<Option<&NamedOrBlankNode>> = match pattern.subjects {
            Some(list) => list.iter().map(Some).collect(),
            None => vec![None],
        };
        let predicates: Vec<Option<&NamedNode>> = match pattern.predicates {
            Some(list) => list.iter().map(Some).collect(),
            None => vec![None],
        };
        let objects: Vec<Option<&Term>> = match pattern.objects {
            Some(list) => list.iter().map(Some).collect(),
            None => vec![None],
        };
        let mut out = Vec::new();
        for s in &subjects {
            for p in &predicates {
                for o in &objects {
                    for quad in self.quads_for_pattern(
                        s.map(|s| s.as_ref()),
                        p.map(|p| p.as_ref()),
                        o.map(|o| o.as_ref()),
                        None,
                    ) {
                        let quad = quad?;
                        if is_data_graph(quad.graph_name.as_ref()) {
                            out.push(Triple::from(quad));
                        }
                    }
                }
            }
        }
        out.sort_by_cached_key(ToString::to_string);
        out.dedup();
        Ok(out)
    }

    /// A small store is read in one pass. On a large one the predicates
    /// are shared out between threads (one scan of the predicate index
    /// each), since decoding the terms is what costs.
    fn scan(&self, scope: Scope, each: &PartReader<'_>) -> Result<()> {
        let threads = crate::cores();
        if threads < 2 || self.len()? <= 200_000 {
            let mut quads = self.iter().map(|q| q.map_err(Error::from));
            return each(&mut InScope(&mut quads, scope));
        }
        let mut predicates: Vec<NamedNode> =
            crate::query::select(self, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }")?
                .iter()
                .filter_map(|row| match row.get("p") {
                    Some(Term::NamedNode(p)) => Some(p.clone()),
                    _ => None,
                })
                .collect();
        predicates.sort();
        let queue = std::sync::Mutex::new(predicates);
        let next = || queue.lock().ok().and_then(|mut q| q.pop());
        let wanted = scope;
        std::thread::scope(|threads_scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    threads_scope.spawn(|| -> Result<()> {
                        while let Some(p) = next() {
                            let mut quads = self
                                .quads_for_pattern(None, Some(p.as_ref()), None, None)
                                .map(|q| q.map_err(Error::from));
                            each(&mut InScope(&mut quads, wanted))?;
                        }
                        Ok(())
                    })
                })
                .collect();
            handles.into_iter().try_for_each(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::Storage("a reading thread failed".into())))
            })
        })
    }

    fn approximate_len(&self) -> Result<usize> {
        Ok(self.len()?)
    }

    fn as_store(&self) -> Option<&Store> {
        Some(self)
    }
}

/// A persistent store and its directory (where its read-optimised copy is).
pub struct StoreDir {
    pub store: Store,
    pub dir: PathBuf,
}

impl Kg for StoreDir {
    fn location(&self) -> String {
        format!("the store {}", self.dir.display())
    }

    fn evaluate(
        &self,
        query: &Query,
        bindings: &[(Variable, Term)],
        options: &EvalOptions,
    ) -> Result<Answer> {
        self.store.evaluate(query, bindings, options)
    }

    fn has_ontology_graph(&self) -> Result<bool> {
        self.store.has_ontology_graph()
    }

    fn statements(&self, pattern: Pattern<'_>) -> Result<Vec<Triple>> {
        self.store.statements(pattern)
    }

    fn scan(&self, scope: Scope, each: &PartReader<'_>) -> Result<()> {
        self.store.scan(scope, each)
    }

    fn approximate_len(&self) -> Result<usize> {
        self.store.approximate_len()
    }

    fn data_snapshot(&self) -> Option<PathBuf> {
        crate::graph::snapshot::fresh(&self.dir)
    }

    fn as_store(&self) -> Option<&Store> {
        Some(&self.store)
    }
}

/// The quads in scope among those of an iterator.
struct InScope<'a, I: Iterator<Item = Result<Quad>>>(&'a mut I, Scope);

impl<I: Iterator<Item = Result<Quad>>> Iterator for InScope<'_, I> {
    type Item = Result<Quad>;

    fn next(&mut self) -> Option<Result<Quad>> {
        loop {
            match self.0.next()? {
                Ok(q) if !in_scope(q.graph_name.as_ref(), self.1) => continue,
                other => return Some(other),
            }
        }
    }
}
