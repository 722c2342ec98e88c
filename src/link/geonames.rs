//! Delimited files (TSV, CSV) read through a column mapping: the GeoNames
//! cities file, the country table, or any table of named things.

use super::{Dataset, Name, NameKind, Record, Status};
use crate::error::{Error, Result};
use std::path::Path;

/// Which column holds what. Column names are those of the header line.
#[derive(Clone, Debug)]
pub struct Columns {
    pub id: String,
    pub name: String,
    /// Other names, comma-separated in one cell.
    pub alternate_names: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    pub lat: Option<String>,
    pub lng: Option<String>,
    pub population: Option<String>,
    pub wikidata: Option<String>,
    /// The record's type, if all rows are of one kind ("city", "country").
    pub kind: String,
    /// How an id becomes an IRI: `{}` is replaced by the id.
    pub iri_template: String,
}

impl Columns {
    /// The GeoNames cities file (cities15000.tsv and its kin).
    pub fn geonames_cities() -> Self {
        Self {
            id: "geonameid".into(),
            name: "name".into(),
            alternate_names: Some("alternatenames".into()),
            country: Some("country_code".into()),
            lat: Some("latitude".into()),
            lng: Some("longitude".into()),
            population: Some("population".into()),
            wikidata: None,
            kind: "city".into(),
            iri_template: "https://sws.geonames.org/{}/".into(),
        }
    }

    /// The country table: iso2, name, geonameid, wikidata.
    pub fn countries() -> Self {
        Self {
            id: "geonameid".into(),
            name: "name".into(),
            alternate_names: None,
            country: Some("iso2".into()),
            lat: None,
            lng: None,
            population: None,
            wikidata: Some("wikidata".into()),
            kind: "country".into(),
            iri_template: "https://sws.geonames.org/{}/".into(),
        }
    }

    /// Applies a `--columns` spec: `id=geonameid,name=name,alt=alternatenames,
    /// country=country_code,lat=latitude,lng=longitude,population=population,
    /// wikidata=wikidata,kind=city,iri=https://sws.geonames.org/{}/`.
    pub fn with_spec(mut self, spec: &str) -> Result<Self> {
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| {
                Error::usage(
                    format!("--columns {part:?}: expected KEY=COLUMN"),
                    COLUMNS_HINT,
                )
            })?;
            let value = value.trim().to_string();
            match key.trim() {
                "id" => self.id = value,
                "name" => self.name = value,
                "alt" | "alternatenames" => self.alternate_names = Some(value),
                "country" => self.country = Some(value),
                "lat" => self.lat = Some(value),
                "lng" | "long" => self.lng = Some(value),
                "population" => self.population = Some(value),
                "wikidata" => self.wikidata = Some(value),
                "kind" => self.kind = value,
                "iri" => self.iri_template = value,
                other => {
                    return Err(Error::usage(
                        format!("--columns: unknown key {other:?}"),
                        COLUMNS_HINT,
                    ))
                }
            }
        }
        Ok(self)
    }
}

/// A cell of a number column, at `line` of `source`: `None` if empty; what
/// is not a valid `T` (`what`) is an error.
fn number_cell<T: std::str::FromStr>(
    cell: Option<&str>,
    valid: impl Fn(&T) -> bool,
    what: &str,
    source: &str,
    line: usize,
) -> Result<Option<T>> {
    let Some(v) = cell else {
        return Ok(None);
    };
    match v.parse::<T>() {
        Ok(n) if valid(&n) => Ok(Some(n)),
        _ => Err(Error::usage(
            format!("{source}:{line}: {v:?} is not {what}"),
            "check the column mapping",
        )),
    }
}

const COLUMNS_HINT: &str = "keys: id, name, alt, country, lat, lng, population, wikidata, kind, iri (e.g. --columns id=geonameid,name=name,country=country_code)";

/// Reads a delimited file (tab-separated, or comma-separated if the header has
/// no tab) with a header line.
pub fn read(path: &Path, columns: &Columns, dataset_name: &str) -> Result<Dataset> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path.display(), e))?;
    read_text(&path.display().to_string(), &text, columns, dataset_name)
}

