//! Checks of the links the graph holds (`data/links/`): identifiers
//! well-formed (a ROR id's checksum included), one identifier per entity and
//! dataset, links from entities the graph describes, and the country a
//! linked record states agreeing with ours.

use crate::namespaces::{AIKG, RDF_TYPE};
use crate::source::{LocatedQuad, Position};
use oxigraph::model::{NamedOrBlankNode, Term};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const ROR: &str = "https://ror.org/";
pub const GEONAMES: &str = "https://sws.geonames.org/";
pub const WIKIDATA: &str = "http://www.wikidata.org/entity/";
const SAME_AS: &str = "http://www.w3.org/2002/07/owl#sameAs";
const EXACT_MATCH: &str = "http://www.w3.org/2004/02/skos/core#exactMatch";
const ADDRESS_COUNTRY: &str = "https://schema.org/addressCountry";
const COUNTRY_CODE: &str = "http://www.geonames.org/ontology#countryCode";

/// A problem with a link, where it is stated.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LinkDiagnostic {
    pub position: Position,
    pub entity: String,
    pub message: String,
    pub hint: String,
}

impl std::fmt::Display for LinkDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}: {}\n  hint: {}",
            self.position, self.entity, self.message, self.hint
        )
    }
}

/// Whether `id` is a well-formed ROR id: `0`, six Crockford base-32 digits,
/// and the two-digit ISO 7064 mod 97-10 checksum of the first seven.
pub fn valid_ror_id(id: &str) -> bool {
    const ALPHABET: &str = "0123456789abcdefghjkmnpqrstvwxyz";
    let Some(code) = id.strip_prefix(ROR) else {
        return false;
    };
    if code.len() != 9 || !code.starts_with('0') {
        return false;
    }
    let (body, check) = code.split_at(7);
    let mut n: u64 = 0;
    for c in body.chars() {
        let Some(d) = ALPHABET.find(c) else {
            return false;
        };
        n = n * 32 + d as u64;
    }
    check.parse::<u64>().ok() == Some(98 - (n * 100) % 97)
        && check.chars().all(|c| c.is_ascii_digit())
}

pub fn valid_geonames_id(id: &str) -> bool {
    id.strip_prefix(GEONAMES)
        .and_then(|r| r.strip_suffix('/'))
        .is_some_and(|n| {
            !n.is_empty() && !n.starts_with('0') && n.chars().all(|c| c.is_ascii_digit())
        })
}

pub fn valid_wikidata_id(id: &str) -> bool {
    id.strip_prefix(WIKIDATA)
        .and_then(|r| r.strip_prefix('Q'))
        .is_some_and(|n| {
            !n.is_empty() && !n.starts_with('0') && n.chars().all(|c| c.is_ascii_digit())
        })
}

fn named(term: &NamedOrBlankNode) -> Option<&str> {
    match term {
        NamedOrBlankNode::NamedNode(n) => Some(n.as_str()),
        _ => None,
    }
}

