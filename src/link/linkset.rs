//! Writing what the linker found: a TriG linkset (one named graph per
//! linkset, described with VoID in the default graph; each link an
//! `owl:sameAs` triple annotated, SSSOM-style, with its score, method,
//! dataset and date) and a review table (TSV).
//!
//! Why `owl:sameAs`: ROR ids, GeoNames feature IRIs (`…/ID/`, not the
//! `about.rdf` documents) and Wikidata items each denote the organisation or
//! place itself, and a link is written only when the record is the same
//! real-world thing (not a parent, a campus or a namesake); `skos:exactMatch`
//! is for concepts. A doubtful candidate is never written: it stays in the
//! review table.

use super::scoring::{Index, Outcome};
use super::Record;
use std::fmt::Write as _;

/// Where the links go and how they are described.
#[derive(Clone, Debug)]
pub struct LinksetInfo {
    /// The named graph holding the links (also the void:Linkset's IRI).
    pub graph: String,
    /// Title of the target dataset (ROR, GeoNames, Wikidata).
    pub target_name: String,
    /// The target dataset's namespace (https://ror.org/).
    pub target_namespace: String,
    /// Where the target records were read (file, release).
    pub target_source: String,
    pub date: String,
    pub min_score: f64,
    /// The command that made the links.
    pub command: String,
}

pub const PREFIXES: &str = "@prefix id:      <https://w3id.org/aikg/id/> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix void:    <http://rdfs.org/ns/void#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix schema:  <https://schema.org/> .
@prefix gn:      <http://www.geonames.org/ontology#> .
@prefix sssom:   <https://w3id.org/sssom/> .
@prefix semapv:  <https://w3id.org/semapv/vocab/> .
";

/// A Turtle string literal.
pub fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn subject(iri: &str) -> String {
    crate::namespaces::compact(iri)
        .filter(|c| c.starts_with("id:"))
        .unwrap_or_else(|| format!("<{iri}>"))
}

fn local(iri: &str) -> String {
    iri.rsplit(['/', '#']).next().unwrap_or(iri).to_string()
}

/// One link to write.
pub struct Link<'a> {
    pub entity: &'a str,
    pub target: String,
    pub score: f64,
    /// semapv justification: LexicalMatching, ManualMappingCuration...
    pub justification: &'static str,
    pub method: String,
    pub record: &'a Record,
}

/// The links of the outcomes, to the records themselves.
pub fn direct_links<'a>(outcomes: &'a [Outcome], index: &'a Index) -> Vec<Link<'a>> {
    outcomes
        .iter()
        .filter_map(|o| {
            let c = o.linked()?;
            let record = index.record(c.record);
            Some(Link {
                entity: &o.entity.iri,
                target: record.id.clone(),
                score: c.score,
                justification: "LexicalMatching",
                method: c.method.clone(),
                record,
            })
        })
        .collect()
}

/// The Wikidata items the linked records state (ROR external_ids, the
/// country table's wikidata column).
pub fn wikidata_links<'a>(outcomes: &'a [Outcome], index: &'a Index) -> Vec<Link<'a>> {
    outcomes
        .iter()
        .filter_map(|o| {
            let c = o.linked()?;
            let record = index.record(c.record);
            let q = record.wikidata.as_ref()?;
            Some(Link {
                entity: &o.entity.iri,
                target: format!("http://www.wikidata.org/entity/{q}"),
                score: c.score,
                justification: "MappingChaining",
                method: format!(
                    "stated by {} ({}), itself linked by: {}",
                    record.id,
                    record.display_name(),
                    c.method
                ),
                record,
            })
        })
        .collect()
}

