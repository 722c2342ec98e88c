//! What the projection needs to know of the ontology: the labels of classes
//! and properties (in every language), the class hierarchy, and which
//! properties are symmetric. Read from the store (any RDFS/OWL it holds), and
//! from the bundled ontology when the store has none (a store filled by
//! `aikg load` with plain data files).

use super::raw::RawGraph;
use crate::error::Result;
use crate::kg::{select, Kg};
use crate::namespaces::{AIKG, OWL, RDF, RDFS};
use crate::store::{self, Sources};
use oxigraph::model::Term;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Labels, hierarchy and symmetry of the terms of the ontologies in use.
#[derive(Clone, Debug, Default)]
pub struct Vocab {
    /// term IRI → (language, label)
    labels: HashMap<String, Vec<(String, String)>>,
    /// class IRI → its direct superclasses
    superclasses: HashMap<String, BTreeSet<String>>,
    /// symmetric properties
    symmetric: BTreeSet<String>,
    /// the classes the ontologies declare
    classes: BTreeSet<String>,
    /// the properties the ontologies declare
    properties: BTreeSet<String>,
}

const TERM_LABELS: &str = r#"
SELECT DISTINCT ?term ?kind ?label WHERE {
  VALUES ?kind { owl:Class rdfs:Class owl:ObjectProperty owl:DatatypeProperty rdf:Property
                 owl:SymmetricProperty owl:TransitiveProperty owl:FunctionalProperty }
  ?term a ?kind .
  OPTIONAL { ?term rdfs:label ?label }
  FILTER(isIRI(?term))
}"#;

const HIERARCHY: &str = r#"
SELECT DISTINCT ?sub ?super WHERE { ?sub rdfs:subClassOf ?super FILTER(isIRI(?sub) && isIRI(?super)) }"#;

const SYMMETRIC: &str = r#"
SELECT DISTINCT ?p WHERE { ?p a owl:SymmetricProperty FILTER(isIRI(?p)) }"#;

impl Vocab {
    /// The vocabulary the store declares, completed by the bundled ontology
    /// when the store holds no ontology graph.
    pub fn load(store: &dyn Kg) -> Result<Self> {
        let mut vocab = Self::from_store(store)?;
        if !store.has_ontology_graph()? {
            let bundled = Sources::bundled();
            let only_ontology = Sources {
                ontology: bundled.ontology,
                data: Vec::new(),
                queries: Vec::new(),
                ..bundled
            };
            let ontology_store = store::in_memory(&only_ontology.read_quads()?)?;
            vocab.merge(Self::from_store(&ontology_store)?);
        }
        Ok(vocab)
    }

    /// The vocabulary declared in a store (in any graph).
    pub fn from_store(store: &dyn Kg) -> Result<Self> {
        let mut vocab = Self::default();
        for row in select(store, TERM_LABELS)? {
            let Some(Term::NamedNode(term)) = row.get("term") else {
                continue;
            };
            let is_class = matches!(row.get("kind"), Some(Term::NamedNode(k)) if k.as_str().ends_with("#Class"));
            if is_class {
                vocab.classes.insert(term.as_str().to_string());
            } else {
                vocab.properties.insert(term.as_str().to_string());
            }
            if let Some(Term::Literal(label)) = row.get("label") {
                vocab
                    .labels
                    .entry(term.as_str().to_string())
                    .or_default()
                    .push((
                        label.language().unwrap_or("").to_string(),
                        label.value().to_string(),
                    ));
            }
        }
        for row in select(store, HIERARCHY)? {
            if let (Some(Term::NamedNode(sub)), Some(Term::NamedNode(sup))) =
                (row.get("sub"), row.get("super"))
            {
                vocab
                    .superclasses
                    .entry(sub.as_str().to_string())
                    .or_default()
                    .insert(sup.as_str().to_string());
            }
        }
        for row in select(store, SYMMETRIC)? {
            if let Some(Term::NamedNode(p)) = row.get("p") {
                vocab.symmetric.insert(p.as_str().to_string());
            }
        }
        for labels in vocab.labels.values_mut() {
            labels.sort();
            labels.dedup();
        }
        Ok(vocab)
    }

