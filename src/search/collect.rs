//! Reading what the index needs from a store: every entity's names (by
//! the name properties below and their sub-properties declared in the
//! store), classes, degree and `owl:sameAs` links.
//!
//! An entity is an IRI that has a name or a class. Terms of a vocabulary
//! (classes, properties, ontologies, shapes) are not: search finds things,
//! not the words used to describe them. Blank nodes cannot be named on
//! the command line, so they are not indexed either.

use super::index::{EntityEntry, NameEntry, NameKind};
use crate::error::Error;
use crate::error::Result;
use crate::namespaces::{OWL, RDFS, RDF_TYPE, SKOS};
use crate::query::select;
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use rustc_hash::FxHashMap;
use std::collections::HashMap;

const SCHEMA: &str = "https://schema.org/";
const SCHEMA_HTTP: &str = "http://schema.org/";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const GN: &str = "http://www.geonames.org/ontology#";

/// The properties whose values name their subject, and what kind of name
/// each gives. Sub-properties declared in the store (`rdfs:subPropertyOf`,
/// transitively) give names of the same kind.
pub fn name_properties() -> Vec<(String, NameKind)> {
    let mut properties = vec![(crate::namespaces::aikg("acronym"), NameKind::Acronym)];
    for label in [
        format!("{RDFS}label"),
        format!("{SKOS}prefLabel"),
        format!("{SCHEMA}name"),
        format!("{SCHEMA_HTTP}name"),
        format!("{FOAF}name"),
        format!("{DCTERMS}title"),
        format!("{DC}title"),
        format!("{GN}name"),
        format!("{GN}officialName"),
    ] {
        properties.push((label, NameKind::Label));
    }
    for alias in [
        format!("{SKOS}altLabel"),
        format!("{SKOS}hiddenLabel"),
        format!("{SCHEMA}alternateName"),
        format!("{SCHEMA_HTTP}alternateName"),
        format!("{FOAF}nick"),
        format!("{GN}alternateName"),
        format!("{GN}shortName"),
    ] {
        properties.push((alias, NameKind::Alias));
    }
    properties
}

/// Types whose instances are vocabulary terms or annotations, not entities.
const VOCABULARY_TYPES: &[&str] = &[
    "http://www.w3.org/2002/07/owl#Class",
    "http://www.w3.org/2000/01/rdf-schema#Class",
    "http://www.w3.org/2000/01/rdf-schema#Datatype",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property",
    "http://www.w3.org/2002/07/owl#ObjectProperty",
    "http://www.w3.org/2002/07/owl#DatatypeProperty",
    "http://www.w3.org/2002/07/owl#AnnotationProperty",
    "http://www.w3.org/2002/07/owl#OntologyProperty",
    "http://www.w3.org/2002/07/owl#TransitiveProperty",
    "http://www.w3.org/2002/07/owl#SymmetricProperty",
    "http://www.w3.org/2002/07/owl#FunctionalProperty",
    "http://www.w3.org/2002/07/owl#InverseFunctionalProperty",
    "http://www.w3.org/2002/07/owl#Ontology",
    "http://www.w3.org/ns/shacl#NodeShape",
    "http://www.w3.org/ns/shacl#PropertyShape",
    // Statements about statements (link annotations), not things.
    "http://www.w3.org/2002/07/owl#Axiom",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement",
];

/// What the index is made of, before it is grouped by entity: names,
/// classes and `owl:sameAs` links by IRI, and each IRI's degree.
#[derive(Default)]
pub struct Collected {
    pub names: Vec<(String, NameEntry)>,
    pub types: Vec<(String, String)>,
    pub same_as: Vec<(String, String)>,
    pub degrees: FxHashMap<String, u32>,
}

impl Collected {
    /// The entities: IRIs with a name or a class, except vocabulary terms,
    /// each with its IRI's last segment as one more name.
    pub fn into_entities(self) -> Vec<EntityEntry> {
        let mut gathering = Gathering::default();
        gathering.add(self);
        gathering.finish()
    }
}

