//! Reading the RDF the projection is built from: the whole store in one pass,
//! the neighbourhood of one entity (a few index look-ups, whatever the size of
//! the store), the triples of a CONSTRUCT query, or RDF files read directly
//! (no store at all: [`RawGraph::from_files`]).

use crate::error::Result;
use crate::kg::{Kg, Pattern, Scope};
use crate::namespaces::{AIKG, RDFS, RDF_TYPE, SKOS};
use crate::source::scan;
use crate::source::{self, SourceFormat};
use oxigraph::model::{
    Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term, TermRef,
    Triple, TripleRef,
};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

/// An IRI, a predicate, or `_:id` for a blank node. Shared rather than
/// copied: the same few predicates and classes, and each entity's IRI, recur
/// on many statements, and allocating a string per statement was most of
/// the time of reading a large graph.
pub type Name = Arc<str>;

/// What the RDF says of one subject (an IRI, or `_:id` for a blank node).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Description {
    /// Its `rdf:type`s.
    pub types: Vec<Name>,
    /// (predicate, literal)
    pub literals: Vec<(Name, Literal)>,
    /// (predicate, IRI or `_:id` of the object)
    pub links: Vec<(Name, Name)>,
}

impl Description {
    fn dedup(&mut self) {
        self.types.sort_unstable();
        self.types.dedup();
        self.literals.sort_by(|a, b| {
            (&a.0, a.1.value(), a.1.language()).cmp(&(&b.0, b.1.value(), b.1.language()))
        });
        self.literals.dedup();
        self.links.sort_unstable();
        self.links.dedup();
    }

    /// Adds a statement about the subject: a type, a link or a literal.
    fn push(
        &mut self,
        names: &mut Names,
        buffer: &mut String,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) {
        let p = predicate.as_str();
        match object {
            TermRef::NamedNode(o) if p == RDF_TYPE => self.types.push(names.get(o.as_str())),
            TermRef::NamedNode(o) => self.links.push((names.get(p), names.get(o.as_str()))),
            TermRef::BlankNode(o) => {
                let o = names.node(o.into(), buffer);
                self.links.push((names.get(p), o))
            }
            TermRef::Literal(l) => self.literals.push((names.get(p), l.into_owned())),
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }

    /// Its literals of one property.
    pub fn literals_of<'a>(&'a self, property: &'a str) -> impl Iterator<Item = &'a Literal> + 'a {
        self.literals
            .iter()
            .filter(move |(p, _)| &**p == property)
            .map(|(_, l)| l)
    }

    /// What it links to by one property.
    pub fn links_of<'a>(&'a self, property: &'a str) -> impl Iterator<Item = &'a Name> + 'a {
        self.links
            .iter()
            .filter(move |(p, _)| &**p == property)
            .map(|(_, o)| o)
    }
}

/// Each name met, allocated once.
#[derive(Clone, Debug, Default)]
struct Names(FxHashSet<Name>);

impl Names {
    fn get(&mut self, text: &str) -> Name {
        if let Some(name) = self.0.get(text) {
            return name.clone();
        }
        let name: Name = Arc::from(text);
        self.0.insert(name.clone());
        name
    }

    /// The key of a node: its IRI, or `_:id` (written into `buffer`, to
    /// allocate nothing for a blank node already met).
    fn node(&mut self, node: NamedOrBlankNodeRef<'_>, buffer: &mut String) -> Name {
        match node {
            NamedOrBlankNodeRef::NamedNode(n) => self.get(n.as_str()),
            NamedOrBlankNodeRef::BlankNode(b) => {
                buffer.clear();
                buffer.push_str("_:");
                buffer.push_str(b.as_str());
                self.get(buffer)
            }
        }
    }
}

/// The statements about one subject, gathered by [`RawGraph::add_in_run`].
#[derive(Debug, Default)]
pub struct Run {
    subject: Option<Name>,
    statements: Description,
}

