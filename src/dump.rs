//! Publishing: the whole graph (sources' facts, ontology, links) in one RDF
//! file, with a VoID/DCAT description of the dataset: title, licence,
//! sources, counts (triples, entities, per class) and its linksets.

use crate::error::{Error, Result};
use crate::kg::{Kg, Scope};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};
use std::io::Write;

pub const DATASET: &str = "https://w3id.org/aikg/dataset";
const VOID: &str = "http://rdfs.org/ns/void#";
const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCTERMS: &str = "http://purl.org/dc/terms/";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DumpFormat {
    Turtle,
    NTriples,
    TriG,
    NQuads,
    JsonLd,
}

impl DumpFormat {
    pub const NAMES: &'static str = "ttl, nt, trig, nq, jsonld";

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "ttl" | "turtle" => Self::Turtle,
            "nt" | "ntriples" | "n-triples" => Self::NTriples,
            "trig" => Self::TriG,
            "nq" | "nquads" | "n-quads" => Self::NQuads,
            "jsonld" | "json-ld" => Self::JsonLd,
            _ => return None,
        })
    }

    fn rdf_format(self) -> RdfFormat {
        match self {
            Self::Turtle => RdfFormat::Turtle,
            Self::NTriples => RdfFormat::NTriples,
            Self::TriG => RdfFormat::TriG,
            Self::NQuads => RdfFormat::NQuads,
            Self::JsonLd => RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        }
    }

    /// Whether the format keeps named graphs (the provenance of each fact).
    pub fn keeps_graphs(self) -> bool {
        matches!(self, Self::TriG | Self::NQuads | Self::JsonLd)
    }
}

/// What the description says that the data cannot: licence and title.
#[derive(Clone, Debug)]
pub struct DumpOptions {
    pub format: DumpFormat,
    pub license: String,
    pub title: String,
}

fn count(store: &dyn Kg, sparql: &str) -> Result<u64> {
    let rows = crate::kg::select(store, sparql)?;
    Ok(rows
        .first()
        .and_then(|r| r.get("n"))
        .and_then(|t| match t {
            Term::Literal(l) => l.value().parse().ok(),
            _ => None,
        })
        .unwrap_or(0))
}

fn lit_int(n: u64) -> Term {
    Literal::new_typed_literal(n.to_string(), xsd::INTEGER).into()
}

/// The VoID/DCAT description of the store's content (default graph).
pub fn description(store: &dyn Kg, options: &DumpOptions) -> Result<Vec<Quad>> {
    let d = NamedNode::new_unchecked(DATASET);
    let mut quads = Vec::new();
    let mut add = |s: &NamedNode, p: &str, o: Term| {
        quads.push(Quad::new(
            s.clone(),
            NamedNode::new_unchecked(p),
            o,
            GraphName::DefaultGraph,
        ))
    };
    let iri = |s: &str| -> Term { NamedNode::new_unchecked(s).into() };
    add(&d, rdf::TYPE.as_str(), iri(&format!("{VOID}Dataset")));
    add(&d, rdf::TYPE.as_str(), iri(&format!("{DCAT}Dataset")));
    add(
        &d,
        &format!("{DCTERMS}title"),
        Literal::new_language_tagged_literal_unchecked(&options.title, "en").into(),
    );
    add(&d, &format!("{DCTERMS}license"), iri(&options.license));
    add(
        &d,
        &format!("{VOID}uriSpace"),
        Literal::new_simple_literal(crate::namespaces::ID).into(),
    );
    add(
        &d,
        &format!("{VOID}vocabulary"),
        iri("https://w3id.org/aikg/ontology#"),
    );
    add(
        &d,
        &format!("{VOID}triples"),
        lit_int(store.approximate_len()? as u64),
    );
    add(&d, &format!("{VOID}entities"), lit_int(count(store, "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c FILTER(STRSTARTS(STR(?e), \"https://w3id.org/aikg/id/\")) }")?));
    add(
        &d,
        &format!("{VOID}distinctSubjects"),
        lit_int(count(
            store,
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
        )?),
    );
    // Sources: the documents the facts quote.
    for row in crate::kg::select(
        store,
        "SELECT DISTINCT ?doc WHERE { ?doc a aikg:Document } ORDER BY ?doc",
    )? {
        if let Some(Term::NamedNode(doc)) = row.get("doc") {
            add(&d, &format!("{DCTERMS}source"), doc.clone().into());
        }
    }
    // Class partitions.
    for row in crate::kg::select(
        store,
        "SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c FILTER(STRSTARTS(STR(?c), STR(aikg:))) } GROUP BY ?c ORDER BY ?c",
    )? {
        if let (Some(Term::NamedNode(c)), Some(Term::Literal(n))) = (row.get("c"), row.get("n")) {
            let local = c.as_str().rsplit('#').next().unwrap_or_default();
            let p = NamedNode::new_unchecked(format!("{DATASET}#class-{local}"));
            add(&d, &format!("{VOID}classPartition"), p.clone().into());
            add(&p, &format!("{VOID}class"), c.clone().into());
            add(&p, &format!("{VOID}entities"), Literal::new_typed_literal(n.value(), xsd::INTEGER).into());
        }
    }
    // Linksets (described in data/links/).
    for row in crate::kg::select(
        store,
        "SELECT DISTINCT ?ls WHERE { ?ls a void:Linkset } ORDER BY ?ls",
    )? {
        if let Some(Term::NamedNode(ls)) = row.get("ls") {
            add(&d, &format!("{VOID}subset"), ls.clone().into());
        }
    }
    // The distribution this dump is.
    let dist = NamedNode::new_unchecked(format!("{DATASET}#distribution"));
    add(&d, &format!("{DCAT}distribution"), dist.clone().into());
    add(
        &dist,
        rdf::TYPE.as_str(),
        iri(&format!("{DCAT}Distribution")),
    );
    add(
        &dist,
        &format!("{DCAT}mediaType"),
        Literal::new_simple_literal(options.format.rdf_format().media_type()).into(),
    );
    add(&dist, &format!("{DCTERMS}license"), iri(&options.license));
    Ok(quads)
}

/// Writes the store's content and its description. Formats without named
/// graphs (Turtle, N-Triples) get the union of all graphs.
pub fn dump(store: &dyn Kg, options: &DumpOptions, out: &mut dyn Write) -> Result<usize> {
    let io = |e: std::io::Error| Error::io("<output>", e);
    let mut quads = crate::kg::all_quads(store, Scope::WithOntology)?;
    quads.extend(description(store, options)?);
    if !options.format.keeps_graphs() {
        for q in &mut quads {
            q.graph_name = GraphName::DefaultGraph;
        }
    }
    quads.sort_by_cached_key(|q| {
        (
            q.graph_name.to_string(),
            q.subject.to_string(),
            q.predicate.to_string(),
            q.object.to_string(),
        )
    });
    quads.dedup();
    let mut serializer = RdfSerializer::from_format(options.format.rdf_format());
    if matches!(options.format, DumpFormat::Turtle | DumpFormat::TriG) {
        for (prefix, namespace) in crate::namespaces::PREFIXES {
            serializer = serializer
                .with_prefix(*prefix, *namespace)
                .expect("valid prefixes");
        }
    }
    let mut writer = serializer.for_writer(out);
    for q in &quads {
        writer.serialize_quad(q).map_err(io)?;
    }
    writer.finish().map_err(io)?;
    Ok(quads.len())
}