/// [`read`] of a table held in memory; `source` names it in messages.
pub fn read_text(
    source: &str,
    text: &str,
    columns: &Columns,
    dataset_name: &str,
) -> Result<Dataset> {
    let mut lines = text.lines();
    let header = lines.next().ok_or_else(|| {
        Error::usage(
            format!("{source}:1:1: empty file"),
            "give a delimited file with a header line",
        )
    })?;
    let sep = if header.contains('\t') { '\t' } else { ',' };
    let names: Vec<&str> = header.split(sep).map(str::trim).collect();
    let find = |column: &str| -> Result<usize> {
        names.iter().position(|n| *n == column).ok_or_else(|| {
            Error::usage(
                format!(
                    "{}:1:1: no column {column:?} in the header ({})",
                    source,
                    names.join(", ")
                ),
                "map the columns with --columns (e.g. --columns id=geonameid,name=name)",
            )
        })
    };
    let optional = |column: &Option<String>| column.as_deref().map(find).transpose();
    let (id, name) = (find(&columns.id)?, find(&columns.name)?);
    let alt = optional(&columns.alternate_names)?;
    let country = optional(&columns.country)?;
    let (lat, lng, population) = (
        optional(&columns.lat)?,
        optional(&columns.lng)?,
        optional(&columns.population)?,
    );
    let wikidata = optional(&columns.wikidata)?;
    let mut records = Vec::new();
    for (i, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(sep).collect();
        let cell = |index: usize| -> Result<&str> {
            cells.get(index).map(|c| c.trim()).ok_or_else(|| {
                Error::usage(
                    format!(
                        "{}:{}:1: {} cells, the header has {}",
                        source,
                        i + 2,
                        cells.len(),
                        names.len()
                    ),
                    "each line needs as many cells as the header",
                )
            })
        };
        let opt = |index: Option<usize>| -> Result<Option<&str>> {
            index
                .map(cell)
                .transpose()
                .map(|c| c.filter(|c| !c.is_empty()))
        };
        let id_value = cell(id)?;
        let primary = cell(name)?.to_string();
        let mut record_names = vec![Name {
            value: primary.clone(),
            kind: NameKind::Label,
            lang: None,
        }];
        if let Some(alternates) = opt(alt)? {
            for a in alternates.split(',').map(str::trim) {
                if !a.is_empty() && a != primary {
                    record_names.push(Name {
                        value: a.to_string(),
                        kind: NameKind::Alias,
                        lang: None,
                    });
                }
            }
        }
        // Rust's float syntax takes "NaN" and "inf", which no coordinate is.
        let number = |index: Option<usize>| -> Result<Option<f64>> {
            number_cell(
                opt(index)?,
                |n: &f64| n.is_finite(),
                "a number",
                source,
                i + 2,
            )
        };
        records.push(Record {
            id: columns.iri_template.replace("{}", id_value),
            names: record_names,
            types: vec![columns.kind.clone()],
            status: Status::Active,
            country: opt(country)?.map(str::to_ascii_uppercase),
            country_name: (columns.kind == "country").then(|| primary.clone()),
            city: None,
            successors: Vec::new(),
            parents: Vec::new(),
            wikidata: opt(wikidata)?.map(str::to_string),
            lat: number(lat)?,
            lng: number(lng)?,
            // Written as an xsd:integer, which oxigraph and Virtuoso compute
            // with in 64 bits: a larger one would make comparisons fail.
            population: number_cell(
                opt(population)?,
                |p: &u64| i64::try_from(*p).is_ok(),
                "a whole number of at most 9223372036854775807",
                source,
                i + 2,
            )?,
            established: None,
        });
    }
    Ok(Dataset {
        name: dataset_name.into(),
        namespace: columns
            .iri_template
            .split("{}")
            .next()
            .unwrap_or_default()
            .to_string(),
        source: source.to_string(),
        records,
    })
}
