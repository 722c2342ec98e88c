//! Stated versus read: finds, in the graph of a source passage, the facts
//! the passage's words do not carry — the editor's readings that `aikg check`
//! can detect — so that they are moved to a graph of their own, an
//! `aikg:Reading` that says which passage it is read from and why (see
//! `ontology/aikg.ttl` and `data/README.md`).
//!
//! Two kinds of reading are detected, each against the quote of the passage
//! whose graph states the fact:
//!
//! - a date (`xsd:date`, `xsd:gYearMonth`, `xsd:gYear`) more precise than the
//!   quote, or not in it: its year is not a word of the quote, or its month
//!   (by its French or English name) or its day is missing — "En août
//!   dernier" supports no year;
//! - a place an entity is located in (`aikg:locatedIn`) or a country it
//!   belongs to (`aikg:country`) that the quote does not name by any of its
//!   labels, alternative or hidden labels or acronyms — "New York" does not
//!   name the United States. A name matches at the start of a word, case,
//!   accents and punctuation aside, so "coréen" names "Corée".
//!
//! What the check cannot see (a district placed in a city the quote also
//! names, a speaker read from the paragraph around a sentence) is marked by
//! hand; `tests/competency.rs` runs the literal questions without readings.

use crate::link::normalize::fold;
use crate::namespaces::{self, RDFS_LABEL, RDF_TYPE, SKOS, XSD};
use crate::shacl::ontology_checks::CHECK_NS;
use crate::shacl::paths::Path;
use crate::shacl::report::ValidationResult;
use crate::shacl::vocab::sh;
use crate::source::{LocatedQuad, Position};
use oxigraph::model::{GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Term};
use std::collections::{BTreeMap, BTreeSet};

/// The local name of the check, under [`CHECK_NS`].
pub const UNMARKED_READING: &str = "UnmarkedReading";

const MONTHS: [[&str; 2]; 12] = [
    ["janvier", "january"],
    ["fevrier", "february"],
    ["mars", "march"],
    ["avril", "april"],
    ["mai", "may"],
    ["juin", "june"],
    ["juillet", "july"],
    ["aout", "august"],
    ["septembre", "september"],
    ["octobre", "october"],
    ["novembre", "november"],
    ["decembre", "december"],
];

/// The findings of the check, with the position of each triple.
pub fn check(ontology: &[LocatedQuad], data: &[LocatedQuad]) -> Vec<(ValidationResult, Position)> {
    let facts = Facts::gather(ontology, data);
    let located_in = namespaces::aikg("locatedIn");
    let country = namespaces::aikg("country");
    let mut out = Vec::new();
    for q in data {
        let GraphNameRef::NamedNode(graph) = q.quad.graph_name.as_ref() else {
            continue;
        };
        let Some(quote) = facts.quotes.get(graph.as_str()) else {
            continue; // not a passage: a reading, a linkset...
        };
        let predicate = q.quad.predicate.as_str();
        let problem = match &q.quad.object {
            Term::Literal(l) => date_beyond_quote(l, quote),
            Term::NamedNode(place) if predicate == located_in || predicate == country => {
                facts.unnamed_place(place, quote)
            }
            _ => None,
        };
        if let Some(problem) = problem {
            out.push((finding(q, graph.as_str(), problem), q.position.clone()));
        }
    }
    out
}

/// What the passages and the entities' names say, read once.
struct Facts {
    /// Passage IRI → its quote, folded into words.
    quotes: BTreeMap<String, Words>,
    /// Entity IRI → its names, folded into words.
    names: BTreeMap<String, Vec<Words>>,
    /// The entities typed with aikg:Place or one of its subclasses.
    places: BTreeSet<String>,
}