/// The linkset as TriG: its VoID description in the default graph, the links
/// and their annotations in the named graph `info.graph`.
pub fn to_trig(links: &[Link], info: &LinksetInfo) -> String {
    let mut links: Vec<&Link> = links.iter().collect();
    links.sort_by(|a, b| a.entity.cmp(b.entity).then(a.target.cmp(&b.target)));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Links to {} found by `aikg link` and reviewed. Generated: edit with care, keep the annotations.\n",
        info.target_name
    );
    out.push_str(PREFIXES);
    let g = format!("<{}>", info.graph);
    let _ = write!(
        out,
        "\n{g} a void:Linkset ;\n    dcterms:title {} ;\n    void:subjectsTarget <https://w3id.org/aikg/dataset> ;\n    void:objectsTarget <{}> ;\n    void:linkPredicate owl:sameAs ;\n    void:triples \"{}\"^^xsd:integer ;\n    dcterms:created \"{}\"^^xsd:date ;\n    dcterms:source {} ;\n    prov:wasGeneratedBy [ a prov:Activity ; rdfs:label {} ] ;\n    rdfs:comment {} .\n",
        literal(&format!("Links from the aikg graph to {}", info.target_name)),
        info.target_namespace,
        links.len(),
        info.date,
        literal(&info.target_source),
        literal(&info.command),
        literal(&format!(
            "Each link is owl:sameAs, annotated (SSSOM) with its confidence, method, dataset and date; links below score {} were not written.",
            info.min_score
        )),
    );
    let _ = writeln!(
        out,
        "\n<{}> a void:Dataset ;\n    dcterms:title {} .",
        info.target_namespace,
        literal(&info.target_name)
    );
    let _ = writeln!(out, "\n{g} {{");
    for link in &links {
        let node = format!(
            "<{}#{}-{}>",
            info.graph,
            local(link.entity),
            local(link.target.trim_end_matches('/'))
        );
        let _ = writeln!(
            out,
            "    {} owl:sameAs <{}> .",
            subject(link.entity),
            link.target
        );
        let _ = writeln!(
            out,
            "    {node} a owl:Axiom ;\n        owl:annotatedSource {} ;\n        owl:annotatedProperty owl:sameAs ;\n        owl:annotatedTarget <{}> ;\n        sssom:confidence \"{}\"^^xsd:double ;\n        sssom:mapping_justification semapv:{} ;\n        sssom:object_label {} ;\n        sssom:object_source <{}> ;\n        sssom:mapping_date \"{}\"^^xsd:date ;\n        rdfs:comment {} .",
            subject(link.entity),
            link.target,
            link.score,
            link.justification,
            literal(link.record.display_name()),
            info.target_namespace,
            info.date,
            literal(&link.method),
        );
        // What the record says of the thing's country, kept with the link.
        if let Some(country) = &link.record.country {
            let property = if link.target.contains("geonames.org") {
                "gn:countryCode"
            } else {
                "schema:addressCountry"
            };
            let _ = writeln!(
                out,
                "    <{}> {property} {} .",
                link.target,
                literal(country)
            );
        }
    }
    out.push_str("}\n");
    out
}

/// The review table: one line per candidate (best three), or one "no match" line.
pub fn review_tsv(outcomes: &[Outcome], index: &Index) -> String {
    let mut out = String::from("entity\tlabel\tour_country\tcandidate\tcandidate_name\tcandidate_country\tscore\tdecision\tmethod\n");
    let clean = |s: &str| s.replace(['\t', '\n'], " ");
    for o in outcomes {
        let head = format!(
            "{}\t{}\t{}",
            o.entity.short(),
            clean(o.entity.label()),
            o.country.as_deref().unwrap_or("")
        );
        if o.candidates.is_empty() {
            let note = if o.rejected.is_empty() {
                String::new()
            } else {
                format!("rejected: {}", o.rejected.join("; "))
            };
            let _ = writeln!(
                out,
                "{head}\t\t\t\t\t{}\t{}",
                o.decision.as_str(),
                clean(&note)
            );
            continue;
        }
        for (rank, c) in o.candidates.iter().enumerate() {
            let r = index.record(c.record);
            let decision = if rank == 0 {
                o.decision.as_str()
            } else {
                "other candidate"
            };
            let _ = writeln!(
                out,
                "{head}\t{}\t{}\t{}\t{:.3}\t{decision}\t{}",
                r.id,
                clean(r.display_name()),
                r.country.as_deref().unwrap_or(""),
                c.score,
                clean(&c.method)
            );
        }
    }
    out
}
