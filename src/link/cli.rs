//! The command-line side of `aikg link`, `aikg import` and `aikg dump`:
//! arguments checked, files written.

use super::command::{self, LinkRequest, Target};
use super::scoring::LinkOptions;
use crate::dump::{self, DumpFormat, DumpOptions};
use crate::error::{Error, Result};
use crate::kg::Kg;
use crate::source::SourceFormat;
use oxigraph::model::NamedNode;
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct LinkArgs {
    pub target: String,
    pub file: PathBuf,
    pub columns: Option<String>,
    pub min_score: f64,
    pub class: Vec<String>,
    pub countries: Option<PathBuf>,
    pub output: Option<PathBuf>,
    pub wikidata: Option<PathBuf>,
    pub review: Option<PathBuf>,
    pub graph: Option<String>,
    pub date: Option<String>,
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    crate::output::write_atomically(path, |file| {
        file.write_all(text.as_bytes())
            .map_err(|e| Error::io(path.display(), e))
    })
}

fn valid_date(date: &str) -> bool {
    let b = date.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && date
            .chars()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(date[5..7].parse::<u8>(), Ok(1..=12))
        && matches!(date[8..10].parse::<u8>(), Ok(1..=31))
}

pub fn link(store: &dyn Kg, args: LinkArgs, out: &mut dyn Write) -> Result<()> {
    let target = Target::from_name(&args.target).ok_or_else(|| {
        Error::usage(
            format!("--target {:?}: unknown dataset kind", args.target),
            format!("use one of: {}", Target::NAMES),
        )
    })?;
    if !(0.0..=1.0).contains(&args.min_score) {
        return Err(Error::usage(
            format!("--min-score {}: not between 0 and 1", args.min_score),
            "e.g. --min-score 0.8",
        ));
    }
    let date = args.date.unwrap_or_else(super::today);
    if !valid_date(&date) {
        return Err(Error::usage(
            format!("--date {date:?}: not a date"),
            "write it YYYY-MM-DD",
        ));
    }
    let graph = args.graph.unwrap_or_else(|| {
        format!(
            "https://w3id.org/aikg/links/{}",
            match target {
                Target::Ror => "ror",
                Target::Geonames | Target::Countries => "geonames",
                Target::Rdf => "rdf",
            }
        )
    });
    NamedNode::new(&graph).map_err(|e| {
        Error::usage(
            format!("--graph {graph:?}: not an IRI ({e})"),
            "give an absolute IRI",
        )
    })?;
    let country_names = match &args.countries {
        Some(path) => command::country_names(path)?,
        None => Vec::new(),
    };
    let classes = args
        .class
        .iter()
        .map(|c| {
            c.trim()
                .trim_start_matches("aikg:")
                .trim_start_matches(crate::namespaces::AIKG)
                .to_string()
        })
        .filter(|c| !c.is_empty())
        .collect();
    let mut command_line = format!("aikg link --target {} {}", args.target, args.file.display());
    if let Some(c) = &args.columns {
        command_line.push_str(&format!(" --columns {c}"));
    }
    if let Some(c) = &args.countries {
        command_line.push_str(&format!(" --countries {}", c.display()));
    }
    command_line.push_str(&format!(" --min-score {}", args.min_score));
    let request = LinkRequest {
        target,
        file: args.file,
        columns: args.columns,
        countries: args.countries.clone(),
        options: LinkOptions {
            min_score: args.min_score,
            classes,
            country_names,
            ..LinkOptions::default()
        },
        graph,
        date,
        command: command_line,
    };
    let started = std::time::Instant::now();
    let report = command::run(store, &request)?;
    let io = |e: std::io::Error| Error::io("<stdout>", e);
    match &args.output {
        Some(path) => write_file(path, &report.linkset)?,
        None => out.write_all(report.linkset.as_bytes()).map_err(io)?,
    }
    if let Some(path) = &args.wikidata {
        write_file(path, &report.wikidata)?;
    }
    if let Some(path) = &args.review {
        write_file(path, &report.review)?;
    }
    let linked = report
        .outcomes
        .iter()
        .filter(|o| o.linked().is_some())
        .count();
    eprintln!(
        "{} entities, {linked} linked, {} no match, against {} records in {:.2}s",
        report.outcomes.len(),
        report.outcomes.len() - linked,
        report.records,
        started.elapsed().as_secs_f64()
    );
    for o in &report.outcomes {
        if o.linked().is_none() {
            eprintln!("  {}: {}", o.entity.short(), o.decision.as_str());
        }
    }
    Ok(())
}

