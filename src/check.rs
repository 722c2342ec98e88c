//! `aikg check`, `aikg validate` and the gate of `aikg load --shapes`: parse,
//! run the ontology checks and the SHACL shapes, and report with positions.

use crate::error::{Error, Result};
use crate::shacl::diagnostics::{self, Finding, Locator, Severity, Texts};
use crate::shacl::graph::GraphBuilder;
use crate::shacl::ontology_checks::{self, Options};
use crate::shacl::report::{ValidationReport, ValidationResult};
use crate::shacl::vocab::sh;
use crate::shacl::{self, scan, Graph};
use crate::source::{self, LocatedQuad, SourceFormat};
use crate::store::{SourceFile, Sources};
use oxigraph::io::{RdfFormat, RdfSerializer};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Turtle,
    Json,
}

impl ReportFormat {
    pub const NAMES: &'static str = "text, ttl, json";

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "text" => Some(Self::Text),
            "ttl" | "turtle" => Some(Self::Turtle),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// The outcome of a check or validation.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Every result (SHACL results and ontology-check findings), sorted.
    pub report: ValidationReport,
    /// The same results, located and sorted by severity and position.
    pub findings: Vec<Finding>,
    /// What was checked, for the summary line.
    pub what: String,
}

impl Outcome {
    /// Are there results of severity sh:Violation (exit code 1)?
    pub fn has_violations(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == Severity::Violation)
    }

    pub fn write(&self, format: ReportFormat, out: &mut dyn Write) -> Result<()> {
        let io = |e: std::io::Error| Error::io("<stdout>", e);
        match format {
            ReportFormat::Text => out
                .write_all(diagnostics::to_text(&self.findings, &self.what).as_bytes())
                .map_err(io),
            ReportFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &diagnostics::to_json(&self.findings))
                    .map_err(|e| Error::io("<stdout>", e))?;
                writeln!(out).map_err(io)
            }
            ReportFormat::Turtle => {
                let mut serializer = RdfSerializer::from_format(RdfFormat::Turtle);
                for (prefix, ns) in [
                    ("sh", sh::NS),
                    ("check", ontology_checks::CHECK_NS),
                    ("rdf", crate::namespaces::RDF),
                    ("xsd", crate::namespaces::XSD),
                ]
                .into_iter()
                .chain(crate::namespaces::PREFIXES.iter().copied())
                {
                    serializer = serializer
                        .with_prefix(prefix, ns)
                        .map_err(|e| Error::io("<stdout>", e))?;
                }
                let mut writer = serializer.for_writer(out);
                for t in self.report.to_triples() {
                    writer.serialize_triple(&t).map_err(io)?;
                }
                writer.finish().map_err(io)?;
                Ok(())
            }
        }
    }
}

/// A parsed file: its name, text and quads.
pub struct ParsedFile {
    pub name: Arc<str>,
    pub text: crate::mapped::Text,
    /// The quads with their positions (empty if the file was scanned).
    pub quads: Vec<LocatedQuad>,
    /// For an N-Triples / N-Quads file indexed by [`scan`]: whether it is
    /// N-Quads, and where its statements are.
    pub scanned: Option<(bool, scan::Lines)>,
}

/// Parses one source file (bundled or of a working copy), keeping its text.
pub fn parse_source(file: &SourceFile) -> Result<ParsedFile> {
    let format = SourceFormat::from_path(Path::new(&*file.path)).ok_or_else(|| {
        Error::usage(
            format!("{}: not an RDF file extension", file.path),
            format!("use one of: {}", SourceFormat::NAMES),
        )
    })?;
    let quads = source::read_bytes(file.path.clone(), &file.bytes, format)?;
    Ok(ParsedFile {
        name: file.path.clone(),
        text: crate::mapped::Text::Owned(String::from_utf8_lossy(&file.bytes).into_owned()),
        quads,
        scanned: None,
    })
}

/// Reads an RDF file from disk, keeping its text for snippets.
pub fn parse_path(path: &Path, options: &source::ReadOptions) -> Result<ParsedFile> {
    read_path(path, options, None)
}

