//! `aikg load`, `aikg check` and `aikg validate`: reading RDF into a store,
//! and checking it against an ontology and shapes.

use super::{graph_iri, rdf_format, stdout_error, Global};
use aikg::error::{Error, Result};
use aikg::store::{self, LoadOptions, Sources};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct LoadArgs {
    /// The store directory (created if missing).
    #[arg(long, value_name = "DIR")]
    store: PathBuf,
    /// Format of every file: ttl, trig, nt, nq, rdf, jsonld.
    #[arg(long, short)]
    format: Option<String>,
    /// Base IRI for relative IRIs (default: each file's own file:// IRI).
    #[arg(long, value_name = "IRI")]
    base: Option<String>,
    /// Put triples that are in no named graph into this graph.
    #[arg(long, value_name = "IRI")]
    graph: Option<String>,
    /// Validate the files against these SHACL shapes first; refuse to
    /// load (store unchanged, exit 1) if there are violations.
    #[arg(long, value_name = "S.ttl")]
    shapes: Vec<PathBuf>,
    /// With --shapes: load even if there are violations (the report is printed).
    #[arg(long, requires = "shapes")]
    force: bool,
    /// With --shapes: an ontology whose triples (rdfs:subClassOf...) the
    /// validation sees, but which is not loaded (repeatable).
    #[arg(long, value_name = "O.ttl", requires = "shapes")]
    ontology: Vec<PathBuf>,
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn load(global: &Global, args: LoadArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let format = rdf_format(args.format)?;
    let graph = graph_iri(args.graph)?;
    let read = read_options(format, args.base)?;
    if !args.shapes.is_empty() {
        return load_checked(
            global,
            &args.store,
            &read,
            graph,
            (&args.shapes, &args.ontology),
            args.force,
            &args.files,
            out,
        );
    }
    let progress = (std::io::stderr().is_terminal() && !aikg::terminal::is_quiet()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let options = LoadOptions {
        format,
        base: read.base,
        graph,
        progress: progress.clone().map(|bar| {
            Box::new(move |n: u64| bar.set_message(format!("{n} quads read")))
                as Box<dyn Fn(u64) + Send + Sync>
        }),
        reasoning: Some(global.reasoning()?),
    };
    let started = std::time::Instant::now();
    let result = store::load(&args.store, &args.files, options);
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let report = match result {
        Err(Error::Source(error)) => return Ok(nothing_loaded(&error, &args.store)),
        result => result?,
    };
    warn_empty(&report);
    let read: u64 = report.files.iter().map(|(_, n)| n).sum();
    aikg::terminal::summary(&format!(
        "loaded {read} quads from {} file{} into {} in {:.2}s",
        report.files.len(),
        if report.files.len() == 1 { "" } else { "s" },
        args.store.display(),
        started.elapsed().as_secs_f64(),
    ));
    if let Some(index) = &report.search_index {
        aikg::terminal::summary(&index.to_string());
    }
    if let Some(summary) = &report.reasoning {
        aikg::terminal::summary(&summary.one_line());
    }
    Ok(ExitCode::SUCCESS)
}

/// `aikg load --shapes`: validate, then load the parsed quads, or refuse.
#[allow(clippy::too_many_arguments)]
fn load_checked(
    global: &Global,
    store_dir: &Path,
    read: &aikg::source::ReadOptions,
    graph: Option<oxigraph::model::NamedNode>,
    (shapes, ontology): (&[PathBuf], &[PathBuf]),
    force: bool,
    files: &[PathBuf],
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let (outcome, parsed) = match aikg::check::validate(shapes, ontology, files, read) {
        Err(Error::Source(error)) => return Ok(nothing_loaded(&error, store_dir)),
        result => result?,
    };
    if outcome.has_violations() {
        outcome.write(aikg::check::ReportFormat::Text, out)?;
        out.flush().map_err(stdout_error)?;
        if !force {
            eprintln!(
                "error: the data has violations of the shapes: nothing was loaded, {} is unchanged\n  hint: fix the data, or load anyway with --force",
                store_dir.display()
            );
            return Ok(ExitCode::from(1));
        }
        eprintln!("warning: loading despite the violations (--force)");
    }
    // The validated files are loaded by oxigraph's parser and bulk loader
    // (the same as a plain `aikg load`), atomically.
    drop(parsed);
    let options = LoadOptions {
        format: read.format,
        base: read.base.clone(),
        graph,
        progress: None,
        reasoning: Some(global.reasoning()?),
    };
    let report = match store::load(store_dir, files, options) {
        Err(Error::Source(error)) => return Ok(nothing_loaded(&error, store_dir)),
        result => result?,
    };
    warn_empty(&report);
    let read: u64 = report.files.iter().map(|(_, n)| n).sum();
    aikg::terminal::summary(&format!(
        "validated and loaded {read} quads from {} file{} into {} in {:.2}s",
        report.files.len(),
        if report.files.len() == 1 { "" } else { "s" },
        store_dir.display(),
        started.elapsed().as_secs_f64(),
    ));
    if let Some(index) = &report.search_index {
        aikg::terminal::summary(&index.to_string());
    }
    if let Some(summary) = &report.reasoning {
        aikg::terminal::summary(&summary.one_line());
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// text, ttl (W3C sh:ValidationReport) or json.
    #[arg(long, short, default_value = "text")]
    format: String,
}

pub fn check(global: &Global, args: CheckArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let format = report_format(&args.format)?;
    let outcome = match super::remote::store_data(global)? {
        // The store's statements, checked against this ontology and shapes.
        Some(data) => {
            let sources = Sources::open(global.data())?.with_reasoning(global.reasoning()?);
            eprintln!("checking the data of {}", data.name);
            aikg::check::check_data(&sources, vec![data])?
        }
        None => {
            let (sources, which) = Sources::for_check(global.data())?;
            let sources = sources.with_reasoning(global.reasoning()?);
            eprintln!("checking {which}");
            aikg::check::check(&sources)?
        }
    };
    report(&outcome, format, out)
}

#[derive(clap::Args)]
pub struct ValidateArgs {
    /// The shapes graph (repeatable).
    #[arg(long, required = true, value_name = "S.ttl")]
    shapes: Vec<PathBuf>,
    /// text, ttl (W3C sh:ValidationReport) or json.
    #[arg(long, short, default_value = "text")]
    format: String,
    /// An ontology whose triples (rdfs:subClassOf...) the validation
    /// sees with the data, as pySHACL's --ont-graph (repeatable).
    #[arg(long, value_name = "O.ttl")]
    ontology: Vec<PathBuf>,
    /// RDF format of the data files: ttl, trig, nt, nq, rdf, jsonld (default: by extension).
    #[arg(long, value_name = "FORMAT")]
    input_format: Option<String>,
    /// Base IRI for relative IRIs in every file (default: each file's own file:// IRI).
    #[arg(long, value_name = "IRI")]
    base: Option<String>,
    /// The data files (none with --endpoint: the store's data is validated).
    files: Vec<PathBuf>,
}

pub fn validate(global: &Global, args: ValidateArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let format = report_format(&args.format)?;
    let read = read_options(rdf_format(args.input_format)?, args.base)?;
    let outcome = match (super::remote::store_data(global)?, args.files.is_empty()) {
        (Some(data), true) => {
            aikg::check::validate_store(&args.shapes, &args.ontology, data, &read)?
        }
        (None, false) => aikg::check::validate(&args.shapes, &args.ontology, &args.files, &read)?.0,
        (Some(_), false) => {
            return Err(Error::usage(
                "FILES and --endpoint both say what to validate",
                "give the files, or --endpoint URL to validate the store's data, not both",
            ))
        }
        (None, true) => {
            return Err(Error::usage(
                "no data to validate",
                "give the RDF files to validate, or --endpoint URL for a remote store's data",
            ))
        }
    };
    report(&outcome, format, out)
}

/// Writes a check or validation report; exit 1 when it has violations.
fn report(
    outcome: &aikg::check::Outcome,
    format: aikg::check::ReportFormat,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    outcome.write(format, out)?;
    Ok(if outcome.has_violations() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn report_format(name: &str) -> Result<aikg::check::ReportFormat> {
    aikg::check::ReportFormat::from_name(name).ok_or_else(|| {
        Error::usage(
            format!("unknown report format {name:?}"),
            format!("use one of: {}", aikg::check::ReportFormat::NAMES),
        )
    })
}

/// `--format` and `--base` as the reader's options; the base must be absolute.
pub fn read_options(
    format: Option<aikg::source::SourceFormat>,
    base: Option<String>,
) -> Result<aikg::source::ReadOptions> {
    if let Some(base) = &base {
        aikg::source::check_base(base).map_err(|message| {
            Error::usage(
                message,
                "give an absolute IRI, e.g. --base https://example.org/data/",
            )
        })?;
    }
    Ok(aikg::source::ReadOptions {
        format,
        base,
        allow_empty: true,
    })
}

/// A file `load` cannot read: the error in the words of every command that
/// reads RDF (check, validate, stats), then what it means for the store.
fn nothing_loaded(error: &aikg::source::SourceError, store_dir: &Path) -> ExitCode {
    aikg::terminal::error(&error.to_string());
    eprintln!(
        "  nothing was loaded, the store is unchanged ({})",
        store_dir.display()
    );
    ExitCode::from(2)
}

/// An empty document is valid RDF: loaded (nothing), with a word.
fn warn_empty(report: &store::LoadReport) {
    for (file, _) in report.files.iter().filter(|(_, n)| *n == 0) {
        eprintln!("warning: {file}: the file holds no triples (nothing loaded from it)");
    }
    for line in report.literals.lines() {
        if line.starts_with("warning") {
            eprintln!("{line}");
        } else {
            aikg::terminal::summary(&line);
        }
    }
}
