//! Reading the RDF the projection is built from: the whole store in one pass,
//! the neighbourhood of one entity (a few index look-ups, whatever the size of
//! the store), the triples of a CONSTRUCT query, or RDF files read directly
//! (no store at all: [`RawGraph::from_files`]).

use crate::error::Result;
use crate::namespaces::{AIKG, RDFS, SKOS};
use crate::shacl::scan;
use crate::source::{self, SourceFormat};
use crate::store::ONTOLOGY_GRAPH;
use oxigraph::model::{
    GraphNameRef, Literal, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term,
    TermRef, Triple,
};
use oxigraph::store::Store;
use rustc_hash::FxHashMap;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// What the RDF says of one subject (an IRI, or `_:id` for a blank node).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Description {
    /// Its `rdf:type`s.
    pub types: Vec<String>,
    /// (predicate, literal)
    pub literals: Vec<(String, Literal)>,
    /// (predicate, IRI or `_:id` of the object)
    pub links: Vec<(String, String)>,
}

impl Description {
    fn dedup(&mut self) {
        self.types.sort();
        self.types.dedup();
        self.literals.sort_by(|a, b| {
            (&a.0, a.1.value(), a.1.language()).cmp(&(&b.0, b.1.value(), b.1.language()))
        });
        self.literals.dedup();
        self.links.sort();
        self.links.dedup();
    }
}