/// Entities gathered as their names, classes, links and degrees arrive,
/// in any order. Every IRI met has a slot, which holds its degree; an IRI
/// with a name or a class also has an entity.
#[derive(Default)]
pub struct Gathering {
    slots: FxHashMap<Box<str>, usize>,
    degrees: Vec<u32>,
    /// Per slot, its entity's place in `list` plus one (0: none).
    entity_of: Vec<usize>,
    list: Vec<EntityEntry>,
    /// Per entity, its slot.
    slot_of: Vec<usize>,
    /// The slots of IRIs typed as vocabulary terms.
    vocabulary: Vec<usize>,
    same_as: Vec<(String, String)>,
}

impl Gathering {
    /// Adds what a store or an index held (degrees only of the IRIs that
    /// have an entity: the others would never be read).
    pub fn add(&mut self, collected: Collected) {
        let Collected {
            names,
            types,
            same_as,
            degrees,
        } = collected;
        for (iri, name) in names {
            let slot = self.slot(&iri);
            self.entity(slot, &iri).names.push(name);
        }
        for (iri, class) in types {
            let slot = self.slot(&iri);
            self.class(slot, &iri, &class);
        }
        self.same_as.extend(same_as);
        for (iri, n) in degrees {
            if let Some(&slot) = self.slots.get(iri.as_str()) {
                self.count(slot, n);
            }
        }
    }

    /// The slot of `iri` (added if new: its key is allocated only then).
    fn slot(&mut self, iri: &str) -> usize {
        if let Some(&slot) = self.slots.get(iri) {
            return slot;
        }
        let slot = self.degrees.len();
        self.slots.insert(iri.into(), slot);
        self.degrees.push(0);
        self.entity_of.push(0);
        slot
    }

    /// `n` more statements for the IRI of `slot`.
    fn count(&mut self, slot: usize, n: u32) {
        self.degrees[slot] = self.degrees[slot].saturating_add(n);
    }

    /// The entity of the slot of `iri` (added if it has none yet).
    fn entity(&mut self, slot: usize, iri: &str) -> &mut EntityEntry {
        let at = match self.entity_of[slot] {
            0 => {
                self.list.push(EntityEntry {
                    iri: iri.to_string(),
                    ..EntityEntry::default()
                });
                self.slot_of.push(slot);
                self.entity_of[slot] = self.list.len();
                self.list.len() - 1
            }
            at => at - 1,
        };
        &mut self.list[at]
    }

    /// `iri` (whose slot is `slot`) is a `class`.
    fn class(&mut self, slot: usize, iri: &str, class: &str) {
        if VOCABULARY_TYPES.contains(&class) {
            self.vocabulary.push(slot);
        } else {
            self.entity(slot, iri).classes.push(class.to_string());
        }
    }

    /// The entities: IRIs with a name or a class, except vocabulary terms,
    /// each with its degree, its links, and its IRI's last segment as one
    /// more name.
    pub fn finish(self) -> Vec<EntityEntry> {
        let Gathering {
            slots,
            degrees,
            entity_of,
            mut list,
            slot_of,
            vocabulary,
            same_as,
        } = self;
        let entity_at = |iri: &str| {
            slots
                .get(iri)
                .and_then(|&slot| entity_of[slot].checked_sub(1))
        };
        for (a, b) in same_as {
            if let Some(at) = entity_at(&a) {
                list[at].same_as.push(b.clone());
            }
            if let Some(at) = entity_at(&b) {
                list[at].same_as.push(a);
            }
        }
        // Millions of keys: freed on another thread.
        let freeing = std::thread::spawn(move || drop(slots));
        let mut kept = vec![true; list.len()];
        for slot in vocabulary {
            if let Some(at) = entity_of[slot].checked_sub(1) {
                kept[at] = false;
            }
        }
        for (entity, &slot) in list.iter_mut().zip(&slot_of) {
            entity.degree = degrees[slot];
        }
        let mut kept = kept.into_iter();
        list.retain(|_| kept.next().unwrap_or(false));
        for entity in &mut list {
            entity.names.retain(|n| n.kind != NameKind::Iri);
            if let Some(local) = local_name(&entity.iri) {
                entity.names.push(NameEntry {
                    kind: NameKind::Iri,
                    lang: String::new(),
                    text: local.to_string(),
                });
            }
        }
        let _ = freeing.join();
        list
    }
}

