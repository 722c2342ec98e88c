//! External data converted to RDF and loaded into its own named graph of a
//! persistent store, apart from the sources' facts, so that queries join it
//! through the links (`owl:sameAs`).
//!
//! GeoNames cities → `gn:Feature` with `gn:name`, `gn:alternateName`,
//! `geo:lat`, `geo:long`, `gn:population`, `gn:countryCode`; ROR records →
//! `schema:Organization` with `schema:name`, `schema:alternateName`,
//! `schema:foundingDate` (xsd:gYear), `schema:addressCountry`,
//! `schema:location` (the GeoNames city), `schema:sameAs` (Wikidata),
//! `dcterms:type` (ROR types), `schema:parentOrganization`.

use super::{Dataset, NameKind};
use crate::error::{Error, Result};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};
use oxigraph::store::Store;
use std::path::Path;

const GN: &str = "http://www.geonames.org/ontology#";
const GEO: &str = "http://www.w3.org/2003/01/geo/wgs84_pos#";
const SCHEMA: &str = "https://schema.org/";

fn iri(s: &str) -> NamedNode {
    NamedNode::new_unchecked(s)
}

/// The IRI `iri` that `value` (`what` of the record `record` of `dataset`:
/// a parent's id, a Wikidata id) makes, or an error that names them: an
/// invalid IRI must not reach the store.
fn checked_iri(
    dataset: &Dataset,
    record: &str,
    what: &str,
    value: &str,
    iri: String,
) -> Result<NamedNode> {
    NamedNode::new(iri).map_err(|e| {
        Error::usage(
            format!(
                "{}: record {record}: {what} {value:?} is not an IRI ({e})",
                dataset.source
            ),
            "check the record in the dataset",
        )
    })
}

/// A year as xsd:gYear writes it: at least four digits, after the sign.
fn g_year(year: i32) -> String {
    let sign = if year < 0 { "-" } else { "" };
    format!("{sign}{:04}", year.unsigned_abs())
}

/// The quads of a dataset in `graph`.
pub fn to_quads(dataset: &Dataset, graph: &NamedNode) -> Result<Vec<Quad>> {
    let g = GraphName::NamedNode(graph.clone());
    let mut quads = Vec::new();
    let mut add =
        |s: &NamedNode, p: &str, o: Term| quads.push(Quad::new(s.clone(), iri(p), o, g.clone()));
    let is_place = dataset
        .records
        .first()
        .is_some_and(|r| r.types.iter().any(|t| t == "city" || t == "country"));
    for r in &dataset.records {
        let s = NamedNode::new(&r.id).map_err(|e| {
            Error::usage(
                format!(
                    "{}: record id {:?} is not an IRI ({e})",
                    dataset.source, r.id
                ),
                "check the id column and --columns iri=…",
            )
        })?;
        let s = &s;
        if is_place {
            add(s, rdf::TYPE.as_str(), iri(&format!("{GN}Feature")).into());
            for n in &r.names {
                let p = if n.kind == NameKind::Label {
                    "name"
                } else {
                    "alternateName"
                };
                add(
                    s,
                    &format!("{GN}{p}"),
                    Literal::new_simple_literal(&n.value).into(),
                );
            }
            if let Some(p) = r.population {
                add(
                    s,
                    &format!("{GN}population"),
                    Literal::new_typed_literal(p.to_string(), xsd::INTEGER).into(),
                );
            }
            if let Some(c) = &r.country {
                add(
                    s,
                    &format!("{GN}countryCode"),
                    Literal::new_simple_literal(c).into(),
                );
            }
        } else {
            add(
                s,
                rdf::TYPE.as_str(),
                iri(&format!("{SCHEMA}Organization")).into(),
            );
            for n in &r.names {
                let p = if n.kind == NameKind::Label {
                    "name"
                } else {
                    "alternateName"
                };
                let lit = match &n.lang {
                    Some(lang) => Literal::new_language_tagged_literal(&n.value, lang)
                        .unwrap_or_else(|_| Literal::new_simple_literal(&n.value)),
                    None => Literal::new_simple_literal(&n.value),
                };
                add(s, &format!("{SCHEMA}{p}"), lit.into());
            }
            add(
                s,
                rdfs::LABEL.as_str(),
                Literal::new_simple_literal(r.display_name()).into(),
            );
            if let Some(y) = r.established {
                add(
                    s,
                    &format!("{SCHEMA}foundingDate"),
                    Literal::new_typed_literal(g_year(y), xsd::G_YEAR).into(),
                );
            }
            if let Some(c) = &r.country {
                add(
                    s,
                    &format!("{SCHEMA}addressCountry"),
                    Literal::new_simple_literal(c).into(),
                );
            }
            if let Some((id, _)) = &r.city {
                add(
                    s,
                    &format!("{SCHEMA}location"),
                    iri(&format!("https://sws.geonames.org/{id}/")).into(),
                );
            }
            if let Some(q) = &r.wikidata {
                let item = checked_iri(
                    dataset,
                    &r.id,
                    "the Wikidata id",
                    q,
                    format!("http://www.wikidata.org/entity/{q}"),
                )?;
                add(s, &format!("{SCHEMA}sameAs"), item.into());
            }
            for t in &r.types {
                add(
                    s,
                    "http://purl.org/dc/terms/type",
                    Literal::new_simple_literal(t).into(),
                );
            }
            for p in &r.parents {
                let parent = checked_iri(dataset, &r.id, "the parent id", p, p.clone())?;
                add(s, &format!("{SCHEMA}parentOrganization"), parent.into());
            }
            add(
                s,
                "http://www.w3.org/ns/adms#status",
                Literal::new_simple_literal(r.status.as_str()).into(),
            );
        }
        if let (Some(lat), Some(lng)) = (r.lat, r.lng) {
            add(
                s,
                &format!("{GEO}lat"),
                Literal::new_typed_literal(lat.to_string(), xsd::DECIMAL).into(),
            );
            add(
                s,
                &format!("{GEO}long"),
                Literal::new_typed_literal(lng.to_string(), xsd::DECIMAL).into(),
            );
        }
    }
    Ok(quads)
}

/// Loads quads into the store at `dir` (created if missing), atomically: if
/// anything fails, a store this call created is removed.
pub fn load_quads(
    dir: &Path,
    quads: Vec<Quad>,
    reasoning: Option<crate::reason::Reasoning>,
) -> Result<(usize, Option<crate::reason::Summary>)> {
    let created = !dir.exists();
    let result = (|| -> Result<(usize, Option<crate::reason::Summary>)> {
        let store = Store::open(dir)?;
        // With what the quads imply, in the same commit.
        let inferred = crate::reason::incremental::bulk_load(&store, quads, reasoning)?;
        Ok((store.len()?, inferred))
    })();
    if result.is_err() && created {
        let _ = std::fs::remove_dir_all(dir);
    }
    result
}
