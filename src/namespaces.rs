//! IRIs and prefixes: one base for the project's ontology, entities and sources.

/// Base of every aikg IRI.
pub const BASE: &str = "https://w3id.org/aikg/";
/// Ontology terms (`aikg:`).
pub const AIKG: &str = "https://w3id.org/aikg/ontology#";
/// Entities (`id:`).
pub const ID: &str = "https://w3id.org/aikg/id/";
/// Source documents and passages (`src:`).
pub const SRC: &str = "https://w3id.org/aikg/source/";

pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const SH: &str = "http://www.w3.org/ns/shacl#";

/// `rdf:type`, `rdfs:label`: the two terms every reader of the graph looks for.
pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
pub const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";

/// The prefixes predeclared in queries and used to print IRIs, longest
/// namespace first within equal prefixes is irrelevant: namespaces are distinct.
pub const PREFIXES: &[(&str, &str)] = &[
    ("aikg", AIKG),
    ("id", ID),
    ("src", SRC),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("owl", OWL),
    ("xsd", XSD),
    ("skos", SKOS),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("org", "http://www.w3.org/ns/org#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("schema", "https://schema.org/"),
    ("sh", SH),
    ("geo", "http://www.w3.org/2003/01/geo/wgs84_pos#"),
    ("gn", "http://www.geonames.org/ontology#"),
    ("wd", "http://www.wikidata.org/entity/"),
    ("wdt", "http://www.wikidata.org/prop/direct/"),
    ("void", "http://rdfs.org/ns/void#"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
];

/// `aikg:Foo` for a term of the ontology namespace, else the full IRI.
pub fn aikg(local: &str) -> String {
    format!("{AIKG}{local}")
}

/// The shortest prefixed name for an IRI, if one of [`PREFIXES`] fits and the
/// local part is safe to write unescaped; else `None`.
pub fn compact(iri: &str) -> Option<String> {
    PREFIXES
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns))
        .map(|(prefix, ns)| (prefix, &iri[ns.len()..]))
        .filter(|(_, local)| {
            local
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
                && !local.ends_with('.')
                && !local.starts_with(['-', '.'])
        })
        .max_by_key(|(_, local)| std::cmp::Reverse(local.len()))
        .map(|(prefix, local)| format!("{prefix}:{local}"))
}

/// Expands `prefix:local` with the known prefixes.
pub fn expand(name: &str) -> Option<String> {
    let (prefix, local) = name.split_once(':')?;
    PREFIXES
        .iter()
        .find(|(p, _)| *p == prefix)
        .map(|(_, ns)| format!("{ns}{local}"))
}

/// `PREFIX` lines for SPARQL.
pub fn sparql_prologue() -> String {
    PREFIXES
        .iter()
        .map(|(p, ns)| format!("PREFIX {p}: <{ns}>\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_and_expand_round_trip() {
        assert_eq!(
            compact("https://w3id.org/aikg/id/K-Cloud").as_deref(),
            Some("id:K-Cloud")
        );
        assert_eq!(
            expand("id:K-Cloud").as_deref(),
            Some("https://w3id.org/aikg/id/K-Cloud")
        );
        assert_eq!(compact("https://w3id.org/aikg/id/a/b"), None);
        assert_eq!(compact("http://example.org/x"), None);
    }
}
