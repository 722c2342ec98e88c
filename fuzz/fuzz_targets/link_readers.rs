//! The readers of external datasets for linking (`link/ror.rs`: a ROR v2
//! dump; `link/geonames.rs`: the GeoNames cities table and the country
//! table) on any bytes: a dataset or a located error, never a panic. What
//! they read agrees with a second reading (serde_json's untyped values for
//! ROR; the table's lines and cells for the tables), and every record
//! becomes valid RDF on import: IRIs that parse (oxiri, through oxigraph's
//! checked constructor) and typed literals whose lexical form is of their
//! datatype (oxsdatatypes). The linker's index is built over the records.
//!
//! Input: a selector byte (ROR, GeoNames, countries), then the file.
#![no_main]

#[path = "common/xsd.rs"]
mod xsd_lexical;

use aikg::link::geonames::{self, Columns};
use aikg::link::{import, ror, scoring, Dataset, NameKind};
use libfuzzer_sys::fuzz_target;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{NamedNode, Term};
use oxsdatatypes::{GYear, Integer};
use std::str::FromStr;

/// The ROR reader agrees with the JSON read as untyped values: one record
/// per element, its id and names as written.
fn agrees_with_json(dataset: &Dataset, bytes: &[u8]) {
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        // JSON's grammar has numbers of any size (RFC 8259 §6), which an
        // untyped value holds as an f64: `18e35235` in a field the reader
        // skips is valid JSON that this second reading cannot hold. (In a
        // field the reader keeps, the reader refuses it itself.)
        Err(e) if e.to_string().starts_with("number out of range") => return,
        Err(e) => panic!("what the ROR reader reads is JSON: {e}"),
    };
    let elements = value.as_array().expect("a ROR dump is an array");
    assert_eq!(elements.len(), dataset.records.len());
    for (element, record) in elements.iter().zip(&dataset.records) {
        assert_eq!(element["id"].as_str(), Some(record.id.as_str()));
        let names = element["names"].as_array().map_or(0, Vec::len);
        assert_eq!(names, record.names.len(), "names of {}", record.id);
    }
}

/// The table readers agree with the table's own lines: one record per
/// non-blank line after the header, named by the cell of its name column.
fn agrees_with_table(dataset: &Dataset, text: &str, columns: &Columns) {
    let mut lines = text.lines();
    let header = lines.next().expect("a table read has a header");
    let separator = if header.contains('\t') { '\t' } else { ',' };
    let column = |name: &str| {
        header
            .split(separator)
            .position(|c| c.trim() == name)
            .expect("a column the reader found")
    };
    let name = column(&columns.name);
    let population = columns.population.as_deref().map(column);
    let rows: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(rows.len(), dataset.records.len(), "one record per line");
    for (row, record) in rows.iter().zip(&dataset.records) {
        let cells: Vec<&str> = row.split(separator).collect();
        let label = record
            .names
            .iter()
            .find(|n| n.kind == NameKind::Label)
            .expect("a record has its name");
        assert_eq!(label.value, cells[name].trim());
        if let (Some(p), Some(column)) = (record.population, population) {
            let cell = cells[column].trim();
            assert_eq!(
                cell.parse::<u64>().ok(),
                Some(p),
                "population {cell:?} read as {p}"
            );
        }
    }
}

/// Each quad of an imported dataset is valid RDF.
fn valid_rdf(dataset: &Dataset) {
    let graph = NamedNode::new_unchecked("https://w3id.org/aikg/graph/fuzz");
    let Ok(quads) = import::to_quads(dataset, &graph) else {
        return;
    };
    let iri_ok = |n: &NamedNode| assert!(NamedNode::new(n.as_str()).is_ok(), "invalid IRI <{n}>");
    for quad in &quads {
        if let oxigraph::model::NamedOrBlankNode::NamedNode(s) = &quad.subject {
            iri_ok(s);
        }
        iri_ok(&quad.predicate);
        match &quad.object {
            Term::NamedNode(o) => iri_ok(o),
            Term::Literal(l) => {
                let value = l.value();
                let valid = match l.datatype() {
                    d if d == xsd::DECIMAL => xsd_lexical::is_decimal(value),
                    d if d == xsd::INTEGER => Integer::from_str(value).is_ok(),
                    d if d == xsd::G_YEAR => GYear::from_str(value).is_ok(),
                    _ => true,
                };
                assert!(valid, "{l} is not of its datatype");
            }
            _ => {}
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let dataset = match selector % 3 {
        0 => {
            let Ok(dataset) = ror::read_bytes("fuzz.json", bytes) else {
                return;
            };
            agrees_with_json(&dataset, bytes);
            dataset
        }
        kind => {
            let Ok(text) = std::str::from_utf8(bytes) else {
                return;
            };
            let (columns, name) = if kind == 1 {
                (Columns::geonames_cities(), "GeoNames")
            } else {
                (Columns::countries(), "countries")
            };
            let Ok(dataset) = geonames::read_text("fuzz.tsv", text, &columns, name) else {
                return;
            };
            agrees_with_table(&dataset, text, &columns);
            dataset
        }
    };
    valid_rdf(&dataset);
    let index = scoring::Index::build(&dataset);
    for i in 0..dataset.records.len() {
        assert!(index.find(&dataset.records[i].id).is_some());
    }
});
