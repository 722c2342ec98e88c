//! The ROR data dump, schema v2 (the JSON array ROR publishes), read into
//! [`Record`]s.

use super::{Dataset, Name, NameKind, Record, Status};
use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
pub struct RorRecord {
    pub id: String,
    #[serde(default)]
    pub names: Vec<RorName>,
    #[serde(default)]
    pub types: Vec<String>,
    pub status: String,
    #[serde(default)]
    pub locations: Vec<RorLocation>,
    #[serde(default)]
    pub external_ids: Vec<RorExternalId>,
    #[serde(default)]
    pub relationships: Vec<RorRelationship>,
    #[serde(default)]
    pub established: Option<i32>,
}

#[derive(Deserialize)]
pub struct RorName {
    pub value: String,
    #[serde(default)]
    pub types: Vec<String>,
    #[serde(default)]
    pub lang: Option<String>,
}

#[derive(Deserialize)]
pub struct RorLocation {
    pub geonames_id: Option<u64>,
    pub geonames_details: RorGeonamesDetails,
}

#[derive(Deserialize)]
pub struct RorGeonamesDetails {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub country_code: Option<String>,
    #[serde(default)]
    pub country_name: Option<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lng: Option<f64>,
}

#[derive(Deserialize)]
pub struct RorExternalId {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub all: Vec<String>,
    #[serde(default)]
    pub preferred: Option<String>,
}

#[derive(Deserialize)]
pub struct RorRelationship {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    #[serde(default)]
    pub label: String,
}

/// Reads a ROR v2 dump.
pub fn read(path: &Path) -> Result<Dataset> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path.display(), e))?;
    read_bytes(&path.display().to_string(), &bytes)
}

/// Reads a ROR v2 dump held in memory; `source` names it in messages.
pub fn read_bytes(source: &str, bytes: &[u8]) -> Result<Dataset> {
    // serde_json checks the UTF-8 of the strings it keeps, not of those it
    // skips: check the whole text first.
    let text = crate::source::check_utf8(&source.into(), bytes)?;
    let records: Vec<RorRecord> =
        serde_json::from_str(text).map_err(|e| {
            Error::usage(
            format!("{source}:{}:{}: not a ROR v2 dump: {e}", e.line(), e.column()),
            "give the JSON file of a ROR data dump (schema v2), e.g. v1.xx-ror-data_schema_v2.json",
        )
        })?;
    Ok(Dataset {
        name: "ROR".into(),
        namespace: "https://ror.org/".into(),
        source: source.to_string(),
        records: records.into_iter().map(to_record).collect(),
    })
}

/// The single Wikidata id a ROR record states (the preferred one, or the only one).
fn wikidata(ids: &[RorExternalId]) -> Option<String> {
    let w = ids.iter().find(|e| e.kind == "wikidata")?;
    w.preferred
        .clone()
        .or_else(|| (w.all.len() == 1).then(|| w.all[0].clone()))
}

pub fn to_record(r: RorRecord) -> Record {
    let mut r = r;
    // The ror_display name first: it is the record's name.
    r.names
        .sort_by_key(|n| !n.types.iter().any(|t| t == "ror_display"));
    let names = r
        .names
        .into_iter()
        .map(|n| Name {
            kind: if n.types.iter().any(|t| t == "acronym") {
                NameKind::Acronym
            } else if n.types.iter().any(|t| t == "ror_display" || t == "label") {
                NameKind::Label
            } else {
                NameKind::Alias
            },
            value: n.value,
            lang: n.lang,
        })
        .collect();
    let location = r.locations.first();
    Record {
        status: match r.status.as_str() {
            "active" => Status::Active,
            "inactive" => Status::Inactive,
            _ => Status::Withdrawn,
        },
        country: location.and_then(|l| l.geonames_details.country_code.clone()),
        country_name: location.and_then(|l| l.geonames_details.country_name.clone()),
        city: location.and_then(|l| Some((l.geonames_id?, l.geonames_details.name.clone()?))),
        lat: location.and_then(|l| l.geonames_details.lat),
        lng: location.and_then(|l| l.geonames_details.lng),
        successors: r
            .relationships
            .iter()
            .filter(|x| x.kind == "successor")
            .map(|x| x.id.clone())
            .collect(),
        parents: r
            .relationships
            .iter()
            .filter(|x| x.kind == "parent")
            .map(|x| x.id.clone())
            .collect(),
        wikidata: wikidata(&r.external_ids),
        population: None,
        established: r.established,
        types: r.types,
        names,
        id: r.id,
    }
}