/// Reads an RDF file; with `scan_into`, an N-Triples or N-Quads file is
/// indexed by the fast scanner (falling back to the parser if it gives up).
fn read_path(
    path: &Path,
    options: &source::ReadOptions,
    scan_into: Option<(&mut GraphBuilder, usize)>,
) -> Result<ParsedFile> {
    let name: Arc<str> = source::input::display_name(path).into();
    let format = source::format_of(path, options.format)?;
    let started = std::time::Instant::now();
    let bytes = source::input::read_all(path)?;
    let line_based = matches!(format, SourceFormat::NTriples | SourceFormat::NQuads);
    crate::timing("read", started);
    // The UTF-8 check runs once, here: the scanner and the kept text share it.
    let bytes = match (line_based, scan_into) {
        (true, Some((builder, _))) => match bytes.into_text() {
            Ok(text) => {
                let quads = format == SourceFormat::NQuads;
                if let Ok(lines) =
                    scan::scan_parallel(builder, &text, quads, &source::blank_scope(&name))
                {
                    if !lines.is_empty() {
                        return Ok(ParsedFile {
                            name,
                            text,
                            quads: Vec::new(),
                            scanned: Some((quads, lines)),
                        });
                    }
                }
                let quads =
                    source::read_bytes_with(name.clone(), text.as_bytes(), format, options)?;
                return Ok(ParsedFile {
                    name,
                    text,
                    quads,
                    scanned: None,
                });
            }
            Err(bytes) => bytes,
        },
        _ => bytes,
    };
    let quads = source::read_bytes_with(name.clone(), &bytes, format, options)?;
    let text = bytes.into_text_lossy();
    Ok(ParsedFile {
        name,
        text,
        quads,
        scanned: None,
    })
}

/// Does a file hold SHACL shapes (any triple in the sh: namespace)?
pub fn is_shapes_file(quads: &[LocatedQuad]) -> bool {
    quads.iter().any(|q| {
        q.quad.predicate.as_str().starts_with(sh::NS)
            || matches!(&q.quad.object, oxigraph::model::Term::NamedNode(n) if n.as_str() == sh::NODE_SHAPE || n.as_str() == sh::PROPERTY_SHAPE)
    })
}

/// Validates data files against shapes files (read with `read`); `extra`
/// results (ontology checks) are merged in.
fn run(
    mut builder: GraphBuilder,
    shapes: &[&ParsedFile],
    data: &[&ParsedFile],
    extra: Vec<(ValidationResult, source::Position)>,
    what: String,
    read: &source::ReadOptions,
) -> Result<Outcome> {
    let started = std::time::Instant::now();
    for f in data {
        for q in &f.quads {
            builder.add_quad(q.quad.as_ref());
        }
    }
    let mut g = builder.build();
    crate::timing("index", started);
    let started = std::time::Instant::now();
    let mut sg = Graph::from_quads(
        shapes
            .iter()
            .flat_map(|f| f.quads.iter().map(|q| q.quad.as_ref())),
    );
    let files: Vec<&str> = shapes.iter().map(|f| &*f.name).collect();
    let files = files.join(", ");
    shapes_graph_is_well_formed(&sg, shapes, &files)?;
    if has_sparql(&sg) {
        sg.set_document_prefixes(document_prefixes(shapes, read)?);
    }
    let schema = shacl::Schema::compile(&sg, &mut g).map_err(|e| {
        Error::usage(
            format!("{files}: {e}"),
            "fix the shapes graph (see the W3C SHACL recommendation, section 2-4)",
        )
    })?;
    if schema.shapes.is_empty() {
        // Exit 2, not 0: nothing was validated, and a "conforms" would
        // read as if the data had passed the shapes the user meant to give.
        return Err(Error::usage(
            format!("{files}: no shapes in the shapes graph (no sh:NodeShape, sh:PropertyShape, target or constraint): nothing was validated"),
            "give the file that holds your shapes with --shapes",
        ));
    }
    if schema.targeted().next().is_none() {
        eprintln!("warning: {files}: no shape has a target (sh:targetClass, sh:targetNode, sh:targetSubjectsOf, sh:targetObjectsOf or an implicit class target): no node was checked");
    }
    let report = shacl::run(&mut g, &schema).map_err(|e| {
        Error::usage(
            format!("{files}: {e}"),
            "nothing is reported: fix the query, or the shape that names it",
        )
    })?;
    crate::timing("validate", started);
    let started = std::time::Instant::now();
    let texts = if report.results.is_empty() && extra.is_empty() {
        Texts::default()
    } else {
        Texts::new(
            data.iter()
                .chain(shapes)
                .map(|f| (f.name.clone(), f.text.as_str())),
        )
    };
    let wanted = diagnostics::nodes_to_locate(&report);
    let rescanned: Vec<Vec<LocatedQuad>> = data
        .iter()
        .map(|f| match &f.scanned {
            Some((quads, lines)) if !wanted.is_empty() => {
                scan::locate(&f.name, &f.text, *quads, lines, &g, &wanted)
            }
            _ => Vec::new(),
        })
        .collect();
    let files: Vec<&[LocatedQuad]> = data
        .iter()
        .zip(&rescanned)
        .map(|(f, r)| {
            if f.scanned.is_some() {
                r.as_slice()
            } else {
                f.quads.as_slice()
            }
        })
        .collect();
    let locator = Locator::new(&files, &wanted);
    let mut findings: Vec<Finding> = report
        .results
        .iter()
        .map(|r| diagnostics::finding(r, locator.result(r), &g, &texts))
        .collect();
    let mut results = report.results;
    for (r, position) in extra {
        findings.push(diagnostics::finding(&r, Some(&position), &g, &texts));
        results.push(r);
    }
    diagnostics::sort(&mut findings);
    crate::timing("locate", started);
    // Freeing the index (a string per distinct term) takes tens of
    // milliseconds on a large graph, and nothing needs to wait for it.
    std::thread::spawn(move || drop(g));
    let mut report = ValidationReport { results };
    report.sort();
    Ok(Outcome {
        report,
        findings,
        what,
    })
}