    /// The vocabulary of RDF files read without a store: what they declare,
    /// completed by the bundled ontology (as [`Self::load`] completes a
    /// store without an ontology graph).
    pub fn for_files(raw: &RawGraph) -> Result<Self> {
        let bundled = Sources::bundled();
        let only_ontology = Sources {
            ontology: bundled.ontology,
            data: Vec::new(),
            queries: Vec::new(),
            ..bundled
        };
        let mut ontology = RawGraph::default();
        for q in only_ontology.read_quads()? {
            ontology.add(
                q.quad.subject.as_ref(),
                q.quad.predicate.as_ref(),
                q.quad.object.as_ref(),
            );
        }
        let mut vocab = Self::from_raw(raw);
        vocab.merge(Self::from_raw(&ontology));
        Ok(vocab)
    }

    /// The vocabulary declared in statements already read: what
    /// [`Self::from_store`] asks of a store, read off the descriptions.
    pub fn from_raw(raw: &RawGraph) -> Self {
        const KINDS: [&str; 8] = [
            "http://www.w3.org/2002/07/owl#Class",
            "http://www.w3.org/2000/01/rdf-schema#Class",
            "http://www.w3.org/2002/07/owl#ObjectProperty",
            "http://www.w3.org/2002/07/owl#DatatypeProperty",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property",
            "http://www.w3.org/2002/07/owl#SymmetricProperty",
            "http://www.w3.org/2002/07/owl#TransitiveProperty",
            "http://www.w3.org/2002/07/owl#FunctionalProperty",
        ];
        let label = format!("{RDFS}label");
        let sub_class_of = format!("{RDFS}subClassOf");
        let symmetric = format!("{OWL}SymmetricProperty");
        let mut vocab = Self::default();
        for (term, d) in &raw.subjects {
            if term.starts_with("_:") {
                continue;
            }
            let mut declared = false;
            for kind in d.types.iter().filter(|t| KINDS.contains(&&***t)) {
                declared = true;
                if kind.ends_with("#Class") {
                    vocab.classes.insert(term.to_string());
                } else {
                    vocab.properties.insert(term.to_string());
                }
                if **kind == *symmetric {
                    vocab.symmetric.insert(term.to_string());
                }
            }
            if declared {
                for l in d.literals_of(&label) {
                    vocab.labels.entry(term.to_string()).or_default().push((
                        l.language().unwrap_or("").to_string(),
                        l.value().to_string(),
                    ));
                }
            }
            for sup in d.links_of(&sub_class_of) {
                if !sup.starts_with("_:") {
                    vocab
                        .superclasses
                        .entry(term.to_string())
                        .or_default()
                        .insert(sup.to_string());
                }
            }
        }
        for labels in vocab.labels.values_mut() {
            labels.sort();
            labels.dedup();
        }
        vocab
    }

    fn merge(&mut self, other: Self) {
        for (term, labels) in other.labels {
            let mine = self.labels.entry(term).or_default();
            mine.extend(labels);
            mine.sort();
            mine.dedup();
        }
        for (sub, supers) in other.superclasses {
            self.superclasses.entry(sub).or_default().extend(supers);
        }
        self.symmetric.extend(other.symmetric);
        self.classes.extend(other.classes);
        self.properties.extend(other.properties);
    }

    /// The classes the vocabulary declares.
    pub fn classes(&self) -> impl Iterator<Item = &str> {
        self.classes.iter().map(String::as_str)
    }

    /// The properties the vocabulary declares.
    pub fn properties(&self) -> impl Iterator<Item = &str> {
        self.properties.iter().map(String::as_str)
    }

    /// Is the property symmetric (`owl:SymmetricProperty`)?
    pub fn is_symmetric(&self, property: &str) -> bool {
        self.symmetric.contains(property)
    }

