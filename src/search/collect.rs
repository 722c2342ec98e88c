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
    /// Adds what `other` holds (degrees add up).
    pub fn extend(&mut self, other: Collected) {
        self.names.extend(other.names);
        self.types.extend(other.types);
        self.same_as.extend(other.same_as);
        for (iri, n) in other.degrees {
            *self.degrees.entry(iri).or_default() += n;
        }
    }

    /// The entities: IRIs with a name or a class, except vocabulary terms,
    /// each with its IRI's last segment as one more name.
    pub fn into_entities(self) -> Vec<EntityEntry> {
        let Collected {
            names,
            types,
            same_as,
            degrees,
        } = self;
        let mut entities = Entities::default();
        for (iri, name) in names {
            let at = entities.at(iri);
            entities.list[at].names.push(name);
        }
        let mut vocabulary = Vec::new();
        for (iri, class) in types {
            if VOCABULARY_TYPES.contains(&class.as_str()) {
                vocabulary.push(iri);
                continue;
            }
            let at = entities.at(iri);
            entities.list[at].classes.push(class);
        }
        let Entities { mut list, ids, .. } = entities;
        let mut kept = vec![true; list.len()];
        for iri in vocabulary {
            if let Some(&at) = ids.get(&iri) {
                kept[at] = false;
            }
        }
        for (a, b) in same_as {
            if let Some(&at) = ids.get(&a) {
                list[at].same_as.push(b.clone());
            }
            if let Some(&at) = ids.get(&b) {
                list[at].same_as.push(a);
            }
        }
        drop(ids);
        let mut kept = kept.into_iter();
        list.retain(|_| kept.next().unwrap_or(false));
        for entity in &mut list {
            entity.degree = degrees.get(&entity.iri).copied().unwrap_or(0);
            entity.names.retain(|n| n.kind != NameKind::Iri);
            if let Some(local) = local_name(&entity.iri) {
                entity.names.push(NameEntry {
                    kind: NameKind::Iri,
                    lang: String::new(),
                    text: local.to_string(),
                });
            }
        }
        list
    }
}

/// Entities gathered by IRI. A store's statements mostly come subject by
/// subject, in the same order for names and classes: the entity of the
/// last IRI, then the next one, are checked before the map.
#[derive(Default)]
struct Entities {
    list: Vec<EntityEntry>,
    ids: FxHashMap<String, usize>,
    last: usize,
}

impl Entities {
    /// Where the entity of `iri` is in the list (added if new).
    fn at(&mut self, iri: String) -> usize {
        for near in [self.last, self.last + 1] {
            if self.list.get(near).is_some_and(|e| e.iri == iri) {
                self.last = near;
                return near;
            }
        }
        self.last = match self.ids.get(&iri) {
            Some(&at) => at,
            None => {
                self.ids.insert(iri.clone(), self.list.len());
                self.list.push(EntityEntry {
                    iri,
                    ..EntityEntry::default()
                });
                self.list.len() - 1
            }
        };
        self.last
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

/// Collects what the index needs from quads as they are loaded, without
/// reading them back from the store: the names given by the properties of
/// [`name_properties`], classes, `owl:sameAs`, and how many statements
/// each IRI is in.
pub struct QuadCollector {
    kinds: rustc_hash::FxHashMap<String, NameKind>,
    same_as: String,
    degrees: FxHashMap<String, u32>,
    /// The subject of the last quads and how many they are, not yet in
    /// `degrees` (quads mostly come subject by subject: one lookup each).
    subject: String,
    subject_quads: u32,
    collected: Collected,
}

impl Default for QuadCollector {
    fn default() -> Self {
        Self {
            kinds: name_properties().into_iter().collect(),
            same_as: format!("{OWL}sameAs"),
            degrees: FxHashMap::default(),
            subject: String::new(),
            subject_quads: 0,
            collected: Collected::default(),
        }
    }
}

impl QuadCollector {
    pub fn see(&mut self, quad: &oxigraph::model::Quad) {
        let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
            if let Term::NamedNode(object) = &quad.object {
                self.count(object.as_str());
            }
            return;
        };
        if subject.as_str() == self.subject {
            self.subject_quads += 1;
        } else {
            self.flush_subject();
            self.subject.push_str(subject.as_str());
            self.subject_quads = 1;
        }
        let predicate = quad.predicate.as_str();
        match &quad.object {
            Term::Literal(literal) => {
                if let Some(&kind) = self.kinds.get(predicate) {
                    self.collected.names.push((
                        subject.as_str().to_string(),
                        NameEntry {
                            kind,
                            lang: literal.language().unwrap_or("").to_ascii_lowercase(),
                            text: literal.value().to_string(),
                        },
                    ));
                }
            }
            Term::NamedNode(object) => {
                self.count(object.as_str());
                if predicate == RDF_TYPE {
                    self.collected
                        .types
                        .push((subject.as_str().to_string(), object.as_str().to_string()));
                } else if predicate == self.same_as {
                    self.collected
                        .same_as
                        .push((subject.as_str().to_string(), object.as_str().to_string()));
                }
            }
            _ => {}
        }
    }

    fn count(&mut self, iri: &str) {
        add_degree(&mut self.degrees, iri, 1);
    }

    /// Adds the quads of the last subject to its degree.
    fn flush_subject(&mut self) {
        if self.subject_quads > 0 {
            add_degree(&mut self.degrees, &self.subject, self.subject_quads);
            self.subject_quads = 0;
        }
        self.subject.clear();
    }

    pub fn finish(mut self) -> Collected {
        self.flush_subject();
        self.collected.degrees = self.degrees;
        self.collected
    }
}

/// Adds `quads` statements to the degree of `iri` (its key is allocated
/// only the first time).
fn add_degree(degrees: &mut FxHashMap<String, u32>, iri: &str, quads: u32) {
    match degrees.get_mut(iri) {
        Some(n) => *n += quads,
        None => {
            degrees.insert(iri.into(), quads);
        }
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
