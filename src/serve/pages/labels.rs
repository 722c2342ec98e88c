//! Names of the graph's things in a language, and the names people search
//! them by: read once per generation of the graph (a write starts a new one).

use crate::error::Result;
use crate::query::select;
use crate::search::normalize::fold as normalize;
use oxigraph::model::Term;
use oxigraph::store::Store;
use std::collections::HashMap;

use super::i18n::Lang;

/// The labels of every IRI, and the search index of their names.
#[derive(Default)]
pub struct Labels {
    /// IRI → (English, French, any other) label.
    by_iri: HashMap<String, [Option<String>; 3]>,
    /// (normalized name, the name, IRI), sorted: labels, alternative labels
    /// and acronyms.
    names: Vec<(String, String, String)>,
    /// Entity IRI → its most specific class of the ontology.
    kinds: HashMap<String, String>,
}

impl Labels {
    pub fn load(store: &Store) -> Result<Self> {
        let mut by_iri: HashMap<String, [Option<String>; 3]> = HashMap::new();
        let mut names = Vec::new();
        let rows = select(
            store,
            r#"SELECT DISTINCT ?s ?name ?kind WHERE {
                 { ?s rdfs:label ?name BIND("label" AS ?kind) }
                 UNION { ?s skos:prefLabel ?name BIND("label" AS ?kind) }
                 UNION { ?s skos:altLabel ?name BIND("alt" AS ?kind) }
                 UNION { ?s aikg:acronym ?name BIND("alt" AS ?kind) }
                 FILTER(isIRI(?s))
               }"#,
        )?;
        for row in &rows {
            let (Some(Term::NamedNode(s)), Some(Term::Literal(name))) =
                (row.get("s"), row.get("name"))
            else {
                continue;
            };
            let is_label =
                matches!(row.get("kind"), Some(Term::Literal(k)) if k.value() == "label");
            if is_label {
                let slot = match name.language().and_then(Lang::from_code) {
                    Some(Lang::En) => 0,
                    Some(Lang::Fr) => 1,
                    None => 2,
                };
                let entry = by_iri.entry(s.as_str().to_string()).or_default();
                // The smallest label wins when there are several: stable.
                if entry[slot].as_deref().is_none_or(|l| name.value() < l) {
                    entry[slot] = Some(name.value().to_string());
                }
            }
            if s.as_str().starts_with(crate::namespaces::ID) {
                names.push((
                    normalize(name.value()),
                    name.value().to_string(),
                    s.as_str().to_string(),
                ));
            }
        }
        names.sort();
        names.dedup();
        let mut kinds = HashMap::new();
        for row in &select(
            store,
            r#"SELECT ?s (MIN(STR(?class)) AS ?kind) WHERE {
                 ?s a ?class FILTER(STRSTARTS(STR(?class), STR(aikg:)) && STRSTARTS(STR(?s), STR(id:)))
                 FILTER NOT EXISTS { ?s a ?sub . ?sub rdfs:subClassOf+ ?class FILTER(?sub != ?class) }
               } GROUP BY ?s"#,
        )? {
            if let (Some(Term::NamedNode(s)), Some(Term::Literal(kind))) =
                (row.get("s"), row.get("kind"))
            {
                kinds.insert(s.as_str().to_string(), kind.value().to_string());
            }
        }
        Ok(Self {
            by_iri,
            names,
            kinds,
        })
    }

    /// The label of an IRI in `lang`, else in the other language, else any.
    pub fn get(&self, iri: &str, lang: Lang) -> Option<&str> {
        let entry = self.by_iri.get(iri)?;
        let (first, second) = match lang {
            Lang::En => (0, 1),
            Lang::Fr => (1, 0),
        };
        entry[first]
            .as_deref()
            .or(entry[second].as_deref())
            .or(entry[2].as_deref())
    }

    /// An entity's most specific class (IRI).
    pub fn kind(&self, iri: &str) -> Option<&str> {
        self.kinds.get(iri).map(String::as_str)
    }

    /// The label of an IRI in exactly `lang`, if it has one.
    pub fn exactly(&self, iri: &str, lang: Lang) -> Option<&str> {
        let slot = match lang {
            Lang::En => 0,
            Lang::Fr => 1,
        };
        self.by_iri.get(iri)?[slot].as_deref()
    }

    /// What to call an IRI: its label, else its prefixed name, else itself.
    pub fn name(&self, iri: &str, lang: Lang) -> String {
        self.get(iri, lang)
            .map(str::to_string)
            .unwrap_or_else(|| crate::namespaces::compact(iri).unwrap_or_else(|| iri.to_string()))
    }

    /// Entities whose names match `text` (accents and case ignored): names
    /// that start with it first, then names that contain it; each entity
    /// once, at most `limit`. Returns (IRI, the name that matched).
    pub fn search(&self, text: &str, limit: usize) -> Vec<(String, String)> {
        let wanted = normalize(text);
        if wanted.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(u8, usize, &str, &str)> = self
            .names
            .iter()
            .filter_map(|(normalized, name, iri)| {
                let rank = if *normalized == wanted {
                    0
                } else if normalized.starts_with(&wanted) {
                    1
                } else if normalized.contains(&wanted) {
                    2
                } else {
                    return None;
                };
                Some((rank, name.chars().count(), name.as_str(), iri.as_str()))
            })
            .collect();
        found.sort();
        let mut seen = std::collections::HashSet::new();
        found
            .into_iter()
            .filter(|(_, _, _, iri)| seen.insert(*iri))
            .take(limit)
            .map(|(_, _, name, iri)| (iri.to_string(), name.to_string()))
            .collect()
    }
}
