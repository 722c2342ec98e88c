//! `aikg infer`: what the ontology implies, for a store, the bundled graph
//! or any RDF files.

use super::{stdout_error, Global, TextOrJson};
use aikg::error::{Error, Result};
use aikg::reason::{self, Closure, Summary};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct InferArgs {
    /// RDF files to reason on, instead of the bundled data or a --store
    /// (their merge: pass the ontology too).
    #[arg(value_name = "FILES", conflicts_with = "store")]
    files: Vec<PathBuf>,
    /// Recompute the inferred graph of this persistent store (atomically:
    /// until it is complete, the store's inferred triples are not used).
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
    /// Write the inferred triples to FILE (- for stdout): N-Triples, or
    /// Turtle, N-Quads, TriG by extension (quads in the inferred graph).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The summary: text or json.
    #[arg(long, short, default_value = "text")]
    format: String,
}

pub fn infer(global: &Global, args: InferArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let format = TextOrJson::parse(&args.format)?;
    let reasoning = global.reasoning()?;
    let started = std::time::Instant::now();
    let (summary, closure) = match &args.store {
        Some(dir) => {
            aikg::store::require_store(dir)?;
            let (summary, closure) = reason::materialise::materialise_dir(dir, reasoning)?;
            (summary, Some(closure))
        }
        None => {
            let rules = reasoning.rules_or_default();
            let closure = if args.files.is_empty() {
                let sources = global.sources()?;
                let quads = sources.read_quads()?;
                reason::closure_of(quads.iter().map(|q| q.quad.as_ref()), rules)
            } else {
                let mut quads = Vec::new();
                for path in &args.files {
                    quads.extend(aikg::source::read_file(path, None)?);
                }
                aikg::timing("read", started);
                reason::closure_of(quads.iter().map(|q| q.quad.as_ref()), rules)
            };
            aikg::timing("reason", started);
            (Summary::of(&closure, started), Some(closure))
        }
    };
    let mut summary_to_stderr = false;
    if let (Some(path), Some(closure)) = (&args.output, &closure) {
        let written = std::time::Instant::now();
        if path.as_os_str() == "-" {
            summary_to_stderr = true;
            write_inferred(closure, RdfFormat::NTriples, out)?;
        } else {
            let rdf_format = output_format(path)?;
            aikg::output::write_atomically(path, |w| write_inferred(closure, rdf_format, w))?;
        }
        aikg::timing("write", written);
    }
    if summary_to_stderr {
        if format == TextOrJson::Json {
            eprintln!(
                "{}",
                serde_json::to_string_pretty(&summary).unwrap_or_default()
            );
        } else {
            eprint!("{}", summary.to_text());
        }
    } else {
        format.write(&summary, || summary.to_text(), out)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn output_format(path: &Path) -> Result<RdfFormat> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    Ok(match extension.to_ascii_lowercase().as_str() {
        "nt" | "" => RdfFormat::NTriples,
        "ttl" => RdfFormat::Turtle,
        "nq" => RdfFormat::NQuads,
        "trig" => RdfFormat::TriG,
        other => return Err(Error::usage(
            format!(
                "-o {}: cannot write inferred triples as .{other}",
                path.display()
            ),
            "use .nt (N-Triples), .ttl (Turtle), .nq (N-Quads) or .trig (TriG), or - for stdout",
        )),
    })
}

/// The inferred triples, in the inferred graph for quad formats.
fn write_inferred(closure: &Closure, format: RdfFormat, out: &mut dyn Write) -> Result<()> {
    let io = |e: std::io::Error| stdout_error(e);
    let graph = if format.supports_datasets() {
        GraphName::from(NamedNode::new_unchecked(reason::INFERRED_GRAPH))
    } else {
        GraphName::DefaultGraph
    };
    let mut serializer = RdfSerializer::from_format(format);
    if matches!(format, RdfFormat::Turtle | RdfFormat::TriG) {
        for (prefix, namespace) in aikg::namespaces::PREFIXES {
            serializer = serializer
                .with_prefix(*prefix, *namespace)
                .expect("the predeclared prefixes are valid IRIs");
        }
    }
    let mut writer = serializer.for_writer(out);
    for row in closure.inferred() {
        writer
            .serialize_quad(&reason::materialise::inferred_quad(closure, row, &graph))
            .map_err(io)?;
    }
    writer.finish().map_err(io)?;
    Ok(())
}