/// Every entity of the store with what the index keeps of it. `graph`
/// limits the reading to one graph (the bundled store's merge of all
/// passages); else every graph is read.
pub fn entities(store: &Store, graph: Option<&NamedNode>) -> Result<Vec<EntityEntry>> {
    Ok(read(
        store,
        graph,
        &with_sub_properties(store, name_properties())?,
    )?
    .into_entities())
}

/// Reads names (by `properties`), classes, links and degrees from a store.
pub fn read(
    store: &Store,
    graph: Option<&NamedNode>,
    properties: &[(String, NameKind)],
) -> Result<Collected> {
    let started = std::time::Instant::now();
    let graph_ref = graph.map(|g| GraphNameRef::NamedNode(g.as_ref()));
    // Independent scans, on as many threads as there are cores.
    let (names, (types, degrees), same_as) = std::thread::scope(|scope| {
        let names = scope.spawn(|| read_names(store, properties, graph_ref));
        let same_as = scope.spawn(|| read_same_as(store, graph_ref));
        let types = read_types(store, graph_ref);
        let degrees = read_degrees(store, graph);
        (
            names
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            (types, degrees),
            same_as
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        )
    });
    crate::timing("index: read", started);
    Ok(Collected {
        names: names?,
        types: types?,
        same_as: same_as?,
        degrees: degrees?,
    })
}

/// The name properties the store declares beyond [`name_properties`]
/// (sub-properties), which a reader of quads as they are loaded does not
/// know yet.
pub fn declared_sub_properties(store: &Store) -> Result<Vec<(String, NameKind)>> {
    let base = name_properties();
    let all = with_sub_properties(store, base.clone())?;
    Ok(all[base.len()..].to_vec())
}

/// What the index needs of each quad `load` reads, sent from the thread
/// that parses to the thread that gathers it ([`QuadFeed`]) as records in
/// batches: a tag byte, then strings as a length (u64, little-endian) and
/// their bytes. A record is about the last [`SUBJECT`] sent.
mod record {
    /// A new subject (an IRI): the following records are about it.
    pub const SUBJECT: u8 = 0;
    /// A statement of the subject whose object the index does not keep.
    pub const PLAIN: u8 = 1;
    /// A statement of the subject with an IRI object (its degree counts).
    pub const OBJECT: u8 = 2;
    /// A name of the subject: its kind's code, language, text.
    pub const NAME: u8 = 3;
    /// `rdf:type`: the class.
    pub const TYPE: u8 = 4;
    /// `owl:sameAs`: the other IRI.
    pub const SAME_AS: u8 = 5;
    /// A statement of a blank node with an IRI object, not about the
    /// subject: only the object's degree counts.
    pub const LONE_OBJECT: u8 = 6;
}

/// A batch of records is sent when it holds this many bytes.
const BATCH_BYTES: usize = 1 << 20;

/// Follows a load: the thread that parses sees each quad and writes what
/// the index needs of it into a batch; a thread of its own gathers the
/// batches into entities (names, classes, links and degrees: most of what
/// the index costs), then builds the index with `then`. The parser waits
/// only when the gatherer is four batches behind.
pub struct QuadFeed<T: Send + 'static> {
    kinds: FxHashMap<String, NameKind>,
    same_as: String,
    /// The subject of the last [`record::SUBJECT`] written.
    subject: String,
    batch: Vec<u8>,
    /// `None` tells the gatherer that the input is all read.
    sender: std::sync::mpsc::SyncSender<Option<Vec<u8>>>,
    /// Batches the gatherer is done with, to fill again.
    recycled: std::sync::mpsc::Receiver<Vec<u8>>,
    gatherer: std::thread::JoinHandle<Option<T>>,
}

