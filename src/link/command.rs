//! `aikg link`: read a target dataset, link the graph's entities, write the
//! linkset, the Wikidata links the records state, and the review table.

use super::geonames::{self, Columns};
use super::linkset::{self, LinksetInfo};
use super::scoring::{self, Index, LinkOptions, Outcome};
use super::{entities, ror, Dataset};
use crate::error::{Error, Result};
use crate::kg::Kg;
use crate::source::SourceFormat;
use std::path::{Path, PathBuf};

/// The kinds of target `--target` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A ROR v2 data dump (JSON).
    Ror,
    /// The GeoNames cities file (TSV), or any delimited file with `--columns`.
    Geonames,
    /// The country table (iso2, name, geonameid, wikidata).
    Countries,
    /// Any RDF file.
    Rdf,
}

impl Target {
    pub const NAMES: &'static str = "ror, geonames, countries, rdf";

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "ror" => Self::Ror,
            "geonames" | "tsv" | "csv" => Self::Geonames,
            "countries" => Self::Countries,
            "rdf" => Self::Rdf,
            _ => return None,
        })
    }
}

/// Reads a target dataset.
pub fn read_target(target: Target, file: &Path, columns: Option<&str>) -> Result<Dataset> {
    if !file.is_file() {
        return Err(Error::usage(
            format!("{}: no such file", file.display()),
            "give the path of the target dataset's file",
        ));
    }
    match target {
        Target::Ror => ror::read(file),
        Target::Geonames => {
            let mut c = Columns::geonames_cities();
            if let Some(spec) = columns {
                c = c.with_spec(spec)?;
            }
            geonames::read(file, &c, "GeoNames")
        }
        Target::Countries => {
            let mut c = Columns::countries();
            if let Some(spec) = columns {
                c = c.with_spec(spec)?;
            }
            geonames::read(file, &c, "GeoNames countries")
        }
        Target::Rdf => super::rdf::read(file, SourceFormat::from_path(file)),
    }
}

/// Country names → ISO codes from a country table.
pub fn country_names(file: &Path) -> Result<Vec<(String, String)>> {
    let table = geonames::read(file, &Columns::countries(), "countries")?;
    Ok(table
        .records
        .iter()
        .filter_map(|r| Some((r.display_name().to_string(), r.country.clone()?)))
        .collect())
}

/// A link run, as the command line describes it.
pub struct LinkRequest {
    pub target: Target,
    pub file: PathBuf,
    pub columns: Option<String>,
    /// The country table: with a GeoNames target, the graph's countries are
    /// linked to it too, their codes known from the cities' votes.
    pub countries: Option<PathBuf>,
    pub options: LinkOptions,
    pub graph: String,
    pub date: String,
    pub command: String,
}

/// What a run found, and the texts to write.
pub struct LinkReport {
    pub outcomes: Vec<Outcome>,
    pub linkset: String,
    pub wikidata: String,
    pub review: String,
    pub records: usize,
}

pub fn run(store: &dyn Kg, request: &LinkRequest) -> Result<LinkReport> {
    let started = std::time::Instant::now();
    let dataset = read_target(request.target, &request.file, request.columns.as_deref())?;
    crate::timing("read", started);
    let entities = entities::read(store)?;
    crate::timing("entities", started);
    let index = Index::build(&dataset);
    crate::timing("index", started);
    let outcomes = scoring::link(&index, &entities, &request.options);
    crate::timing("link", started);
    let (name, namespace) = match request.target {
        Target::Ror => ("ROR", "https://ror.org/".to_string()),
        Target::Geonames | Target::Countries => {
            ("GeoNames", "https://sws.geonames.org/".to_string())
        }
        Target::Rdf => (dataset.name.as_str(), dataset.namespace.clone()),
    };
    let info = LinksetInfo {
        graph: request.graph.clone(),
        target_name: name.to_string(),
        target_namespace: namespace,
        target_source: dataset.source.clone(),
        date: request.date.clone(),
        min_score: request.options.min_score,
        command: request.command.clone(),
    };
    let mut outcomes = outcomes;
    let table = match (request.target, &request.countries) {
        (Target::Geonames, Some(path)) => Some(geonames::read(
            path,
            &Columns::countries(),
            "GeoNames countries",
        )?),
        _ => None,
    };
    let table_index = table.as_ref().map(Index::build);
    let mut country_outcomes = Vec::new();
    if let Some(table_index) = &table_index {
        let options = LinkOptions {
            known_codes: scoring::country_codes(&index, &entities, &request.options),
            ..request.options.clone()
        };
        country_outcomes = scoring::link(table_index, &entities, &options);
    }
    let mut links = linkset::direct_links(&outcomes, &index);
    let mut wikidata_links = linkset::wikidata_links(&outcomes, &index);
    let mut review = linkset::review_tsv(&outcomes, &index);
    if let Some(table_index) = &table_index {
        links.extend(linkset::direct_links(&country_outcomes, table_index));
        wikidata_links.extend(linkset::wikidata_links(&country_outcomes, table_index));
        review.push_str(
            linkset::review_tsv(&country_outcomes, table_index)
                .split_once('\n')
                .map_or("", |(_, rest)| rest),
        );
    }
    let linkset = linkset::to_trig(&links, &info);
    let wikidata_info = LinksetInfo {
        graph: format!("{}-wikidata", request.graph.trim_end_matches('/')),
        target_name: "Wikidata".into(),
        target_namespace: "http://www.wikidata.org/entity/".into(),
        target_source: format!(
            "Wikidata ids stated by the {name} records of {}",
            dataset.source
        ),
        ..info.clone()
    };
    let wikidata = linkset::to_trig(&wikidata_links, &wikidata_info);
    drop(links);
    drop(wikidata_links);
    outcomes.extend(country_outcomes);
    Ok(LinkReport {
        outcomes,
        linkset,
        wikidata,
        review,
        records: dataset.records.len(),
    })
}