    /// The term's label in `lang`, else in English, else any, else its
    /// prefixed or local name.
    pub fn label(&self, iri: &str, lang: &str) -> String {
        self.labels
            .get(iri)
            .and_then(|labels| {
                pick_label(labels.iter().map(|(l, v)| (l.as_str(), v.as_str())), lang)
            })
            .unwrap_or_else(|| short_name(iri))
    }

    /// The class and all its superclasses, nearest first (breadth-first,
    /// alphabetical within a level), without repetition.
    pub fn ancestors(&self, class: &str) -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        let mut level = vec![class.to_string()];
        while !level.is_empty() {
            let mut next = BTreeSet::new();
            for c in level {
                if seen.insert(c.clone()) {
                    if let Some(supers) = self.superclasses.get(&c) {
                        next.extend(supers.iter().cloned());
                    }
                    out.push(c);
                }
            }
            level = next.into_iter().filter(|c| !seen.contains(c)).collect();
        }
        out
    }

    /// Is `class` the class `ancestor` or one of its subclasses?
    pub fn is_a(&self, class: &str, ancestor: &str) -> bool {
        class == ancestor || self.ancestors(class).iter().any(|c| c == ancestor)
    }
}

/// The best of several labels for a language: that language (or a regional
/// variant of it), else a plain literal, else English, else any; ties broken
/// alphabetically so the choice is stable.
pub fn pick_label<'a>(
    labels: impl Iterator<Item = (&'a str, &'a str)>,
    lang: &str,
) -> Option<String> {
    labels
        .map(|(l, v)| {
            let primary = l.split('-').next().unwrap_or("");
            let rank = if primary.eq_ignore_ascii_case(lang) {
                0
            } else if l.is_empty() {
                1
            } else if primary.eq_ignore_ascii_case("en") {
                2
            } else {
                3
            };
            (rank, v)
        })
        .min()
        .map(|(_, v)| v.to_string())
}

/// `aikg:funds` for a known namespace, else the IRI's last segment.
pub fn short_name(iri: &str) -> String {
    if let Some(local) = iri.strip_prefix(AIKG) {
        return local.to_string();
    }
    crate::namespaces::compact(iri).unwrap_or_else(|| {
        let local = iri
            .rsplit(['/', '#'])
            .find(|s| !s.is_empty())
            .unwrap_or(iri);
        local.to_string()
    })
}

/// Resolves a class or property name given by a user: an IRI, a prefixed
/// name, or a local name of the aikg ontology (case-insensitive).
pub fn resolve_term(name: &str, candidates: &BTreeMap<String, ()>) -> Option<String> {
    let name = name.trim();
    if name.starts_with('<') && name.ends_with('>') {
        return Some(name[1..name.len() - 1].to_string());
    }
    if name.starts_with("http://") || name.starts_with("https://") {
        return Some(name.to_string());
    }
    if name.contains(':') {
        return crate::namespaces::expand(name);
    }
    let exact = format!("{AIKG}{name}");
    if candidates.contains_key(&exact) {
        return Some(exact);
    }
    let lower = name.to_lowercase();
    candidates
        .keys()
        .find(|iri| {
            short_name(iri).to_lowercase() == lower || local_part(iri).to_lowercase() == lower
        })
        .cloned()
        .or(Some(exact))
}

fn local_part(iri: &str) -> &str {
    iri.rsplit(['/', '#'])
        .find(|s| !s.is_empty())
        .unwrap_or(iri)
}

/// IRIs the projection gives a meaning to.
pub mod terms {
    use super::*;

    pub fn rdf_type() -> String {
        format!("{RDF}type")
    }
    pub fn label() -> String {
        format!("{RDFS}label")
    }
    pub fn owl(local: &str) -> String {
        format!("{OWL}{local}")
    }
    pub fn aikg(local: &str) -> String {
        format!("{AIKG}{local}")
    }
}