impl<T: Send + 'static> QuadFeed<T> {
    /// Starts the gatherer, with what `seed` held (an index the load adds
    /// to). If the feed is dropped before [`finish`](Self::finish) (a load
    /// that failed), the gatherer stops without calling `then`.
    pub fn start(
        seed: Option<Collected>,
        then: impl FnOnce(Gathering) -> T + Send + 'static,
    ) -> Self {
        let (sender, batches) = std::sync::mpsc::sync_channel::<Option<Vec<u8>>>(4);
        let (recycle, recycled) = std::sync::mpsc::channel();
        let gatherer = std::thread::spawn(move || {
            let mut gathering = Gathering::default();
            if let Some(seed) = seed {
                gathering.add(seed);
            }
            let mut reader = RecordReader::default();
            for batch in batches {
                let Some(mut batch) = batch else {
                    return Some(then(gathering));
                };
                let read = reader.read(&batch, &mut gathering);
                debug_assert!(read.is_some(), "a malformed record batch");
                batch.clear();
                let _ = recycle.send(batch);
            }
            // The feed was dropped: the load failed, nothing to build.
            None
        });
        Self {
            kinds: name_properties().into_iter().collect(),
            same_as: format!("{OWL}sameAs"),
            subject: String::new(),
            batch: Vec::with_capacity(BATCH_BYTES + 4096),
            sender,
            recycled,
            gatherer,
        }
    }

    /// Sees one quad as it is loaded.
    pub fn see(&mut self, quad: &oxigraph::model::Quad) {
        let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
            if let Term::NamedNode(object) = &quad.object {
                self.put(record::LONE_OBJECT, object.as_str());
            }
            return;
        };
        if subject.as_str() != self.subject {
            self.subject.clear();
            self.subject.push_str(subject.as_str());
            self.put(record::SUBJECT, subject.as_str());
        }
        let predicate = quad.predicate.as_str();
        match &quad.object {
            Term::Literal(literal) => match self.kinds.get(predicate) {
                Some(&kind) => {
                    self.batch.push(record::NAME);
                    self.batch.push(kind.code());
                    self.put_str(literal.language().unwrap_or(""));
                    self.put_str(literal.value());
                }
                None => self.batch.push(record::PLAIN),
            },
            Term::NamedNode(object) => {
                let tag = if predicate == RDF_TYPE {
                    record::TYPE
                } else if predicate == self.same_as {
                    record::SAME_AS
                } else {
                    record::OBJECT
                };
                self.put(tag, object.as_str());
            }
            _ => self.batch.push(record::PLAIN),
        }
        if self.batch.len() >= BATCH_BYTES {
            self.send();
        }
    }

    fn put(&mut self, tag: u8, iri: &str) {
        self.batch.push(tag);
        self.put_str(iri);
    }

    fn put_str(&mut self, s: &str) {
        self.batch
            .extend_from_slice(&(s.len() as u64).to_le_bytes());
        self.batch.extend_from_slice(s.as_bytes());
    }

    fn send(&mut self) {
        let next = self
            .recycled
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BATCH_BYTES + 4096));
        let full = std::mem::replace(&mut self.batch, next);
        // (A gatherer that is gone panicked: `finish` reports it.)
        let _ = self.sender.send(Some(full));
    }

    /// Every quad is seen: the gatherer gathers the last batch, then runs
    /// `then`, whose result the handle returns.
    pub fn finish(mut self) -> std::thread::JoinHandle<Option<T>> {
        if !self.batch.is_empty() {
            self.send();
        }
        let _ = self.sender.send(None);
        self.gatherer
    }
}

/// Reads record batches into a [`Gathering`], remembering the subject
/// from one batch to the next.
#[derive(Default)]
struct RecordReader {
    subject: String,
    /// The subject's slot (`None` before the first subject).
    slot: Option<usize>,
}

