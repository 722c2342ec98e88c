//! The graph's side of linking: its organisations and places, with their
//! names in every language, acronyms, class, country and city.

use crate::error::Result;
use crate::kg::Kg;
use crate::namespaces::AIKG;
use oxigraph::model::Term;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKind {
    Organization,
    Country,
    City,
    /// Regions, districts and other places.
    OtherPlace,
}

/// An organisation or place of the graph.
#[derive(Clone, Debug, Default)]
pub struct Entity {
    pub iri: String,
    /// Local names of its aikg classes (University, City...).
    pub classes: Vec<String>,
    pub kind: Option<EntityKind>,
    /// rdfs:label and skos:altLabel values, every language.
    pub labels: Vec<String>,
    pub acronyms: Vec<String>,
    /// Its country (aikg:country, else the country its aikg:locatedIn chain reaches).
    pub country: Option<String>,
    /// The city its aikg:locatedIn chain reaches.
    pub city: Option<String>,
}

impl Entity {
    pub fn short(&self) -> String {
        crate::namespaces::compact(&self.iri).unwrap_or_else(|| format!("<{}>", self.iri))
    }

    /// The first English label, else the first label.
    pub fn label(&self) -> &str {
        self.labels.first().map_or("", String::as_str)
    }
}

fn text(term: Option<&Term>) -> Option<String> {
    match term? {
        Term::NamedNode(n) => Some(n.as_str().to_string()),
        Term::Literal(l) => Some(l.value().to_string()),
        _ => None,
    }
}

/// Every organisation and place of the graph, sorted by IRI.
pub fn read(store: &dyn Kg) -> Result<Vec<Entity>> {
    let mut entities: BTreeMap<String, Entity> = BTreeMap::new();
    let rows = crate::kg::select(
        store,
        "SELECT ?e ?class ?kind WHERE {
           ?e a ?class .
           VALUES ?kind { aikg:Organization aikg:Country aikg:City aikg:Place }
           ?class rdfs:subClassOf* ?kind .
           FILTER(isIRI(?e))
         }",
    )?;
    for row in &rows {
        let (Some(e), Some(class), Some(kind)) = (
            text(row.get("e")),
            text(row.get("class")),
            text(row.get("kind")),
        ) else {
            continue;
        };
        let kind = match kind.strip_prefix(AIKG) {
            Some("Organization") => EntityKind::Organization,
            Some("Country") => EntityKind::Country,
            Some("City") => EntityKind::City,
            _ => EntityKind::OtherPlace,
        };
        let entity = entities.entry(e.clone()).or_insert_with(|| Entity {
            iri: e,
            ..Entity::default()
        });
        if let Some(local) = class.strip_prefix(AIKG) {
            if !entity.classes.iter().any(|c| c == local) {
                entity.classes.push(local.to_string());
            }
        }
        // The most specific kind wins (Country and City over Place).
        entity.kind = Some(match entity.kind {
            Some(EntityKind::OtherPlace) | None => kind,
            Some(k) if kind == EntityKind::OtherPlace => k,
            Some(k) => k.min(kind),
        });
    }
    let rows = crate::kg::select(
        store,
        "SELECT ?e ?l ?lang WHERE { ?e rdfs:label|skos:altLabel|skos:prefLabel ?l BIND(LANG(?l) AS ?lang) }
         ORDER BY ?e DESC(?lang = \"en\") ?lang ?l",
    )?;
    for row in &rows {
        if let (Some(e), Some(l)) = (text(row.get("e")), text(row.get("l"))) {
            if let Some(entity) = entities.get_mut(&e) {
                if !entity.labels.contains(&l) {
                    entity.labels.push(l);
                }
            }
        }
    }
    let rows = crate::kg::select(
        store,
        "SELECT ?e ?a WHERE { ?e aikg:acronym ?a } ORDER BY ?e ?a",
    )?;
    for row in &rows {
        if let (Some(e), Some(a)) = (text(row.get("e")), text(row.get("a"))) {
            if let Some(entity) = entities.get_mut(&e) {
                entity.acronyms.push(a);
            }
        }
    }
    // Country: stated, else reached through locatedIn (the nearest).
    let rows = crate::kg::select(
        store,
        "SELECT ?e ?c WHERE { ?e aikg:country ?c } ORDER BY ?e ?c",
    )?;
    for row in &rows {
        if let (Some(e), Some(c)) = (text(row.get("e")), text(row.get("c"))) {
            if let Some(entity) = entities.get_mut(&e) {
                entity.country.get_or_insert(c);
            }
        }
    }
    let rows = crate::kg::select(
        store,
        "SELECT ?e ?place ?kind (COUNT(?mid) AS ?depth) WHERE {
           ?e aikg:locatedIn+ ?place .
           VALUES ?kind { aikg:Country aikg:City }
           ?place a ?kind .
           OPTIONAL { ?e aikg:locatedIn+ ?mid . ?mid aikg:locatedIn+ ?place }
         } GROUP BY ?e ?place ?kind ORDER BY ?e ?depth ?place",
    )?;
    for row in &rows {
        let (Some(e), Some(place), Some(kind)) = (
            text(row.get("e")),
            text(row.get("place")),
            text(row.get("kind")),
        ) else {
            continue;
        };
        if let Some(entity) = entities.get_mut(&e) {
            if kind.ends_with("#Country") {
                entity.country.get_or_insert(place);
            } else {
                entity.city.get_or_insert(place);
            }
        }
    }
    Ok(entities
        .into_values()
        .filter(|e| e.kind.is_some())
        .collect())
}