/// Does the shapes graph hold a SPARQL query (`sh:select`, `sh:ask`)?
fn has_sparql(sg: &Graph) -> bool {
    [format!("{}select", sh::NS), format!("{}ask", sh::NS)]
        .iter()
        .filter_map(|p| sg.iri_id(p))
        .any(|p| sg.pairs_with_predicate(p).next().is_some())
}

/// The prefixes the shapes files declare, the fallback of their SPARQL
/// queries' prefixes: each file read again, with the syntax and base IRI
/// it was read with (a file whose syntax its name does not give has none).
fn document_prefixes(
    shapes: &[&ParsedFile],
    read: &source::ReadOptions,
) -> Result<shacl::sparql::DocumentPrefixes> {
    let mut prefixes = shacl::sparql::DocumentPrefixes::default();
    for f in shapes {
        let Ok(format) = source::format_of(Path::new(&*f.name), read.format) else {
            continue;
        };
        let base = read.base_for(&f.name);
        let declared =
            source::declared_prefixes(&f.name, f.text.as_bytes(), format, base.as_deref())?;
        for (prefix, namespace) in declared {
            prefixes.add(&prefix, &namespace);
        }
    }
    Ok(prefixes)
}

/// Refuses a shapes graph that is not well-formed (SHACL for SHACL, terms
/// of the sh: namespace, shapes used but not described), every problem
/// located in the shapes files.
fn shapes_graph_is_well_formed(sg: &Graph, shapes: &[&ParsedFile], files: &str) -> Result<()> {
    let problems = shacl::well_formed::check(sg);
    if problems.is_empty() {
        return Ok(());
    }
    let quads: Vec<&[LocatedQuad]> = shapes.iter().map(|f| f.quads.as_slice()).collect();
    let report = ValidationReport { results: problems };
    let locator = Locator::new(&quads, &diagnostics::nodes_to_locate(&report));
    let texts = Texts::new(shapes.iter().map(|f| (f.name.clone(), f.text.as_str())));
    let mut findings: Vec<Finding> = report
        .results
        .iter()
        .map(|r| diagnostics::finding(r, locator.result(r), sg, &texts))
        .collect();
    diagnostics::sort(&mut findings);
    findings.dedup();
    Err(Error::usage(
        format!(
            "{files}: the shapes graph is not well-formed ({} problem{}); nothing was validated\n{}",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" },
            diagnostics::findings_text(&findings).trim_end()
        ),
        "fix the shapes at these positions (SHACL 2017, sections 2-4 and appendix C)",
    ))
}

/// `aikg check`: the ontology checks and the shapes of `ontology/` on the
/// data of `data/` (bundled, or a working copy).
pub fn check(sources: &Sources) -> Result<Outcome> {
    let data: Vec<ParsedFile> = sources
        .data
        .iter()
        .map(parse_source)
        .collect::<Result<_>>()?;
    check_data(sources, data)
}