impl Facts {
    fn gather(ontology: &[LocatedQuad], data: &[LocatedQuad]) -> Self {
        let name_properties = [
            RDFS_LABEL.to_string(),
            format!("{SKOS}prefLabel"),
            format!("{SKOS}altLabel"),
            format!("{SKOS}hiddenLabel"),
            namespaces::aikg("acronym"),
        ];
        let passage = namespaces::aikg("Passage");
        let quote = namespaces::aikg("quote");
        let place_classes = subclasses_of(ontology, &namespaces::aikg("Place"));
        let mut passages = BTreeSet::new();
        let mut quotes = BTreeMap::new();
        let mut names: BTreeMap<String, Vec<Words>> = BTreeMap::new();
        let mut places = BTreeSet::new();
        for q in data {
            let NamedOrBlankNode::NamedNode(subject) = &q.quad.subject else {
                continue;
            };
            let predicate = q.quad.predicate.as_str();
            match &q.quad.object {
                Term::NamedNode(class) if predicate == RDF_TYPE => {
                    if class.as_str() == passage {
                        passages.insert(subject.as_str().to_string());
                    }
                    if place_classes.contains(class.as_str()) {
                        places.insert(subject.as_str().to_string());
                    }
                }
                Term::Literal(l) if predicate == quote => {
                    quotes.insert(subject.as_str().to_string(), Words::new(l.value()));
                }
                Term::Literal(l) if name_properties.iter().any(|p| p == predicate) => {
                    names
                        .entry(subject.as_str().to_string())
                        .or_default()
                        .push(Words::new(l.value()));
                }
                _ => {}
            }
        }
        quotes.retain(|iri, _| passages.contains(iri));
        Self {
            quotes,
            names,
            places,
        }
    }

    /// Why the quote does not name the place, if it does not.
    fn unnamed_place(&self, place: &NamedNode, quote: &Words) -> Option<String> {
        if !self.places.contains(place.as_str()) {
            return None; // not a place: the shapes and range checks say so
        }
        let names = self.names.get(place.as_str())?;
        (!names.iter().any(|name| quote.contains(name))).then(|| {
            format!(
                "the quote of the passage does not name {}, so placing something in it is the editor's reading",
                show(place.as_str())
            )
        })
    }
}

/// Why the quote does not support the date, if it does not.
fn date_beyond_quote(literal: &Literal, quote: &Words) -> Option<String> {
    let datatype = literal.datatype().as_str().strip_prefix(XSD)?;
    if !crate::shacl::values::is_valid_lexical(literal.value(), literal.datatype().as_str()) {
        return None; // ill-typed: the literal checks report it
    }
    let parts: Vec<&str> = literal.value().split('-').collect();
    let (year, month, day) = match (datatype, parts.as_slice()) {
        ("gYear", [year]) => (*year, None, None),
        ("gYearMonth", [year, month]) => (*year, Some(*month), None),
        ("date", [year, month, day]) => (*year, Some(*month), Some(*day)),
        _ => return None, // not a date, or ill-typed (the literal checks say so)
    };
    let lexical = literal.value();
    // The date written out in ISO form ("2023-06-20") supports itself.
    let iso = quote.has_word(&lexical.replace('-', " "));
    let missing = if quote.has_word(year) || iso {
        let month_named = month.is_none_or(|m| {
            m.parse::<usize>()
                .ok()
                .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
                .is_some_and(|names| names.iter().any(|n| quote.has_word(n)))
                || iso
        });
        let day_named = day.is_none_or(|d| {
            let d = d.trim_start_matches('0');
            quote.has_word(d) || (d == "1" && quote.has_word("1er")) || iso
        });
        match (month_named, day_named) {
            (true, true) => return None,
            (false, _) => "its month",
            (true, false) => "its day",
        }
    } else {
        "its year"
    };
    Some(format!(
        "the date {lexical} is more precise than the quote of the passage supports ({missing} is not in it)"
    ))
}

/// A text folded for matching: lower case, no accents, words separated by one space.
struct Words {
    text: String,
}

impl Words {
    fn new(text: &str) -> Self {
        let folded: String = fold(text)
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let mut text = String::with_capacity(folded.len() + 2);
        text.push(' ');
        for word in folded.split_whitespace() {
            text.push_str(word);
            text.push(' ');
        }
        Self { text }
    }

    /// The name occurs in the text starting at the start of a word.
    fn contains(&self, name: &Words) -> bool {
        let name = name.text.trim_end();
        name.trim() != "" && self.text.contains(name)
    }

    fn has_word(&self, word: &str) -> bool {
        self.text.contains(&format!(" {word} "))
    }
}