/// The statements about the subjects read so far.
#[derive(Clone, Debug, Default)]
pub struct RawGraph {
    pub subjects: FxHashMap<String, Description>,
}

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// The key of a subject or object node.
pub fn key_of(node: NamedOrBlankNodeRef<'_>) -> String {
    match node {
        NamedOrBlankNodeRef::NamedNode(n) => n.as_str().to_string(),
        NamedOrBlankNodeRef::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

fn node_of(key: &str) -> Option<NamedOrBlankNode> {
    match key.strip_prefix("_:") {
        Some(id) => oxigraph::model::BlankNode::new(id).ok().map(Into::into),
        None => oxigraph::model::NamedNode::new(key).ok().map(Into::into),
    }
}

impl RawGraph {
    /// Adds one triple (the graph it is in does not matter).
    pub fn add(
        &mut self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) {
        let description = match subject {
            // no key to allocate when the subject is known already
            NamedOrBlankNodeRef::NamedNode(n) => match self.subjects.get_mut(n.as_str()) {
                Some(d) => d,
                None => self.subjects.entry(n.as_str().to_string()).or_default(),
            },
            b => self.subjects.entry(key_of(b)).or_default(),
        };
        let p = predicate.as_str();
        match object {
            TermRef::NamedNode(o) if p == RDF_TYPE => {
                description.types.push(o.as_str().to_string())
            }
            TermRef::NamedNode(o) => description
                .links
                .push((p.to_string(), o.as_str().to_string())),
            TermRef::BlankNode(o) => description
                .links
                .push((p.to_string(), format!("_:{}", o.as_str()))),
            TermRef::Literal(l) => description.literals.push((p.to_string(), l.into_owned())),
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }

    fn add_quad(&mut self, quad: &Quad) {
        self.add(
            quad.subject.as_ref(),
            quad.predicate.as_ref(),
            quad.object.as_ref(),
        );
    }

    /// Adds a quad read from the store, moving its strings (the fast path of
    /// [`Self::whole_store`]).
    fn add_owned(&mut self, quad: Quad, predicates: &mut HashMap<String, String>) {
        let subject = match quad.subject {
            NamedOrBlankNode::NamedNode(n) => n.into_string(),
            NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
        };
        let description = match self.subjects.get_mut(&subject) {
            Some(d) => d,
            None => self.subjects.entry(subject).or_default(),
        };
        let p = quad.predicate.as_str();
        if p == RDF_TYPE {
            if let Term::NamedNode(o) = quad.object {
                description.types.push(o.into_string());
            }
            return;
        }
        let p = match predicates.get(p) {
            Some(p) => p.clone(),
            None => predicates
                .entry(p.to_string())
                .or_insert_with(|| p.to_string())
                .clone(),
        };
        match quad.object {
            Term::NamedNode(o) => description.links.push((p, o.into_string())),
            Term::BlankNode(o) => description.links.push((p, format!("_:{}", o.as_str()))),
            Term::Literal(l) => description.literals.push((p, l)),
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }

    fn finish(mut self) -> Self {
        for d in self.subjects.values_mut() {
            d.dedup();
        }
        self
    }

    fn merge(&mut self, other: Self) {
        for (key, d) in other.subjects {
            match self.subjects.get_mut(&key) {
                Some(mine) => {
                    mine.types.extend(d.types);
                    mine.literals.extend(d.literals);
                    mine.links.extend(d.links);
                }
                None => {
                    self.subjects.insert(key, d);
                }
            }
        }
    }

    /// Every statement of the store, except the ontology's. On a large store
    /// the predicates are shared out between threads (one scan of the
    /// predicate index each), since decoding the terms is what costs.
    pub fn whole_store(store: &Store) -> Result<Self> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        let large = store.len()? > 200_000;
        if threads < 2 || !large {
            let mut raw = Self::default();
            let mut predicates = HashMap::new();
            for quad in store.iter() {
                let quad = quad?;
                if !is_ontology_graph(&quad) {
                    raw.add_owned(quad, &mut predicates);
                }
            }
            return Ok(raw.finish());
        }
        let mut predicates: Vec<String> =
            crate::query::select(store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }")?
                .iter()
                .filter_map(|row| match row.get("p") {
                    Some(Term::NamedNode(p)) => Some(p.as_str().to_string()),
                    _ => None,
                })
                .collect();
        // Largest first would balance best, but counting costs a scan: the
        // threads take the next predicate as they become free.
        predicates.sort();
        let queue = std::sync::Mutex::new(predicates);
        let next = || queue.lock().ok().and_then(|mut q| q.pop());
        let parts: Vec<Result<Self>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| -> Result<Self> {
                        let mut raw = Self::default();
                        let mut interned = HashMap::new();
                        while let Some(p) = next() {
                            let predicate = NamedNodeRef::new_unchecked(&p);
                            for quad in store.quads_for_pattern(None, Some(predicate), None, None) {
                                let quad = quad?;
                                if !is_ontology_graph(&quad) {
                                    raw.add_owned(quad, &mut interned);
                                }
                            }
                        }
                        Ok(raw)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(crate::error::Error::Storage(
                            "a reading thread failed".into(),
                        ))
                    })
                })
                .collect()
        });
        let mut raw = Self::default();
        for part in parts {
            raw.merge(part?);
        }
        Ok(raw.finish())
    }

    /// Every statement of RDF files (the graph they are in does not
    /// matter), with no store: N-Triples and N-Quads through the line
    /// scanner (shared out between threads), any other syntax, or a line the
    /// scanner does not read, through [`crate::source`], which reports errors
    /// with file:line:column. Blank nodes are named as
    /// [`crate::source::read_file`] names them, so a file gives the same
    /// graph read either way.
    pub fn from_files(paths: &[PathBuf]) -> Result<Self> {
        let mut raw = Self::default();
        for path in paths {
            let format = SourceFormat::from_path(path);
            let scanned = match format {
                Some(f @ (SourceFormat::NTriples | SourceFormat::NQuads)) => {
                    let bytes = std::fs::read(path)
                        .map_err(|e| crate::error::Error::io(path.display(), e))?;
                    let name = path.display().to_string();
                    let scanned = std::str::from_utf8(&bytes)
                        .ok()
                        .and_then(|text| scan_file(text, f == SourceFormat::NQuads, &name));
                    if scanned.is_none() {
                        // the parser reads it, or says where it is wrong
                        for q in source::read_bytes(name.into(), &bytes, f)? {
                            raw.add_quad(&q.quad);
                        }
                    }
                    scanned
                }
                _ => {
                    let quads = source::read_file(path, format).map_err(|mut e| {
                        if e.kind == source::SourceErrorKind::UnknownFormat {
                            e.hint = format!(
                                "give the file the extension of its syntax (one of: {})",
                                SourceFormat::NAMES
                            );
                        }
                        e
                    })?;
                    for q in &quads {
                        raw.add_quad(&q.quad);
                    }
                    None
                }
            };
            if let Some(part) = scanned {
                raw.merge(part);
            }
        }
        Ok(raw.finish())
    }

    /// The triples of a CONSTRUCT result, with the classes and labels the
    /// store gives their nodes (so that the picture is styled and named even
    /// when the query only builds the edges).
    pub fn from_triples(store: &Store, triples: &[Triple]) -> Result<Self> {
        let mut raw = Self::default();
        let mut nodes = HashSet::new();
        for t in triples {
            raw.add(t.subject.as_ref(), t.predicate.as_ref(), t.object.as_ref());
            nodes.insert(key_of(t.subject.as_ref()));
            match &t.object {
                Term::NamedNode(o) => {
                    nodes.insert(o.as_str().to_string());
                }
                Term::BlankNode(o) => {
                    nodes.insert(format!("_:{}", o.as_str()));
                }
                _ => {}
            }
        }
        let naming = [
            RDF_TYPE.to_string(),
            format!("{RDFS}label"),
            format!("{SKOS}prefLabel"),
            format!("{AIKG}acronym"),
        ];
        let mut nodes: Vec<String> = nodes.into_iter().collect();
        nodes.sort();
        for key in nodes {
            let Some(node) = node_of(&key) else { continue };
            let known_types = raw.subjects.get(&key).is_some_and(|d| !d.types.is_empty());
            for p in &naming {
                if p == RDF_TYPE && known_types {
                    continue;
                }
                let predicate = NamedNodeRef::new_unchecked(p);
                for quad in
                    store.quads_for_pattern(Some(node.as_ref()), Some(predicate), None, None)
                {
                    let quad = quad?;
                    if !is_ontology_graph(&quad) {
                        raw.add_quad(&quad);
                    }
                }
            }
        }
        Ok(raw.finish())
    }

    /// The neighbourhood of `start` within `depth` hops, counted as the
    /// projection counts them: a funding or a quantity (n-ary nodes) is not
    /// a hop. Reads only what it needs through the store's indexes, so a
    /// focus costs the same in a store of a hundred triples or of millions.
    /// The result holds every statement of every node within reach, so all
    /// the edges between them.
    pub fn neighbourhood(store: &Store, start: &str, depth: usize) -> Result<Self> {
        let mut raw = Self::default();
        let mut seen: HashSet<String> = HashSet::new();
        seen.insert(start.to_string());
        raw.describe(store, start)?;
        let mut frontier = vec![start.to_string()];
        for level in 0..=depth {
            // On the last level, the nodes' links are read (to know what they
            // point at) but not followed, except through n-ary nodes that
            // may join two nodes of the neighbourhood or count one of them.
            let last = level == depth;
            let mut queue = std::mem::take(&mut frontier);
            let mut next = Vec::new();
            while let Some(key) = queue.pop() {
                let nary = raw.subjects.get(&key).is_some_and(is_nary);
                let mut neighbours: Vec<String> = raw
                    .subjects
                    .get(&key)
                    .map(|d| d.links.iter().map(|(_, o)| o.clone()).collect())
                    .unwrap_or_default();
                if !nary {
                    neighbours.extend(raw.incoming(store, &key, last)?);
                }
                for n in neighbours {
                    if !seen.insert(n.clone()) {
                        continue;
                    }
                    raw.describe(store, &n)?;
                    if raw.subjects.get(&n).is_some_and(is_nary) {
                        queue.push(n);
                    } else if !last {
                        next.push(n);
                    }
                }
            }
            frontier = next;
        }
        Ok(raw.finish())
    }

    /// Makes sure the statements about `key` are read (used for cluster
    /// targets outside the neighbourhood).
    pub fn ensure(&mut self, store: &Store, key: &str) -> Result<()> {
        if !self.subjects.contains_key(key) {
            self.describe(store, key)?;
            if let Some(d) = self.subjects.get_mut(key) {
                d.dedup();
            }
        }
        Ok(())
    }

    fn describe(&mut self, store: &Store, key: &str) -> Result<()> {
        self.subjects.entry(key.to_string()).or_default();
        let Some(node) = node_of(key) else {
            return Ok(());
        };
        for quad in store.quads_for_pattern(Some(node.as_ref()), None, None, None) {
            let quad = quad?;
            if !is_ontology_graph(&quad) {
                self.add_quad(&quad);
            }
        }
        Ok(())
    }

    /// The subjects pointing at `key`; only those of the n-ary link
    /// properties when `nary_only`.
    fn incoming(&self, store: &Store, key: &str, nary_only: bool) -> Result<Vec<String>> {
        let Some(node) = node_of(key) else {
            return Ok(Vec::new());
        };
        let object: Term = node.into();
        let mut out = Vec::new();
        if nary_only {
            for p in ["funder", "recipient", "quantityOf"] {
                let p = format!("{AIKG}{p}");
                let predicate = NamedNodeRef::new_unchecked(&p);
                for quad in
                    store.quads_for_pattern(None, Some(predicate), Some(object.as_ref()), None)
                {
                    out.push(key_of(quad?.subject.as_ref()));
                }
            }
        } else {
            for quad in store.quads_for_pattern(None, None, Some(object.as_ref()), None) {
                let quad = quad?;
                if quad.predicate.as_str() != RDF_TYPE && !is_ontology_graph(&quad) {
                    out.push(key_of(quad.subject.as_ref()));
                }
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
}

/// A line-based file scanned on every core (each thread its part of the
/// lines, into its own graph, then merged); None if the scanner gives up.
fn scan_file(text: &str, quads: bool, name: &str) -> Option<RawGraph> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let parts = if text.len() < (4 << 20) { 1 } else { threads };
    let mut chunks = Vec::with_capacity(parts);
    let mut rest = text;
    for i in (1..=parts).rev() {
        let cut = if i == 1 {
            rest.len()
        } else {
            let mid = rest.len() / i;
            rest[mid..].find('\n').map_or(rest.len(), |at| mid + at + 1)
        };
        let (chunk, tail) = rest.split_at(cut);
        chunks.push(chunk);
        rest = tail;
    }
    let scan = |chunk: &str| -> Option<RawGraph> {
        let mut raw = RawGraph::default();
        scan::for_each_triple(
            chunk,
            quads,
            |label| source::blank_label(name, label),
            |t, _| raw.add(t.subject, t.predicate, t.object),
        )
        .ok()?;
        Some(raw)
    };
    let mut graphs: Vec<Option<RawGraph>> = if chunks.len() == 1 {
        vec![scan(chunks[0])]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .iter()
                .map(|&chunk| scope.spawn(move || scan(chunk)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().ok().flatten())
                .collect()
        })
    };
    let mut raw = graphs.remove(0)?;
    for part in graphs {
        raw.merge(part?);
    }
    Some(raw)
}