/// The data of a store (read by [`crate::kg::Kg::scan`]) as one parsed
/// "file" named `name`: its statements carry the graph they are in as their
/// position, for the report.
pub fn store_data(name: &str, quads: Vec<oxigraph::model::Quad>) -> ParsedFile {
    let name: Arc<str> = name.into();
    let mut files: std::collections::HashMap<String, Arc<str>> = Default::default();
    let quads = quads
        .into_iter()
        .map(|quad| {
            let graph = match &quad.graph_name {
                oxigraph::model::GraphName::DefaultGraph => format!("{name} (default graph)"),
                g => format!("{name} {g}"),
            };
            let file = files
                .entry(graph.clone())
                .or_insert_with(|| graph.into())
                .clone();
            LocatedQuad {
                quad,
                position: source::Position {
                    file,
                    line: 0,
                    column: 0,
                },
            }
        })
        .collect();
    ParsedFile {
        name,
        text: crate::mapped::Text::Owned(String::new()),
        quads,
        scanned: None,
    }
}

/// `aikg check` of data already read (files of `data/`, or a store's
/// statements: [`store_data`]), with the ontology, shapes and reasoning of
/// `sources`.
pub fn check_data(sources: &Sources, data: Vec<ParsedFile>) -> Result<Outcome> {
    let mut ontology = Vec::new();
    let mut shapes = Vec::new();
    for file in &sources.ontology {
        let parsed = parse_source(file)?;
        if is_shapes_file(&parsed.quads) {
            shapes.push(parsed);
        } else {
            ontology.push(parsed);
        }
    }
    check_parsed(&ontology, &shapes, &data, sources.reasoning)
}

/// [`check`] on files already parsed (the server's write gate checks the
/// store's quads and a request's body this way).
pub fn check_parsed(
    ontology: &[ParsedFile],
    shapes: &[ParsedFile],
    data: &[ParsedFile],
    reasoning: crate::reason::Reasoning,
) -> Result<Outcome> {
    let ontology_quads: Vec<LocatedQuad> = ontology
        .iter()
        .flat_map(|f| f.quads.iter().cloned())
        .collect();
    let data_quads: Vec<LocatedQuad> = data.iter().flat_map(|f| f.quads.iter().cloned()).collect();
    let shapes_quads: Vec<LocatedQuad> = shapes
        .iter()
        .flat_map(|f| f.quads.iter().cloned())
        .collect();
    let mut extra = ontology_checks::check(
        &ontology_quads,
        &data_quads,
        &shapes_quads,
        Options {
            aikg_provenance: true,
        },
    );
    extra.extend(link_findings(&data_quads));
    extra.extend(crate::readings::check(&ontology_quads, &data_quads));
    // What reasoning reveals (disjointness after inference, transitive
    // cycles, symmetric or inverse properties with a literal).
    extra.extend(crate::reason::checks::check(
        &ontology_quads,
        &data_quads,
        reasoning.rules_or_default(),
    ));
    // The data graph holds the ontology too, so that sh:class follows its
    // rdfs:subClassOf; the shapes are not data.
    let data_and_ontology: Vec<&ParsedFile> = ontology.iter().chain(data).collect();
    let shapes: Vec<&ParsedFile> = shapes.iter().collect();
    let triples: usize = data.iter().map(|f| f.quads.len()).sum();
    let what = format!(
        "aikg check ({} data file{}, {triples} quads; {} shapes file{})",
        data.len(),
        if data.len() == 1 { "" } else { "s" },
        shapes.len(),
        if shapes.len() == 1 { "" } else { "s" }
    );
    run(
        GraphBuilder::new(),
        &shapes,
        &data_and_ontology,
        extra,
        what,
        &source::ReadOptions::default(),
    )
}

/// SHACL validation of parsed data (as [`validate`]: the `ontology` is seen
/// by the validation, not checked).
pub fn validate_parsed(
    shapes: &[ParsedFile],
    ontology: &[ParsedFile],
    data: &[ParsedFile],
) -> Result<Outcome> {
    validate_parsed_with(shapes, ontology, data, &source::ReadOptions::default())
}

