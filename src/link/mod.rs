//! Link discovery: finding, for the graph's organisations and places, the
//! record that is the same real-world thing in an external dataset (ROR,
//! GeoNames, a country table, any RDF file), and saying "no match" when no
//! record is good enough.
//!
//! - [`normalize`]: names folded for matching;
//! - [`ror`], [`geonames`], [`rdf`]: external datasets read into [`Record`]s;
//! - [`scoring`]: the inverted index, candidates and scores;
//! - [`linkset`]: the Turtle/TriG linkset and the review table;
//! - [`check`]: checks of the links the graph holds;
//! - [`import`]: external datasets converted to RDF, in their own graph.

pub mod check;
pub mod cli;
pub mod command;
pub mod entities;
pub mod geonames;
pub mod import;
pub mod linkset;
pub mod normalize;
pub mod rdf;
pub mod ror;
pub mod scoring;

pub use entities::{Entity, EntityKind};
pub use scoring::{link, Decision, LinkOptions, Outcome};

/// How a record names itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// The record's own name (ROR `ror_display`/`label`, GeoNames `name`).
    Label,
    /// Another name (ROR `alias`, GeoNames alternate names).
    Alias,
    /// An acronym.
    Acronym,
}

#[derive(Clone, Debug)]
pub struct Name {
    pub value: String,
    pub kind: NameKind,
    pub lang: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Active,
    Inactive,
    Withdrawn,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Inactive => "inactive",
            Status::Withdrawn => "withdrawn",
        }
    }
}

/// One record of an external dataset, in the terms the linker compares.
#[derive(Clone, Debug)]
pub struct Record {
    /// The record's IRI (`https://ror.org/…`, `https://sws.geonames.org/…/`).
    pub id: String,
    pub names: Vec<Name>,
    /// ROR types (education, facility, company...), or "city", "country".
    pub types: Vec<String>,
    pub status: Status,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub country_name: Option<String>,
    /// GeoNames id and name of the record's city.
    pub city: Option<(u64, String)>,
    pub successors: Vec<String>,
    pub parents: Vec<String>,
    /// The Wikidata item the record states (`Q…`).
    pub wikidata: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub population: Option<u64>,
    pub established: Option<i32>,
}

impl Record {
    /// The record's main name.
    pub fn display_name(&self) -> &str {
        self.names
            .iter()
            .find(|n| n.kind == NameKind::Label)
            .or_else(|| self.names.first())
            .map_or("", |n| n.value.as_str())
    }
}

/// An external dataset.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// Short name: ROR, GeoNames, countries...
    pub name: String,
    /// The namespace of its ids (https://ror.org/).
    pub namespace: String,
    /// Where it was read from.
    pub source: String,
    pub records: Vec<Record>,
}

/// Today's date (UTC) as YYYY-MM-DD.
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
