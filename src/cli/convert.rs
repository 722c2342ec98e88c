//! `aikg convert IN OUT`: RDF from one syntax to another.

use super::{rdf_format, Global};
use aikg::error::{Error, Result};
use aikg::source::{self, SourceFormat};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ConvertArgs {
    /// The input: a file (.ttl .trig .nt .nq .rdf .jsonld, also .gz .bz2
    /// .zst), or - for standard input.
    input: PathBuf,
    /// The output: a file, written whole or not at all, or - for standard output.
    output: PathBuf,
    /// Syntax of the input (name, extension or media type); default: by extension.
    #[arg(long, value_name = "FORMAT")]
    from: Option<String>,
    /// Syntax of the output; default: by the output's extension.
    #[arg(long, value_name = "FORMAT")]
    to: Option<String>,
    /// Syntax of the output, as --to (the name riot and oxigraph use).
    #[arg(long, short, value_name = "FORMAT", conflicts_with = "to")]
    format: Option<String>,
    /// Base IRI for relative IRIs (default: the input's own file:// IRI).
    #[arg(long, value_name = "IRI")]
    base: Option<String>,
}

pub fn convert(_global: &Global, args: ConvertArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let read = super::data::read_options(rdf_format(args.from)?, args.base)?;
    source::check_readable(&args.input)?;
    // Read the input's syntax before anything is written.
    source::format_of(&args.input, read.format)?;
    let to = match rdf_format(args.to.or(args.format))? {
        Some(to) => to,
        None => output_format(&args.output)?,
    };
    let started = std::time::Instant::now();
    let quads = if args.output.as_os_str() == "-" {
        source::convert::convert(&args.input, &read, to, out)?
    } else {
        let mut quads = 0;
        aikg::output::write_atomically(&args.output, |file| {
            quads = source::convert::convert(&args.input, &read, to, file)?;
            Ok(())
        })?;
        quads
    };
    eprintln!(
        "converted {quads} quads from {} to {} in {:.2}s",
        source::input::display_name(&args.input),
        args.output.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn output_format(path: &Path) -> Result<SourceFormat> {
    if path.as_os_str() != "-" {
        if let Some(format) = SourceFormat::from_path(path) {
            return Ok(format);
        }
    }
    Err(Error::usage(
        format!(
            "{}: cannot tell the output's RDF syntax from its name",
            path.display()
        ),
        format!("name it with --to (one of: {})", SourceFormat::NAMES),
    ))
}