/// [`validate_parsed`] of shapes read with `read`.
fn validate_parsed_with(
    shapes: &[ParsedFile],
    ontology: &[ParsedFile],
    data: &[ParsedFile],
    read: &source::ReadOptions,
) -> Result<Outcome> {
    let triples: usize = data.iter().map(|f| f.quads.len()).sum();
    let what = format!("validation ({triples} quads)");
    let graph: Vec<&ParsedFile> = data.iter().chain(ontology).collect();
    run(
        GraphBuilder::new(),
        &shapes.iter().collect::<Vec<_>>(),
        &graph,
        Vec::new(),
        what,
        read,
    )
}

/// The link checks of `data/links/` (ids well-formed, one id per entity and
/// dataset, the record's country agrees with ours) as check results.
fn link_findings(data: &[LocatedQuad]) -> Vec<(ValidationResult, source::Position)> {
    let component =
        oxigraph::model::NamedNode::new_unchecked(format!("{}Link", ontology_checks::CHECK_NS));
    crate::link::check::check(data)
        .into_iter()
        .map(|d| {
            let focus = oxigraph::model::NamedNode::new(&d.entity)
                .map(oxigraph::model::Term::from)
                .unwrap_or_else(|_| oxigraph::model::Literal::new_simple_literal(&d.entity).into());
            let result = ValidationResult {
                focus,
                path: None,
                value: None,
                source_shape: component.clone().into(),
                component: component.clone(),
                severity: oxigraph::model::NamedNode::new_unchecked(sh::VIOLATION),
                messages: vec![oxigraph::model::Literal::new_simple_literal(&d.hint).into()],
                constraint: d.message,
                source_constraint: None,
            };
            (result, d.position)
        })
        .collect()
}

/// `aikg validate`: SHACL validation of any RDF files. `ontology` files are
/// added to the data graph for validation only (so that `sh:class` follows
/// their rdfs:subClassOf), as pySHACL's `--ont-graph` does. Returns the
/// parsed data too, for `aikg load --shapes`.
pub fn validate(
    shapes: &[PathBuf],
    ontology: &[PathBuf],
    files: &[PathBuf],
    read: &source::ReadOptions,
) -> Result<(Outcome, Vec<ParsedFile>)> {
    // Shapes and ontology files are read by their extension, with the same base.
    let by_extension = source::ReadOptions {
        format: None,
        ..read.clone()
    };
    let started = std::time::Instant::now();
    let shapes = parse_all(shapes, &by_extension)?;
    let ontology = parse_all(ontology, &by_extension)?;
    let mut builder = GraphBuilder::new();
    let data: Vec<ParsedFile> = files
        .iter()
        .enumerate()
        .map(|(i, p)| read_path(p, read, Some((&mut builder, i))))
        .collect::<Result<_>>()?;
    crate::timing("parse", started);
    validate_built(&shapes, &ontology, builder, data, &by_extension)
}

/// `aikg validate` of a store's statements ([`store_data`]).
pub fn validate_store(
    shapes: &[PathBuf],
    ontology: &[PathBuf],
    data: ParsedFile,
    read: &source::ReadOptions,
) -> Result<Outcome> {
    // Shapes and ontology files are read by their extension.
    let by_extension = source::ReadOptions {
        format: None,
        ..read.clone()
    };
    let shapes = parse_all(shapes, &by_extension)?;
    let ontology = parse_all(ontology, &by_extension)?;
    validate_parsed_with(&shapes, &ontology, &[data], &by_extension)
}

fn parse_all(paths: &[PathBuf], read: &source::ReadOptions) -> Result<Vec<ParsedFile>> {
    paths.iter().map(|p| parse_path(p, read)).collect()
}

/// [`validate`] of data read into `builder` (and held in `data`), with
/// shapes read with `read`.
fn validate_built(
    shapes: &[ParsedFile],
    ontology: &[ParsedFile],
    builder: GraphBuilder,
    data: Vec<ParsedFile>,
    read: &source::ReadOptions,
) -> Result<(Outcome, Vec<ParsedFile>)> {
    let triples: usize = builder.checkpoint() + data.iter().map(|f| f.quads.len()).sum::<usize>();
    let what = format!(
        "validation ({} file{}, {triples} quads)",
        data.len(),
        if data.len() == 1 { "" } else { "s" }
    );
    let graph: Vec<&ParsedFile> = data.iter().chain(ontology).collect();
    let outcome = run(
        builder,
        &shapes.iter().collect::<Vec<_>>(),
        &graph,
        Vec::new(),
        what,
        read,
    )?;
    Ok((outcome, data))
}