impl RecordReader {
    /// `None` for a malformed batch: the records are written by
    /// [`QuadFeed`] in this process, so that is a bug, and reading stops
    /// there.
    fn read(&mut self, batch: &[u8], gathering: &mut Gathering) -> Option<()> {
        let mut at = 0;
        let string = |at: &mut usize| -> Option<&str> {
            let len = batch.get(*at..*at + 8)?;
            let len = u64::from_le_bytes(len.try_into().ok()?) as usize;
            let s = batch.get(*at + 8..(*at + 8).checked_add(len)?)?;
            *at += 8 + len;
            std::str::from_utf8(s).ok()
        };
        while let Some(&tag) = batch.get(at) {
            at += 1;
            if tag == record::SUBJECT {
                let subject = string(&mut at)?;
                self.subject.clear();
                self.subject.push_str(subject);
                self.slot = Some(gathering.slot(subject));
                continue;
            }
            if tag == record::LONE_OBJECT {
                let slot = gathering.slot(string(&mut at)?);
                gathering.count(slot, 1);
                continue;
            }
            let subject = self.slot?;
            gathering.count(subject, 1);
            match tag {
                record::PLAIN => {}
                record::NAME => {
                    let kind = *batch.get(at)?;
                    at += 1;
                    let (lang, text) = (string(&mut at)?, string(&mut at)?);
                    let name = NameEntry {
                        kind: NameKind::from_code(kind),
                        lang: lang.to_ascii_lowercase(),
                        text: text.to_string(),
                    };
                    gathering.entity(subject, &self.subject).names.push(name);
                }
                record::OBJECT | record::TYPE | record::SAME_AS => {
                    let object = string(&mut at)?;
                    let slot = gathering.slot(object);
                    gathering.count(slot, 1);
                    if tag == record::TYPE {
                        gathering.class(subject, &self.subject, object);
                    } else if tag == record::SAME_AS {
                        gathering
                            .same_as
                            .push((self.subject.clone(), object.to_string()));
                    }
                }
                _ => return None,
            }
        }
        Some(())
    }
}

/// The last segment of an IRI, after `#` or `/`, if it has a letter or a
/// digit (`K-Cloud` for `https://w3id.org/aikg/id/K-Cloud`, `Q42` for a
/// Wikidata item).
pub fn local_name(iri: &str) -> Option<&str> {
    let trimmed = iri.trim_end_matches(['/', '#']);
    let start = trimmed.rfind(['#', '/', ':']).map_or(0, |i| i + 1);
    let local = &trimmed[start..];
    local.chars().any(char::is_alphanumeric).then_some(local)
}

/// The name properties, plus every property the store declares a
/// sub-property of one of them.
fn with_sub_properties(
    store: &Store,
    mut properties: Vec<(String, NameKind)>,
) -> Result<Vec<(String, NameKind)>> {
    let values: String = properties.iter().map(|(p, _)| format!("<{p}> ")).collect();
    let rows = select(
        store,
        &format!(
            "SELECT DISTINCT ?p ?base WHERE {{ VALUES ?base {{ {values} }} ?p rdfs:subPropertyOf+ ?base FILTER(isIRI(?p)) }}"
        ),
    )?;
    let kind_of: HashMap<String, NameKind> = properties.iter().cloned().collect();
    let mut found: HashMap<String, NameKind> = HashMap::new();
    for row in rows {
        if let (Some(Term::NamedNode(p)), Some(Term::NamedNode(base))) =
            (row.get("p"), row.get("base"))
        {
            if kind_of.contains_key(p.as_str()) {
                continue;
            }
            let kind = kind_of[base.as_str()];
            // A property under both an acronym and a label property is an
            // acronym: the most specific kind wins.
            let entry = found.entry(p.as_str().to_string()).or_insert(kind);
            *entry = (*entry).max(kind).min(NameKind::Acronym);
        }
    }
    let mut found: Vec<(String, NameKind)> = found.into_iter().collect();
    found.sort();
    properties.extend(found);
    Ok(properties)
}

