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
    #[arg(required_unless_present = "batch")]
    text: Option<String>,
    /// Search every line of FILE (- for stdin) instead of TEXT, with one
    /// index opened once: each hit is printed after its text (tsv, json).
    /// With AIKG_TIMINGS set, the time of each search is summed up on
    /// stderr (p50, p99).
    #[arg(long, value_name = "FILE", conflicts_with = "text")]
    batch: Option<PathBuf>,
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
    if let Some(batch) = &args.batch {
        if format == Format::Table {
            return Err(Error::usage(
                "--batch prints tsv or json",
                "add --format tsv or --format json",
            ));
        }
        return run_batch(&index, batch, &options, format, out);
    }
    let text = args.text.as_deref().unwrap_or_default();
    let result = index.search(text, &options)?;
    for note in &result.notes {
        eprintln!("note: {note}");
    }
    let written = match format {
        Format::Json => return write_json(&result, out).map(|_| ExitCode::SUCCESS),
        Format::Tsv => write_tsv(&result.hits, out),
        Format::Table => write_table(&result.hits, out),
    };
    if written.is_ok() && result.hits.is_empty() && format == Format::Table {
        eprintln!(
            "no entity matches {text:?}{}",
            if args.class.is_some() || args.lang.is_some() {
                " with these --class/--lang"
            } else {
                ""
            }
        );
    }
    finish(written)
}

/// `--batch`: every line of a file searched with the same index.
fn run_batch(
    index: &search::SearchIndex,
    path: &std::path::Path,
    options: &SearchOptions,
    format: Format,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        text
    } else {
        std::fs::read_to_string(path).map_err(|e| Error::io(path.display(), e))?
    };
    let mut timings = Vec::new();
    let mut results = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let started = std::time::Instant::now();
        let result = index.search(line, options).map_err(|e| {
            Error::usage(
                format!("{}:{}: {e}", path.display(), number + 1),
                "every line is one text to search for",
            )
        })?;
        timings.push(started.elapsed());
        results.push((line, result));
    }
    if std::env::var_os("AIKG_TIMINGS").is_some() && !timings.is_empty() {
        let mut sorted = timings.clone();
        sorted.sort();
        let at =
            |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3;
        eprintln!(
            "timing: search {} texts: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            sorted.len(),
            at(0.5),
            at(0.99),
            at(1.0)
        );
        // The slowest texts, to see what the tail is made of.
        let mut slowest: Vec<(std::time::Duration, &str)> = timings
            .iter()
            .zip(&results)
            .map(|(t, (line, _))| (*t, *line))
            .collect();
        slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
        for (took, line) in slowest.iter().take(10) {
            eprintln!(
                "timing: slow text {:>8.3} ms {}",
                took.as_secs_f64() * 1e3,
                aikg::source::printable(line)
            );
        }
    }
    if format == Format::Json {
        let list: Vec<serde_json::Value> = results
            .iter()
            .map(|(text, r)| serde_json::json!({ "text": text, "hits": r.hits, "notes": r.notes }))
            .collect();
        return write_json(&list, out).map(|_| ExitCode::SUCCESS);
    }
    finish(write_batch_tsv(&results, out))
}

/// A closed pipe (`| head`) is not an error.
fn finish(written: std::io::Result<()>) -> Result<ExitCode> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(stdout_error(e)),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}

fn write_batch_tsv(
    results: &[(&str, search::SearchResult)],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "text\t{}", HEADER.join("\t"))?;
    for (text, result) in results {
        for hit in &result.hits {
            let cells = columns(hit).map(|c| c.replace(['\t', '\n', '\r'], " "));
            writeln!(out, "{}\t{}", text.replace('\t', " "), cells.join("\t"))?;
        }
    }
    Ok(())
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
