//! `aikg link`, `aikg import` and `aikg dump`: external open data, and
//! publishing the graph.

use super::Global;
use aikg::error::Result;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct LinkArgs {
    /// The kind of dataset: ror, geonames (or any delimited file with --columns), countries, rdf.
    #[arg(long)]
    target: String,
    /// The dataset's file.
    file: PathBuf,
    /// Column mapping of a delimited file: id=COL,name=COL,alt=COL,country=COL,... (see docs).
    #[arg(long)]
    columns: Option<String>,
    /// Lowest score of a link (0-1).
    #[arg(long, default_value_t = 0.8)]
    min_score: f64,
    /// Only entities of these classes (aikg:University or University; repeatable or comma-separated).
    #[arg(long, value_delimiter = ',')]
    class: Vec<String>,
    /// A country table (iso2, name...) to know the ISO codes of the graph's countries.
    #[arg(long, value_name = "FILE")]
    countries: Option<PathBuf>,
    /// Write the linkset (TriG) here; default: stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Write the Wikidata links the linked records state (TriG) here.
    #[arg(long, value_name = "FILE")]
    wikidata: Option<PathBuf>,
    /// Write the review table (TSV) here.
    #[arg(long, value_name = "FILE")]
    review: Option<PathBuf>,
    /// The linkset's named graph.
    #[arg(long, value_name = "IRI")]
    graph: Option<String>,
    /// The links' date (YYYY-MM-DD); default: today.
    #[arg(long)]
    date: Option<String>,
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
}

pub fn link(global: &Global, args: LinkArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let store = super::remote::open(global, args.store.as_deref())?;
    aikg::link::cli::link(
        &*store,
        aikg::link::cli::LinkArgs {
            target: args.target,
            file: args.file,
            columns: args.columns,
            min_score: args.min_score,
            class: args.class,
            countries: args.countries,
            output: args.output,
            wikidata: args.wikidata,
            review: args.review,
            graph: args.graph,
            date: args.date,
        },
        out,
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// geonames, countries or ror followed by the file; or an RDF file.
    #[arg(required = true, num_args = 1..=2)]
    args: Vec<String>,
    /// The named graph to load into.
    #[arg(long, value_name = "IRI")]
    graph: String,
    /// Column mapping of a delimited file (as for `aikg link`).
    #[arg(long)]
    columns: Option<String>,
    /// RDF format of an RDF file (else its extension).
    #[arg(long, short)]
    format: Option<String>,
    #[arg(long, value_name = "DIR")]
    store: PathBuf,
}

pub fn import(global: &Global, args: ImportArgs) -> Result<ExitCode> {
    aikg::link::cli::import(
        &args.store,
        &args.args,
        &args.graph,
        args.columns.as_deref(),
        args.format.as_deref(),
        Some(global.reasoning()?),
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct DumpArgs {
    /// ttl, nt, trig, nq, jsonld (ttl and nt merge the named graphs);
    /// default: the extension of --output, else trig.
    #[arg(long, short)]
    format: Option<String>,
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The licence IRI the description states.
    #[arg(long, default_value = "https://creativecommons.org/licenses/by/4.0/")]
    license: String,
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
}

pub fn dump(global: &Global, args: DumpArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let store = super::remote::open(global, args.store.as_deref())?;
    // The format follows --format, else the output's extension, always.
    let format = args
        .format
        .clone()
        .or_else(|| {
            let extension = args.output.as_deref()?.extension()?.to_str()?;
            Some(extension.to_string())
        })
        .unwrap_or_else(|| "trig".into());
    aikg::link::cli::dump(&*store, &format, args.output.as_deref(), &args.license, out)?;
    Ok(ExitCode::SUCCESS)
}