type Names = Vec<(String, NameEntry)>;

pub fn read_names(
    store: &Store,
    properties: &[(String, NameKind)],
    graph: Option<GraphNameRef<'_>>,
) -> Result<Names> {
    let mut names = Vec::new();
    for (property, kind) in properties {
        let property = NamedNodeRef::new_unchecked(property);
        for quad in store.quads_for_pattern(None, Some(property), None, graph) {
            let quad = quad?;
            if let (NamedOrBlankNode::NamedNode(subject), Term::Literal(literal)) =
                (quad.subject, quad.object)
            {
                let lang = literal.language().unwrap_or("").to_ascii_lowercase();
                names.push((
                    subject.into_string(),
                    NameEntry {
                        kind: *kind,
                        lang,
                        text: literal.value().to_string(),
                    },
                ));
            }
        }
    }
    Ok(names)
}

fn read_types(store: &Store, graph: Option<GraphNameRef<'_>>) -> Result<Vec<(String, String)>> {
    let mut types = Vec::new();
    let rdf_type = NamedNodeRef::new_unchecked(RDF_TYPE);
    for quad in store.quads_for_pattern(None, Some(rdf_type), None, graph) {
        let quad = quad?;
        if let (NamedOrBlankNode::NamedNode(subject), Term::NamedNode(class)) =
            (quad.subject, quad.object)
        {
            types.push((subject.into_string(), class.into_string()));
        }
    }
    types.sort();
    types.dedup();
    Ok(types)
}

fn read_same_as(store: &Store, graph: Option<GraphNameRef<'_>>) -> Result<Vec<(String, String)>> {
    let mut links = Vec::new();
    let same_as = NamedNode::new_unchecked(format!("{OWL}sameAs"));
    for quad in store.quads_for_pattern(None, Some(same_as.as_ref()), None, graph) {
        let quad = quad?;
        if let (NamedOrBlankNode::NamedNode(a), Term::NamedNode(b)) = (quad.subject, quad.object) {
            links.push((a.into_string(), b.into_string()));
        }
    }
    Ok(links)
}

/// How many statements each IRI is the subject or the object of, counted
/// by SPARQL (which groups the store's internal ids and decodes each IRI
/// once, where reading the quads would decode every term of every quad).
fn read_degrees(store: &Store, graph: Option<&NamedNode>) -> Result<FxHashMap<String, u32>> {
    let from = graph.map_or(String::new(), |g| format!("FROM <{}>", g.as_str()));
    let mut degrees: FxHashMap<String, u32> = FxHashMap::default();
    for query in [
        format!(
            "SELECT ?e (COUNT(*) AS ?n) {from} WHERE {{ ?e ?p ?o FILTER(isIRI(?e)) }} GROUP BY ?e"
        ),
        format!(
            "SELECT ?e (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?e FILTER(isIRI(?e)) }} GROUP BY ?e"
        ),
    ] {
        // Evaluated here rather than through `query::select`, which sorts
        // its rows: a million rows need no order.
        let mut prepared = SparqlEvaluator::new()
            .parse_query(&query)
            .map_err(|e| Error::QueryEvaluation(e.to_string()))?;
        if graph.is_none() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        let QueryResults::Solutions(solutions) = prepared
            .on_store(store)
            .execute()
            .map_err(|e| Error::QueryEvaluation(e.to_string()))?
        else {
            continue;
        };
        for row in solutions {
            let row = row.map_err(|e| Error::QueryEvaluation(e.to_string()))?;
            if let (Some(Term::NamedNode(e)), Some(Term::Literal(n))) = (row.get("e"), row.get("n"))
            {
                let n: u32 = n.value().parse().unwrap_or(0);
                *degrees.entry(e.as_str().to_string()).or_default() += n;
            }
        }
    }
    Ok(degrees)
}
