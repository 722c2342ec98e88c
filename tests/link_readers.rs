//! The readers of external datasets for linking (`link::ror`,
//! `link::geonames`) and their import as RDF, on input that is wrong in
//! small ways: they read what the file says or say where it is wrong, and
//! the RDF they make is valid (what the `link_readers` fuzz target checks
//! on any input; each case here is one it can find).

use aikg::link::geonames::{self, Columns};
use aikg::link::{import, ror, Dataset};
use oxigraph::model::{NamedNode, Term};

fn graph() -> NamedNode {
    NamedNode::new_unchecked("https://w3id.org/aikg/graph/test")
}

fn cities(rows: &str) -> aikg::error::Result<Dataset> {
    let text = format!(
        "geonameid\tname\talternatenames\tlatitude\tlongitude\tcountry_code\tpopulation\n{rows}"
    );
    geonames::read_text("cities.tsv", &text, &Columns::geonames_cities(), "GeoNames")
}

fn error_of<T>(result: aikg::error::Result<T>) -> String {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

/// A latitude of "NaN" or "inf" is no number: Rust's float parser takes
/// them, xsd:decimal does not.
#[test]
fn a_coordinate_that_is_no_finite_number_is_an_error() {
    for bad in ["NaN", "inf", "-infinity"] {
        let message = error_of(cities(&format!(
            "1835235\tDaejeon\t\t{bad}\t127.41972\tKR\t1475221\n"
        )));
        assert!(
            message.contains(&format!("cities.tsv:2: {bad:?} is not a number")),
            "{message}"
        );
    }
}

/// A population is a whole number of people: "1.5" or "-3" were read as
/// 1 and 0.
#[test]
fn a_population_that_is_no_whole_number_is_an_error() {
    for bad in ["1.5", "-3", "1e3"] {
        let message = error_of(cities(&format!(
            "1835235\tDaejeon\t\t36.32139\t127.41972\tKR\t{bad}\n"
        )));
        assert!(
            message.contains(&format!("cities.tsv:2: {bad:?} is not a whole number")),
            "{message}"
        );
    }
    let read = cities("1835235\tDaejeon\t\t36.32139\t127.41972\tKR\t1475221\n").unwrap();
    assert_eq!(read.records[0].population, Some(1_475_221));
}

/// A population beyond 9 223 372 036 854 775 807 (found by the fuzz
/// target) was written as an `xsd:integer` that oxigraph and Virtuoso
/// cannot compute with (64-bit): a comparison on it is an error, and a
/// FILTER then drops the city without a word. It is refused, located.
#[test]
fn a_population_beyond_what_stores_compute_with_is_an_error() {
    let largest = i64::MAX.to_string();
    let read = cities(&format!(
        "1835235\tDaejeon\t\t36.32139\t127.41972\tKR\t{largest}\n"
    ))
    .unwrap();
    assert_eq!(read.records[0].population, Some(i64::MAX as u64));
    for bad in [
        "9223372036854775808",
        "14752216147522162966",
        "99999999999999999999",
    ] {
        let message = error_of(cities(&format!(
            "1835235\tDaejeon\t\t36.32139\t127.41972\tKR\t{bad}\n"
        )));
        assert!(
            message.contains(&format!(
                "cities.tsv:2: {bad:?} is not a whole number of at most 9223372036854775807"
            )),
            "{message}"
        );
    }
}

fn ror_record(fields: &str) -> String {
    format!(
        r#"[{{"id": "https://ror.org/05apxxy63", "status": "active",
             "names": [{{"value": "KAIST", "types": ["ror_display"]}}]{fields}}}]"#
    )
}

/// JSON's numbers have any size (RFC 8259, 6): a number beyond what a
/// 64-bit float holds, in a field the reader skips, is valid JSON and the
/// record is read; in a field it keeps, it is an error, located. (Found by
/// the `link_readers` fuzz target, whose second reading through untyped
/// values could not hold it.)
#[test]
fn a_number_of_any_size_is_json() {
    let skipped = ror_record(r#", "locations_old": [{"geonames_di": 18e35235}]"#);
    let dataset = ror::read_bytes("ror.json", skipped.as_bytes()).unwrap();
    assert_eq!(dataset.records.len(), 1);
    assert_eq!(dataset.records[0].id, "https://ror.org/05apxxy63");
    let kept = ror_record(r#", "established": 18e35235"#);
    let message = error_of(ror::read_bytes("ror.json", kept.as_bytes()));
    assert!(
        message.contains("ror.json:2:") && message.contains("not a ROR v2 dump"),
        "{message}"
    );
}

/// A founding year before year 1 is written with four digits after its
/// sign, as xsd:gYear wants ("-0005", not "-005").
#[test]
fn a_founding_year_is_a_valid_xsd_g_year() {
    for (year, lexical) in [(1971, "1971"), (5, "0005"), (-5, "-0005"), (12345, "12345")] {
        let dump = ror_record(&format!(r#", "established": {year}"#));
        let dataset = ror::read_bytes("ror.json", dump.as_bytes()).unwrap();
        let quads = import::to_quads(&dataset, &graph()).unwrap();
        let founded: Vec<String> = quads
            .iter()
            .filter(|q| q.predicate.as_str() == "https://schema.org/foundingDate")
            .filter_map(|q| match &q.object {
                Term::Literal(l) => Some(l.value().to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(founded, [lexical], "established {year}");
    }
}

/// A parent or a Wikidata id that makes no IRI is an error on import, as a
/// record id is; it was written into the store as an invalid IRI.
#[test]
fn ids_that_make_no_iri_are_errors_on_import() {
    let parent =
        ror_record(r#", "relationships": [{"type": "parent", "id": "not an IRI", "label": "x"}]"#);
    let wikidata = ror_record(
        r#", "external_ids": [{"type": "wikidata", "all": ["Q1 <2>"], "preferred": null}]"#,
    );
    for (dump, bad) in [(parent, "not an IRI"), (wikidata, "Q1 <2>")] {
        let dataset = ror::read_bytes("ror.json", dump.as_bytes()).unwrap();
        let message = error_of(import::to_quads(&dataset, &graph()));
        assert!(
            message.contains("ror.json: record https://ror.org/05apxxy63:")
                && message.contains(&format!("{bad:?}"))
                && message.contains("is not an IRI"),
            "{message}"
        );
    }
}

/// JSON is UTF-8 (RFC 8259, 8.1): a dump with a byte that is not, even in a
/// field the reader skips, is no JSON, and the reader says where (serde_json
/// checks the strings it keeps, not the ones it skips). Found by the
/// link_readers fuzz target.
#[test]
fn a_ror_dump_that_is_not_utf8_is_an_error_at_its_position() {
    let mut dump = ror_record(r#", "skipped": "Dae#eon""#).into_bytes();
    let at = dump.iter().position(|&b| b == b'#').unwrap();
    dump[at] = 0xEA;
    let message = error_of(ror::read_bytes("ror.json", &dump));
    assert!(
        message.contains("ror.json:2:") && message.contains("not UTF-8 (byte 0xEA)"),
        "{message}"
    );
}