pub fn import(
    store_dir: &Path,
    args: &[String],
    graph: &str,
    columns: Option<&str>,
    format: Option<&str>,
    reasoning: Option<crate::reason::Reasoning>,
) -> Result<()> {
    let graph_node =
        NamedNode::new(graph.trim_start_matches('<').trim_end_matches('>')).map_err(|e| {
            Error::usage(
                format!("--graph {graph:?}: not an IRI ({e})"),
                "give an absolute IRI, e.g. https://w3id.org/aikg/external/geonames",
            )
        })?;
    let started = std::time::Instant::now();
    let (kind, file) = match args {
        [kind, file] => (Some(kind.as_str()), PathBuf::from(file)),
        [file] => (None, PathBuf::from(file)),
        _ => {
            return Err(Error::usage(
                "expected [KIND] FILE",
                "e.g. aikg import geonames cities15000.tsv --graph IRI --store DIR",
            ))
        }
    };
    let len = match kind {
        Some(kind) => {
            let target = match kind {
                "ror" => Target::Ror,
                "geonames" | "tsv" | "csv" => Target::Geonames,
                "countries" => Target::Countries,
                other => {
                    return Err(Error::usage(
                        format!("unknown kind {other:?}"),
                        "use geonames, countries or ror, or give an RDF file alone",
                    ))
                }
            };
            let dataset = command::read_target(target, &file, columns)?;
            let quads = super::import::to_quads(&dataset, &graph_node)?;
            let n = quads.len();
            let (total, inferred) = super::import::load_quads(store_dir, quads, reasoning)?;
            eprintln!(
                "imported {n} quads from {} into <{}> in {:.2}s ({total} quads in the store)",
                file.display(),
                graph_node.as_str(),
                started.elapsed().as_secs_f64()
            );
            if let Some(summary) = inferred {
                eprintln!("{}", summary.one_line());
            }
            return Ok(());
        }
        None => {
            let format = match format {
                Some(name) => Some(SourceFormat::from_name(name).ok_or_else(|| {
                    Error::usage(
                        format!("unknown RDF format {name:?}"),
                        format!("use one of: {}", SourceFormat::NAMES),
                    )
                })?),
                None => None,
            };
            let report = crate::store::load(
                store_dir,
                std::slice::from_ref(&file),
                crate::store::LoadOptions {
                    format,
                    graph: Some(graph_node.clone()),
                    reasoning,
                    ..Default::default()
                },
            )?;
            if let Some(summary) = &report.reasoning {
                eprintln!("{}", summary.one_line());
            }
            report.files.iter().map(|(_, n)| *n).sum::<u64>()
        }
    };
    eprintln!(
        "imported {len} quads from {} into <{}> in {:.2}s",
        file.display(),
        graph_node.as_str(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn dump(
    store: &dyn Kg,
    format: &str,
    output: Option<&Path>,
    license: &str,
    out: &mut dyn Write,
) -> Result<()> {
    let format = DumpFormat::from_name(format).ok_or_else(|| {
        Error::usage(
            format!("--format {format:?}: unknown"),
            format!("use one of: {}", DumpFormat::NAMES),
        )
    })?;
    NamedNode::new(license).map_err(|e| {
        Error::usage(
            format!("--license {license:?}: not an IRI ({e})"),
            "e.g. https://creativecommons.org/licenses/by/4.0/",
        )
    })?;
    let options = DumpOptions {
        format,
        license: license.to_string(),
        title: "aikg: national AI ecosystems and their cooperation".into(),
    };
    let n = match output {
        Some(path) => {
            let mut n = 0;
            crate::output::write_atomically(path, |file| {
                n = dump::dump(store, &options, file)?;
                Ok(())
            })?;
            n
        }
        None => dump::dump(store, &options, out)?,
    };
    if !format.keeps_graphs() {
        eprintln!("note: {n} triples; this format has no named graphs, so the quotes' provenance graphs are merged (use --format trig to keep them)");
    }
    Ok(())
}
