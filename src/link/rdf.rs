//! Any RDF file as a target dataset: every subject with a name
//! (rdfs:label, skos:prefLabel/altLabel, schema:name, foaf:name, gn:name,
//! gn:alternateName) is a record; acronyms from aikg:acronym or
//! schema:alternateName when they look like one; its country from
//! schema:addressCountry / gn:countryCode (ISO codes), its types from rdf:type.

use super::normalize::looks_like_acronym;
use super::{Dataset, Name, NameKind, Record, Status};
use crate::error::Result;
use crate::source::{self, SourceFormat};
use oxigraph::model::{NamedOrBlankNode, Term};
use std::collections::BTreeMap;
use std::path::Path;

pub fn read(path: &Path, format: Option<SourceFormat>) -> Result<Dataset> {
    let quads = source::read_file(path, format)?;
    let mut records: BTreeMap<String, Record> = BTreeMap::new();
    for q in &quads {
        let NamedOrBlankNode::NamedNode(s) = &q.quad.subject else {
            continue;
        };
        let p = q.quad.predicate.as_str();
        let record = || Record {
            id: s.as_str().to_string(),
            names: Vec::new(),
            types: Vec::new(),
            status: Status::Active,
            country: None,
            country_name: None,
            city: None,
            successors: Vec::new(),
            parents: Vec::new(),
            wikidata: None,
            lat: None,
            lng: None,
            population: None,
            established: None,
        };
        match (p, &q.quad.object) {
            (
                "http://www.w3.org/2000/01/rdf-schema#label"
                | "http://www.w3.org/2004/02/skos/core#prefLabel"
                | "https://schema.org/name"
                | "http://schema.org/name"
                | "http://xmlns.com/foaf/0.1/name"
                | "http://www.geonames.org/ontology#name",
                Term::Literal(l),
            ) => records
                .entry(s.as_str().into())
                .or_insert_with(record)
                .names
                .push(Name {
                    value: l.value().into(),
                    kind: NameKind::Label,
                    lang: l.language().map(str::to_string),
                }),
            (
                "http://www.w3.org/2004/02/skos/core#altLabel"
                | "https://schema.org/alternateName"
                | "http://schema.org/alternateName"
                | "http://www.geonames.org/ontology#alternateName"
                | "https://w3id.org/aikg/ontology#acronym",
                Term::Literal(l),
            ) => records
                .entry(s.as_str().into())
                .or_insert_with(record)
                .names
                .push(Name {
                    value: l.value().into(),
                    kind: if p.ends_with("#acronym") || looks_like_acronym(l.value()) {
                        NameKind::Acronym
                    } else {
                        NameKind::Alias
                    },
                    lang: l.language().map(str::to_string),
                }),
            ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", Term::NamedNode(t)) => {
                let local = t
                    .as_str()
                    .rsplit(['/', '#'])
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                records
                    .entry(s.as_str().into())
                    .or_insert_with(record)
                    .types
                    .push(local)
            }
            (
                "https://schema.org/addressCountry"
                | "http://www.geonames.org/ontology#countryCode",
                Term::Literal(l),
            ) if l.value().len() == 2 => {
                records
                    .entry(s.as_str().into())
                    .or_insert_with(record)
                    .country = Some(l.value().to_ascii_uppercase())
            }
            _ => {}
        }
    }
    Ok(Dataset {
        name: path
            .file_name()
            .map_or_else(|| "RDF".into(), |n| n.to_string_lossy().into_owned()),
        namespace: String::new(),
        source: path.display().to_string(),
        records: records
            .into_values()
            .filter(|r| !r.names.is_empty())
            .collect(),
    })
}