/// The classes that are `class` or below it by rdfs:subClassOf in the ontology.
fn subclasses_of(ontology: &[LocatedQuad], class: &str) -> BTreeSet<String> {
    let sub_class_of = format!("{}subClassOf", namespaces::RDFS);
    let mut found: BTreeSet<String> = BTreeSet::from([class.to_string()]);
    loop {
        let before = found.len();
        for q in ontology {
            if q.quad.predicate.as_str() != sub_class_of {
                continue;
            }
            if let (NamedOrBlankNode::NamedNode(sub), Term::NamedNode(sup)) =
                (&q.quad.subject, &q.quad.object)
            {
                if found.contains(sup.as_str()) {
                    found.insert(sub.as_str().to_string());
                }
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

fn show(iri: &str) -> String {
    namespaces::compact(iri).unwrap_or_else(|| format!("<{iri}>"))
}

fn finding(q: &LocatedQuad, passage: &str, problem: String) -> ValidationResult {
    let component = NamedNode::new_unchecked(format!("{CHECK_NS}{UNMARKED_READING}"));
    let advice = format!(
        "move the triple from {} to a reading graph (src:…-rN a aikg:Reading ; aikg:readFrom {} ; aikg:because \"…\"@en), or quote the words that state it",
        show(passage),
        show(passage)
    );
    ValidationResult {
        focus: q.quad.subject.clone().into(),
        path: Some(Path::Predicate(q.quad.predicate.clone())),
        value: Some(q.quad.object.clone()),
        source_shape: component.clone().into(),
        component,
        severity: NamedNode::new_unchecked(sh::VIOLATION),
        messages: vec![Literal::new_simple_literal(advice).into()],
        constraint: problem,
        source_constraint: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(value: &str, datatype: &str) -> Literal {
        Literal::new_typed_literal(value, NamedNode::new_unchecked(format!("{XSD}{datatype}")))
    }

    #[test]
    fn a_date_needs_its_year_month_and_day_in_the_quote() {
        let quote = Words::new("Le 20 juin 2023, Paris a accueilli la 8ᵉ réunion");
        assert_eq!(date_beyond_quote(&date("2023", "gYear"), &quote), None);
        assert_eq!(
            date_beyond_quote(&date("2023-06", "gYearMonth"), &quote),
            None
        );
        assert_eq!(date_beyond_quote(&date("2023-06-20", "date"), &quote), None);
        let day = date_beyond_quote(&date("2023-06-21", "date"), &quote).unwrap();
        assert!(day.contains("its day"), "{day}");
        let month = date_beyond_quote(&date("2023-07", "gYearMonth"), &quote).unwrap();
        assert!(month.contains("its month"), "{month}");
        // "En août dernier" gives a month but no year.
        let august = Words::new("En août dernier, l'Assemblée générale a adopté");
        let year = date_beyond_quote(&date("2025-08", "gYearMonth"), &august).unwrap();
        assert!(year.contains("its year"), "{year}");
        // A period "2024-2027" supports both ends; a number inside another does not.
        let period = Words::new("pour la période 2024-2027, plus de 120250 euros");
        assert_eq!(date_beyond_quote(&date("2027", "gYear"), &period), None);
        assert!(date_beyond_quote(&date("2025", "gYear"), &period).is_some());
        // "1er" is the first day of a month; an ISO date supports itself.
        let first = Words::new("le 1er mars 2024");
        assert_eq!(date_beyond_quote(&date("2024-03-01", "date"), &first), None);
        let iso = Words::new("publié le 2024-03-02.");
        assert_eq!(date_beyond_quote(&date("2024-03-02", "date"), &iso), None);
        assert!(date_beyond_quote(&date("2024-03-01", "date"), &iso).is_some());
        // An ill-typed date is left to the literal checks.
        assert_eq!(
            date_beyond_quote(&date("2023-13", "gYearMonth"), &first),
            None
        );
    }

    #[test]
    fn a_name_matches_at_the_start_of_a_word() {
        let quote = Words::new("le gouvernement coréen et l’Université de New-York");
        assert!(quote.contains(&Words::new("Corée")));
        assert!(quote.contains(&Words::new("new york")));
        assert!(!quote.contains(&Words::new("orée")));
        assert!(!quote.contains(&Words::new("États-Unis")));
        assert!(!quote.contains(&Words::new("")));
    }
}
