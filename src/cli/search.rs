//! `aikg search`: entities by name, ranked, with why each matched.

use super::{stdout_error, write_json, Global};
use aikg::error::{Error, Result};
use aikg::search::{self, Hit, SearchOptions};
use aikg::store::{self, Sources};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct SearchArgs {
    /// The name, or part of it, in any language or script.
    text: String,
    /// Only entities of this class (or its subclasses): prefixed name, IRI,
    /// name or label (University, aikg:University, université).
    #[arg(long, value_name = "CLASS")]
    class: Option<String>,
    /// Only names in this language (and names without one: acronyms,
    /// IRIs); labels are shown in it.
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
    /// How many entities to list.
    #[arg(long, short = 'n', default_value_t = search::DEFAULT_LIMIT)]
    limit: usize,
    /// table, tsv or json. Default: table on a terminal, else tsv.
    #[arg(long, short)]
    format: Option<String>,
    /// Search this persistent store (its index is built by `aikg load`,
    /// and rebuilt here if the store changed since).
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Table,
    Tsv,
    Json,
}

pub fn run(global: &Global, args: SearchArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let format = match args.format.as_deref() {
        Some("table") => Format::Table,
        Some("tsv") => Format::Tsv,
        Some("json") => Format::Json,
        Some(other) => {
            return Err(Error::usage(
                format!("unknown format {other:?}"),
                "use --format table, tsv or json",
            ))
        }
        None if std::io::stdout().is_terminal() => Format::Table,
        None => Format::Tsv,
    };
    if args.limit == 0 {
        return Err(Error::usage(
            "--limit 0 lists nothing",
            "give --limit 1 or more",
        ));
    }
    let sources = Sources::open(global.data())?;
    let store = store::open(args.store.as_deref(), &sources)?;
    let classes = match &args.class {
        Some(class) => Some(search::class_and_subclasses(&store, class)?),
        None => None,
    };
    let index = search::for_store(&store)?;
    for note in index.notes() {
        eprintln!("note: {note}");
    }
    let options = SearchOptions {
        classes,
        lang: args.lang.clone(),
        limit: args.limit,
    };
    let result = index.search(&args.text, &options)?;
    for note in &result.notes {
        eprintln!("note: {note}");
    }
    let written = match format {
        Format::Json => return write_json(&result, out).map(|_| ExitCode::SUCCESS),
        Format::Tsv => write_tsv(&result.hits, out),
        Format::Table => write_table(&result.hits, out),
    };
    match written {
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(stdout_error(e)),
        Ok(()) => {
            if result.hits.is_empty() && format == Format::Table {
                eprintln!(
                    "no entity matches {:?}{}",
                    args.text,
                    if args.class.is_some() || args.lang.is_some() {
                        " with these --class/--lang"
                    } else {
                        ""
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn columns(hit: &Hit) -> [String; 4] {
    [
        hit.id.clone(),
        hit.label.clone(),
        hit.classes.join(" "),
        hit.why(),
    ]
}

const HEADER: [&str; 4] = ["entity", "label", "class", "matched"];

/// Tab-separated, one hit a line, under a header; tabs and line breaks in
/// values become spaces.
fn write_tsv(hits: &[Hit], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{}", HEADER.join("\t"))?;
    for hit in hits {
        let cells = columns(hit).map(|c| c.replace(['\t', '\n', '\r'], " "));
        writeln!(out, "{}", cells.join("\t"))?;
    }
    Ok(())
}

/// Aligned columns, as `aikg query` prints them.
fn write_table(hits: &[Hit], out: &mut dyn Write) -> std::io::Result<()> {
    let rows: Vec<[String; 4]> = hits
        .iter()
        .map(|h| columns(h).map(|c| c.replace(['\n', '\r'], " ")))
        .collect();
    let mut widths = HEADER.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                text.push_str(" │ ");
            }
            text.push_str(cell);
            if i + 1 < cells.len() {
                text.push_str(&" ".repeat(width - cell.chars().count()));
            }
        }
        text.trim_end().to_string()
    };
    writeln!(out, "{}", line(&HEADER.map(String::from)))?;
    let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    writeln!(out, "{}", rule.join("─┼─"))?;
    for row in &rows {
        writeln!(out, "{}", line(row))?;
    }
    writeln!(
        out,
        "({} entit{})",
        rows.len(),
        if rows.len() == 1 { "y" } else { "ies" }
    )
}