/// The statements about the subjects read so far.
#[derive(Clone, Debug, Default)]
pub struct RawGraph {
    pub subjects: FxHashMap<Name, Description>,
    names: Names,
    /// Room to write a blank node's key.
    buffer: String,
}

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
        let Self {
            subjects,
            names,
            buffer,
        } = self;
        let description = match subject {
            // no look-up in the names when the subject is known already
            NamedOrBlankNodeRef::NamedNode(n) => match subjects.get_mut(n.as_str()) {
                Some(d) => d,
                None => subjects.entry(names.get(n.as_str())).or_default(),
            },
            b => subjects.entry(names.node(b, buffer)).or_default(),
        };
        description.push(names, buffer, predicate, object);
    }

    /// [`Self::add`] for statements that come grouped by subject, as in
    /// most line-based files: a subject's statements are gathered in `run`
    /// and moved into the graph in lists of the right size when the subject
    /// changes (growing three lists per subject, a statement at a time, was a
    /// large part of reading a big file). Call [`Self::end_run`] after the
    /// last statement.
    pub fn add_in_run(&mut self, run: &mut Run, triple: TripleRef<'_>) {
        let same = match (&run.subject, triple.subject) {
            (Some(current), NamedOrBlankNodeRef::NamedNode(n)) => **current == *n.as_str(),
            (Some(current), NamedOrBlankNodeRef::BlankNode(b)) => {
                current.strip_prefix("_:") == Some(b.as_str())
            }
            (None, _) => false,
        };
        if !same {
            self.end_run(run);
            run.subject = Some(self.names.node(triple.subject, &mut self.buffer));
        }
        run.statements.push(
            &mut self.names,
            &mut self.buffer,
            triple.predicate,
            triple.object,
        );
    }

    /// Moves the statements gathered in `run` into the graph.
    pub fn end_run(&mut self, run: &mut Run) {
        let Some(subject) = run.subject.take() else {
            return;
        };
        let gathered = &mut run.statements;
        match self.subjects.entry(subject) {
            std::collections::hash_map::Entry::Vacant(entry) => {
                // collected from a drain: exactly as long as needed
                entry.insert(Description {
                    types: gathered.types.drain(..).collect(),
                    literals: gathered.literals.drain(..).collect(),
                    links: gathered.links.drain(..).collect(),
                });
            }
            std::collections::hash_map::Entry::Occupied(mut entry) => {
                let d = entry.get_mut();
                d.types.append(&mut gathered.types);
                d.literals.append(&mut gathered.literals);
                d.links.append(&mut gathered.links);
            }
        }
    }

    /// An empty graph with room for about `statements` statements.
    fn with_capacity(statements: usize) -> Self {
        // about 7 statements per subject, 2 new names per subject, in
        // common data
        let mut raw = Self::default();
        raw.subjects.reserve(statements / 7);
        raw.names.0.reserve(statements / 3);
        raw
    }

    fn add_quad(&mut self, quad: &Quad) {
        self.add(
            quad.subject.as_ref(),
            quad.predicate.as_ref(),
            quad.object.as_ref(),
        );
    }

    fn finish(mut self) -> Self {
        for d in self.subjects.values_mut() {
            d.dedup();
        }
        self
    }

    fn merge(&mut self, other: Self) {
        self.subjects.reserve(other.subjects.len());
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

    /// Every statement of the data (the ontology's graph left out), read
    /// in the parts the graph hands them over in (on several threads for a
    /// large local store, page by page from a remote one), then merged.
    pub fn whole_store(store: &dyn Kg) -> Result<Self> {
        // A persistent store's read-optimised copy, when up to date, is
        // scanned like a file (the store's own decoding costs 8 times more).
        if let Some(raw) = store.data_snapshot().and_then(|p| Self::from_snapshot(&p)) {
            return Ok(raw);
        }
        let parts = std::sync::Mutex::new(Vec::new());
        store.scan(Scope::Data, &|quads| {
            let mut raw = Self::default();
            for quad in quads {
                raw.add_quad(&quad?);
            }
            parts.lock().unwrap_or_else(|e| e.into_inner()).push(raw);
            Ok(())
        })?;
        let mut parts = parts.into_inner().unwrap_or_else(|e| e.into_inner());
        // The largest part is the one the others are merged into.
        parts.sort_by_key(|p| std::cmp::Reverse(p.subjects.len()));
        let mut parts = parts.into_iter();
        let mut raw = parts.next().unwrap_or_default();
        for part in parts {
            raw.merge(part);
        }
        Ok(raw.finish())
    }

    /// The statements of a store's copy ([`super::snapshot`]), blank nodes
    /// named as the store names them; None if the scanner cannot read it
    /// (the store is then read instead).
    pub(crate) fn from_snapshot(path: &std::path::Path) -> Option<Self> {
        let bytes = crate::mapped::read(path).ok()?;
        let text = std::str::from_utf8(&bytes).ok()?;
        Some(scan_file(text, true, &|label| label.to_string())?.finish())
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
                    // mapped, not copied, when large
                    let bytes =
                        crate::mapped::read(path).map_err(|e| source::unreadable(path, e))?;
                    let name = path.display().to_string();
                    let scanned = std::str::from_utf8(&bytes).ok().and_then(|text| {
                        scan_file(text, f == SourceFormat::NQuads, &|label| {
                            source::blank_label(&name, label)
                        })
                    });
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
    pub fn from_triples(store: &dyn Kg, triples: &[Triple]) -> Result<Self> {
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
        let naming: Vec<NamedNode> = [
            RDF_TYPE.to_string(),
            format!("{RDFS}label"),
            format!("{SKOS}prefLabel"),
            format!("{AIKG}acronym"),
        ]
        .into_iter()
        .map(NamedNode::new_unchecked)
        .collect();
        let mut keys: Vec<String> = nodes.into_iter().collect();
        keys.sort();
        let nodes: Vec<NamedOrBlankNode> = keys.iter().filter_map(|k| node_of(k)).collect();
        // Types the query gave are kept as they are.
        let typed: HashSet<String> = raw
            .subjects
            .iter()
            .filter(|(_, d)| !d.types.is_empty())
            .map(|(k, _)| k.to_string())
            .collect();
        for t in store.statements(Pattern {
            subjects: Some(&nodes),
            predicates: Some(&naming),
            objects: None,
        })? {
            if t.predicate.as_str() == RDF_TYPE && typed.contains(&key_of(t.subject.as_ref())) {
                continue;
            }
            raw.add(t.subject.as_ref(), t.predicate.as_ref(), t.object.as_ref());
        }
        Ok(raw.finish())
    }

    /// The neighbourhood of `start` within `depth` hops, counted as the
    /// projection counts them: a funding or a quantity (n-ary nodes) is not
    /// a hop. Reads only what it needs, a wave of nodes at a time (one
    /// request per wave on a remote store), so a focus costs the same in a
    /// store of a hundred triples or of millions. The result holds every
    /// statement of every node within reach, so all the edges between them.
    pub fn neighbourhood(store: &dyn Kg, start: &str, depth: usize) -> Result<Self> {
        Self::neighbourhood_of(store, &[start.to_string()], depth)
    }

    /// The union of the neighbourhoods of `starts` within `depth` hops (read
    /// together: a node within reach of two starts is read once).
    pub fn neighbourhood_of(store: &dyn Kg, starts: &[String], depth: usize) -> Result<Self> {
        let mut raw = Self::default();
        let mut seen: HashSet<String> = starts.iter().cloned().collect();
        let mut frontier: Vec<String> = seen.iter().cloned().collect();
        frontier.sort();
        raw.describe(store, &frontier)?;
        for level in 0..=depth {
            // On the last level, the nodes' links are read (to know what they
            // point at) but not followed, except through n-ary nodes that
            // may join two nodes of the neighbourhood or count one of them.
            let last = level == depth;
            let mut wave = std::mem::take(&mut frontier);
            let mut next = Vec::new();
            while !wave.is_empty() {
                let mut neighbours: Vec<String> = Vec::new();
                let mut plain = Vec::new();
                for key in &wave {
                    let d = raw.subjects.get(key.as_str());
                    if let Some(d) = d {
                        neighbours.extend(d.links.iter().map(|(_, o)| o.to_string()));
                    }
                    if !d.is_some_and(is_nary) {
                        plain.push(key.clone());
                    }
                }
                neighbours.extend(incoming(store, &plain, last)?);
                let mut new = Vec::new();
                for n in neighbours {
                    if seen.insert(n.clone()) {
                        new.push(n);
                    }
                }
                raw.describe(store, &new)?;
                wave = Vec::new();
                for n in new {
                    if raw.subjects.get(n.as_str()).is_some_and(is_nary) {
                        wave.push(n);
                    } else if !last {
                        next.push(n);
                    }
                }
            }
            frontier = next;
            // A depth beyond the graph's reach (--depth 18446744073709551615)
            // ends where the graph does.
            if frontier.is_empty() {
                break;
            }
        }
        Ok(raw.finish())
    }

    /// Makes sure the statements about `key` are read (used for cluster
    /// targets outside the neighbourhood).
    pub fn ensure(&mut self, store: &dyn Kg, key: &str) -> Result<()> {
        if !self.subjects.contains_key(key) {
            self.describe(store, &[key.to_string()])?;
            if let Some(d) = self.subjects.get_mut(key) {
                d.dedup();
            }
        }
        Ok(())
    }

    /// Reads the statements about each of `keys` (an entry for each, even
    /// with none).
    fn describe(&mut self, store: &dyn Kg, keys: &[String]) -> Result<()> {
        let mut nodes = Vec::new();
        for key in keys {
            let name = self.names.get(key);
            self.subjects.entry(name).or_default();
            nodes.extend(node_of(key));
        }
        if nodes.is_empty() {
            return Ok(());
        }
        for t in store.statements(Pattern {
            subjects: Some(&nodes),
            predicates: None,
            objects: None,
        })? {
            self.add(t.subject.as_ref(), t.predicate.as_ref(), t.object.as_ref());
        }
        Ok(())
    }
}

/// The subjects pointing at any of `keys`; only through the n-ary link
/// properties (funder, recipient, quantityOf) when `nary_only`.
fn incoming(store: &dyn Kg, keys: &[String], nary_only: bool) -> Result<Vec<String>> {
    let objects: Vec<Term> = keys
        .iter()
        .filter_map(|k| node_of(k))
        .map(Term::from)
        .collect();
    if objects.is_empty() {
        return Ok(Vec::new());
    }
    let nary: Vec<NamedNode> = ["funder", "recipient", "quantityOf"]
        .iter()
        .map(|p| NamedNode::new_unchecked(format!("{AIKG}{p}")))
        .collect();
    let mut out: Vec<String> = store
        .statements(Pattern {
            subjects: None,
            predicates: nary_only.then_some(nary.as_slice()),
            objects: Some(&objects),
        })?
        .iter()
        .filter(|t| nary_only || t.predicate.as_str() != RDF_TYPE)
        .map(|t| key_of(t.subject.as_ref()))
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// A line-based file scanned on every core (each thread its part of the
/// lines, into its own graph, then merged); None if the scanner gives up.
fn scan_file(text: &str, quads: bool, blank: &(dyn Fn(&str) -> String + Sync)) -> Option<RawGraph> {
    let threads = crate::cores();
    let parts = if text.len() < (4 << 20) { 1 } else { threads };
    let chunks = scan::line_chunks(text, parts);
    let scan = |chunk: &str| -> Option<RawGraph> {
        // About one statement per 100 bytes in common files. The first part
        // is the one the others are merged into: room for all of them, so
        // that merging does not grow its table.
        let room = if std::ptr::eq(chunk, chunks[0]) {
            text.len()
        } else {
            chunk.len()
        };
        let mut raw = RawGraph::with_capacity(room / 100);
        let mut run = Run::default();
        scan::for_each_triple(chunk, quads, blank, |t, _| raw.add_in_run(&mut run, t)).ok()?;
        raw.end_run(&mut run);
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

/// Fundings and quantities: nodes that stand for a relation or a number
/// rather than for a thing.
pub fn is_nary(d: &Description) -> bool {
    d.types.iter().any(|t| {
        t.strip_prefix(AIKG)
            .is_some_and(|local| local == "Funding" || local == "Quantity")
    })
}

/// Classes whose instances describe the data rather than the world: the
/// source passages, the editor's readings and documents, the annotations and dataset descriptions
/// of linksets (OWL axioms, VoID, DCAT, PROV activities), the vocabulary
/// itself (classes, properties, shapes). Their instances are never drawn:
/// drawn, the annotations of external links became nodes next to every
/// linked entity, and the ROR dataset a hub joining them all.
const METADATA_CLASSES: &[&str] = &[
    "https://w3id.org/aikg/ontology#Passage",
    "https://w3id.org/aikg/ontology#Reading",
    "https://w3id.org/aikg/ontology#Document",
    "http://www.w3.org/2002/07/owl#Axiom",
    "http://www.w3.org/2002/07/owl#Ontology",
    "http://www.w3.org/2002/07/owl#Class",
    "http://www.w3.org/2002/07/owl#Restriction",
    "http://www.w3.org/2002/07/owl#ObjectProperty",
    "http://www.w3.org/2002/07/owl#DatatypeProperty",
    "http://www.w3.org/2002/07/owl#AnnotationProperty",
    "http://www.w3.org/2002/07/owl#SymmetricProperty",
    "http://www.w3.org/2002/07/owl#TransitiveProperty",
    "http://www.w3.org/2002/07/owl#FunctionalProperty",
    "http://www.w3.org/2000/01/rdf-schema#Class",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement",
    "http://www.w3.org/ns/shacl#NodeShape",
    "http://www.w3.org/ns/shacl#PropertyShape",
    "http://rdfs.org/ns/void#Dataset",
    "http://rdfs.org/ns/void#Linkset",
    "http://www.w3.org/ns/dcat#Catalog",
    "http://www.w3.org/ns/dcat#Dataset",
    "http://www.w3.org/ns/dcat#Distribution",
    "http://www.w3.org/ns/prov#Activity",
];

/// Is this a class whose instances are never drawn (see [`METADATA_CLASSES`])?
pub fn is_metadata_type(t: &str) -> bool {
    METADATA_CLASSES.contains(&t)
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