/// Checks every owl:sameAs / skos:exactMatch to ROR, GeoNames or Wikidata.
pub fn check(quads: &[LocatedQuad]) -> Vec<LinkDiagnostic> {
    let mut diagnostics = Vec::new();
    let mut typed: BTreeSet<&str> = BTreeSet::new();
    let mut country_of: HashMap<&str, &str> = HashMap::new();
    // The country code each external record states, and the entity → links.
    let mut stated_country: HashMap<&str, &str> = HashMap::new();
    let mut links: BTreeMap<(&str, &str), Vec<(&str, &Position)>> = BTreeMap::new();
    for q in quads {
        let (s, p, o) = (&q.quad.subject, q.quad.predicate.as_str(), &q.quad.object);
        let Some(s) = named(s) else { continue };
        match (p, o) {
            (RDF_TYPE, Term::NamedNode(class)) if class.as_str().starts_with(AIKG) => {
                typed.insert(s);
            }
            (p, Term::NamedNode(c)) if p == format!("{AIKG}country") => {
                country_of.insert(s, c.as_str());
            }
            (p, Term::NamedNode(c)) if p == format!("{AIKG}locatedIn") => {
                country_of.entry(s).or_insert(c.as_str());
            }
            (ADDRESS_COUNTRY | COUNTRY_CODE, Term::Literal(l)) => {
                stated_country.insert(s, l.value());
            }
            (SAME_AS | EXACT_MATCH, Term::NamedNode(target)) => {
                let target = target.as_str();
                let dataset = if target.starts_with(ROR) {
                    "ROR"
                } else if target.starts_with(GEONAMES)
                    || target.starts_with("http://sws.geonames.org/")
                {
                    "GeoNames"
                } else if target.contains("wikidata.org/") {
                    "Wikidata"
                } else {
                    continue;
                };
                let valid = match dataset {
                    "ROR" => valid_ror_id(target),
                    "GeoNames" => valid_geonames_id(target),
                    _ => valid_wikidata_id(target),
                };
                if !valid {
                    diagnostics.push(LinkDiagnostic {
                        position: q.position.clone(),
                        entity: s.to_string(),
                        message: format!("<{target}> is not a well-formed {dataset} id"),
                        hint: match dataset {
                            "ROR" => "ROR ids are https://ror.org/0 + 6 base-32 digits + 2 checksum digits; copy it from the ROR record".into(),
                            "GeoNames" => "GeoNames ids are https://sws.geonames.org/<number>/ (with the final slash)".into(),
                            _ => "Wikidata items are http://www.wikidata.org/entity/Q<number>".into(),
                        },
                    });
                }
                links
                    .entry((s, dataset))
                    .or_default()
                    .push((target, &q.position));
            }
            _ => {}
        }
    }
    for ((entity, dataset), targets) in &links {
        let position = targets[0].1;
        if entity.starts_with(crate::namespaces::ID) && !typed.contains(entity) {
            diagnostics.push(LinkDiagnostic {
                position: position.clone(),
                entity: entity.to_string(),
                message: format!(
                    "linked to {dataset}, but the graph does not describe this entity"
                ),
                hint: "fix the entity's IRI in the link, or remove the link".into(),
            });
        }
        let distinct: BTreeSet<&str> = targets.iter().map(|(t, _)| *t).collect();
        if distinct.len() > 1 {
            diagnostics.push(LinkDiagnostic {
                position: targets[1].1.clone(),
                entity: entity.to_string(),
                message: format!(
                    "{} {dataset} ids for one entity: {}",
                    distinct.len(),
                    distinct.iter().map(|t| format!("<{t}>")).collect::<Vec<_>>().join(", ")
                ),
                hint: "an entity is one real-world thing: keep the record that is it (a parent or a unit is not)".into(),
            });
        }
    }
    // The country a linked record states vs ours (our country's own GeoNames
    // link states its code).
    let code_of_country = |country: &str| -> Option<&str> {
        links
            .get(&(country, "GeoNames"))?
            .iter()
            .find_map(|(t, _)| stated_country.get(t).copied())
    };
    for ((entity, dataset), targets) in &links {
        if *dataset == "Wikidata" {
            continue;
        }
        let Some(our_country) = country_of.get(entity).and_then(|c| {
            // A place located in a country, or an organisation's aikg:country.
            code_of_country(c).or_else(|| country_of.get(c).and_then(|cc| code_of_country(cc)))
        }) else {
            continue;
        };
        for (target, position) in targets {
            if let Some(theirs) = stated_country.get(target) {
                if *theirs != our_country {
                    diagnostics.push(LinkDiagnostic {
                        position: (*position).clone(),
                        entity: entity.to_string(),
                        message: format!("linked to <{target}>, a record in {theirs}, but the graph places it in {our_country}"),
                        hint: "a namesake in another country is not the same thing: remove the link or fix the entity's country".into(),
                    });
                }
            }
        }
    }
    diagnostics.sort();
    diagnostics.dedup();
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{read_bytes, SourceFormat};

    #[test]
    fn ror_ids_are_checked_with_their_checksum() {
        // From the ROR v2 extract: Electronics and Telecommunications Research Institute.
        assert!(valid_ror_id("https://ror.org/03ysstz10"));
        assert!(!valid_ror_id("https://ror.org/03ysstz11"));
        assert!(!valid_ror_id("https://ror.org/03ysstzi0"));
        assert!(!valid_ror_id("https://ror.org/3ysstz10"));
        assert!(valid_geonames_id("https://sws.geonames.org/1835235/"));
        assert!(!valid_geonames_id("https://sws.geonames.org/1835235"));
        assert!(valid_wikidata_id("http://www.wikidata.org/entity/Q623863"));
        assert!(!valid_wikidata_id("http://www.wikidata.org/entity/623863"));
    }

    #[test]
    fn bad_links_are_reported_with_their_position() {
        let data = r#"@prefix aikg: <https://w3id.org/aikg/ontology#> .
@prefix id: <https://w3id.org/aikg/id/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix gn: <http://www.geonames.org/ontology#> .
@prefix schema: <https://schema.org/> .
id:Korea a aikg:Country .
id:KIST a aikg:ResearchInstitute ; aikg:country id:Korea .
id:ETRI a aikg:ResearchInstitute ; aikg:country id:Korea .
<https://w3id.org/aikg/links/ror> {
  id:Korea owl:sameAs <https://sws.geonames.org/1835841/> .
  <https://sws.geonames.org/1835841/> gn:countryCode "KR" .
  id:KIST owl:sameAs <https://ror.org/05kzfa883> , <https://ror.org/007kjmw55> .
  <https://ror.org/05kzfa883> schema:addressCountry "KR" .
  <https://ror.org/007kjmw55> schema:addressCountry "TZ" .
  id:ETRI owl:sameAs <https://ror.org/03ysstz11> .
  id:Nowhere owl:sameAs <https://ror.org/03ysstz10> .
}
"#;
        let quads = read_bytes("links.trig".into(), data.as_bytes(), SourceFormat::TriG).unwrap();
        let found = check(&quads);
        let messages: Vec<String> = found
            .iter()
            .map(|d| format!("{} {}", d.position.line, d.message))
            .collect();
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("15 ") && m.contains("not a well-formed ROR id")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("2 ROR ids for one entity")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("a record in TZ, but the graph places it in KR")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("does not describe this entity")),
            "{messages:?}"
        );
        assert_eq!(found.len(), 4, "{messages:?}");
    }
}