/// The ontology's graph and aikg's merged graph hold no entities of their own.
fn is_ontology_graph(quad: &Quad) -> bool {
    matches!(quad.graph_name.as_ref(), GraphNameRef::NamedNode(g) if g.as_str() == ONTOLOGY_GRAPH)
        || crate::store::is_internal_graph(&quad.graph_name)
}

/// Fundings and quantities: nodes that stand for a relation or a number
/// rather than for a thing.
pub fn is_nary(d: &Description) -> bool {
    d.types
        .iter()
        .any(|t| t == &format!("{AIKG}Funding") || t == &format!("{AIKG}Quantity"))
}

/// Is this type one whose instances are never drawn (the provenance).
pub fn is_provenance_type(t: &str) -> bool {
    t == format!("{AIKG}Passage") || t == format!("{AIKG}Document")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanned_files_read_as_the_parser_reads_them() {
        // Large enough to be shared out between threads, with blank nodes
        // (named per file) and literals of every kind.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.nt");
        let mut text = String::new();
        for i in 0..60_000 {
            text.push_str(&format!(
                "<http://e/s{}> <http://e/p> _:b{} .\n_:b{} <http://e/q> \"v \\\"{}\\\"\"@en .\n\
                 <http://e/s{}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/C> .\n\
                 <http://e/s{}> <http://e/n> \"{}\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n",
                i % 5003,
                i % 17,
                i % 17,
                i % 101,
                i % 5003,
                i % 5003,
                i
            ));
        }
        assert!(text.len() > 4 << 20);
        std::fs::write(&path, &text).unwrap();
        let scanned = RawGraph::from_files(std::slice::from_ref(&path)).unwrap();
        let mut parsed = RawGraph::default();
        for q in source::read_file(&path, None).unwrap() {
            parsed.add_quad(&q.quad);
        }
        let parsed = parsed.finish();
        assert_eq!(scanned.subjects.len(), 5003 + 17);
        assert_eq!(scanned.subjects, parsed.subjects);
    }

    #[test]
    fn a_file_the_scanner_cannot_read_is_parsed() {
        // A \u escape is outside the scanner's subset: the parser reads it.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.nt");
        std::fs::write(&path, "<http://e/a> <http://e/p> \"caf\\u00e9\" .\n").unwrap();
        let raw = RawGraph::from_files(&[path]).unwrap();
        assert_eq!(raw.subjects["http://e/a"].literals[0].1.value(), "café");
    }
}
