//! `aikg query`: SPARQL text, a .rq file, stdin or a named query.

use super::{stdout_error, Global};
use aikg::error::{Error, Result};
use aikg::named_query;
use aikg::query::{self, OutputFormat};
use aikg::store::Sources;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct QueryArgs {
    /// SPARQL text, a .rq file, the name of a named query, or - (stdin).
    query: Option<String>,
    /// Output format: table, csv, tsv, json, xml (SELECT/ASK); ttl, nt, jsonld (CONSTRUCT/DESCRIBE).
    /// Default: table on a terminal, else tsv (or ttl for graphs).
    #[arg(long, short)]
    format: Option<String>,
    /// Bind a named query's parameter: --param name=value (repeatable).
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// List the named queries and their parameters.
    #[arg(long)]
    list: bool,
    /// Query this persistent store instead of the bundled data.
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
    /// Allow SERVICE calls to this endpoint (repeatable; Wikidata's is allowed by default,
    /// AIKG_ALLOW_SERVICE adds more, AIKG_SERVICE_TIMEOUT sets the timeout in seconds).
    #[arg(long = "allow-service", value_name = "URL")]
    allow_service: Vec<String>,
    /// Cancel the query after this many seconds (exit 2); default: no limit.
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<f64>,
    /// Write at most N rows (or triples); a note on stderr says when the
    /// query has more.
    #[arg(long, value_name = "N")]
    limit: Option<u64>,
    /// Write the results to this file (whole or not at all), in the format
    /// its extension names (.csv .tsv .json .xml .ttl .nt .jsonld .rdf .trig
    /// .nq .txt) unless --format says otherwise.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Tables as wide as their cells: without it, a table on a terminal
    /// (or COLUMNS wide) has its long cells cut with an ellipsis to fit.
    #[arg(long)]
    wide: bool,
}

pub fn run(global: &Global, args: QueryArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let mut sources = global.sources()?;
    if global.data().is_some_and(is_plain_folder) {
        // Someone's own data: the query sees its triples only, as with
        // oxigraph or riot, not the bundled ontology that `Sources` adds
        // for the checks (the named queries stay available).
        sources.ontology.clear();
    }
    if args.list {
        list_queries(&sources, out)?;
    } else {
        let options = query::EvalOptions {
            services: aikg::federation::ServiceOptions::from_env(&args.allow_service),
            dataset: None,
            limits: query::Limits {
                timeout: args.timeout.map(seconds).transpose()?,
                max_rows: args.limit,
                stop_at_max: true,
            },
            ..query::EvalOptions::default()
        };
        let store_dir = args.store.as_deref();
        let fit = !args.wide && args.output.is_none();
        query::set_table_width(if fit {
            aikg::terminal::stdout_width()
        } else {
            None
        });
        let format = match (args.format, &args.output) {
            (None, Some(path)) => Some(format_of_output(path)?),
            (format, _) => format,
        };
        let run = |out: &mut dyn Write| {
            run_query(
                &|| super::remote::open_with(global, store_dir, &sources),
                &sources,
                args.query,
                format,
                &args.params,
                &options,
                out,
            )
        };
        match &args.output {
            Some(path) => aikg::output::write_atomically(path, run)?,
            None => run(out)?,
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn list_queries(sources: &Sources, out: &mut dyn Write) -> Result<()> {
    for q in named_query::all(&sources.queries)? {
        writeln!(out, "{}\n    {}", q.name, q.title).map_err(stdout_error)?;
        if !q.description.is_empty() {
            writeln!(out, "    {}", q.description).map_err(stdout_error)?;
        }
        for p in &q.params {
            writeln!(
                out,
                "    --param {}=<{:?}>{}{}",
                p.name,
                p.kind,
                if p.optional { " (optional)" } else { "" },
                if p.description.is_empty() {
                    String::new()
                } else {
                    format!("  {}", p.description)
                }
            )
            .map_err(stdout_error)?;
        }
    }
    Ok(())
}

/// A `--data` folder of RDF files rather than a working copy of aikg's
/// repository (with data/ or ontology/), as [`Sources::from_dir`] tells them.
fn is_plain_folder(dir: &Path) -> bool {
    !(dir.join("data").is_dir() || dir.join("ontology").is_dir())
}

/// What the positional QUERY argument designates.
enum QuerySource {
    Text { text: String, origin: String },
    Named(String),
}

fn query_source(arg: Option<String>) -> Result<QuerySource> {
    let read_stdin = || {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        Ok(QuerySource::Text {
            text,
            origin: "<stdin>".into(),
        })
    };
    match arg {
        None if !std::io::stdin().is_terminal() => read_stdin(),
        None => Err(Error::usage(
            "no query given",
            "give SPARQL text, a .rq file, a named query (`aikg query --list`), or pipe the query on stdin",
        )),
        Some(arg) if arg == "-" => read_stdin(),
        Some(arg) if looks_like_a_path(&arg) => {
            let text = read_argument_file(
                &arg,
                "give the path of a query file, SPARQL text (quoted), or a named query (`aikg query --list`)",
            )?;
            Ok(QuerySource::Text { text, origin: arg })
        }
        Some(arg) if arg.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') => {
            Ok(QuerySource::Named(arg))
        }
        Some(text) => Ok(QuerySource::Text {
            text,
            origin: "<argument>".into(),
        }),
    }
}

/// A file that exists, or a word that can only be a path: a `.rq` file, or
/// no spaces nor braces (which every query has) and a directory separator
/// or an extension. Never parsed as SPARQL: a typo in a path is "no such
/// file", not a syntax error.
pub(super) fn looks_like_a_path(arg: &str) -> bool {
    let path = Path::new(arg);
    arg.ends_with(".rq")
        || path.is_file()
        || (!arg.contains(|c: char| c.is_whitespace() || c == '{' || c == '}')
            && (arg.contains(['/', '\\']) || path.extension().is_some()))
}

/// The UTF-8 text of the file an argument names; a missing file is "no
/// such file" with `hint`.
pub(super) fn read_argument_file(arg: &str, hint: &str) -> Result<String> {
    let bytes = std::fs::read(arg).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::usage(format!("{arg}: no such file"), hint)
        } else {
            Error::io(arg, e)
        }
    })?;
    String::from_utf8(bytes)
        .map_err(|_| Error::usage(format!("{arg}: not UTF-8"), "save the file as UTF-8"))
}

fn run_query(
    open: &dyn Fn() -> Result<Box<dyn aikg::kg::Kg>>,
    sources: &Sources,
    arg: Option<String>,
    format: Option<String>,
    params: &[String],
    options: &query::EvalOptions,
    out: &mut dyn Write,
) -> Result<()> {
    let format = match format {
        Some(name) => Some(OutputFormat::from_name(&name).ok_or_else(|| {
            Error::usage(
                format!("unknown output format {name:?}"),
                format!("use one of: {}", OutputFormat::NAMES),
            )
        })?),
        None => None,
    };
    let params = params
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.to_string()))
                .ok_or_else(|| {
                    Error::usage(
                        format!("--param {p:?}: expected NAME=VALUE"),
                        "e.g. --param place=Daejeon",
                    )
                })
        })
        .collect::<Result<Vec<_>>>()?;
    let source = query_source(arg)?;
    // Find a named query before opening the store, so a typo fails fast.
    let named = match &source {
        QuerySource::Named(name) => Some(named_query::find(&sources.queries, name)?),
        QuerySource::Text { .. } => None,
    };
    let store = open()?;
    // `--reasoning none` leaves a local store's inferred triples out of the
    // answer (a remote store is read as it is).
    let options = &match store.as_store() {
        Some(local) => query::EvalOptions {
            stated_only: !aikg::reason::open_view(local, sources.reasoning)?.includes_inferred(),
            ..options.clone()
        },
        None => options.clone(),
    };
    let (query, bindings) = match (named, source) {
        (Some(named), _) => named.bind(&*store, &params)?,
        (None, QuerySource::Text { text, origin }) => {
            let query = query::Query::parse(&text, &origin)?;
            let bindings = text_query_bindings(&query, &params)?;
            (query, bindings)
        }
        (None, QuerySource::Named(_)) => unreachable!("named queries are found above"),
    };
    let format = format.unwrap_or(if std::io::stdout().is_terminal() {
        OutputFormat::Table
    } else if query.returns_graph() {
        OutputFormat::Turtle
    } else {
        OutputFormat::Tsv
    });
    let Some(local) = store.as_store() else {
        return write_remote_answer(&*store, &query, &bindings, options, format, out);
    };
    let stream = query::evaluate_stream(local, &query, &bindings, options)?;
    let mut writer = query::ResultWriter::new(stream, &query, format, out, true)?;
    // On an error (the timeout) the output is left unfinished, so that
    // nothing takes it for whole.
    while writer.write_some(1024)? == query::Progress::More {}
    if writer.truncated {
        aikg::terminal::note(&format!(
            "stopped at --limit {}: the query has more rows",
            writer.written()
        ));
    }
    if !writer.sorted && !query.is_ordered() {
        aikg::terminal::note(&format!(
            "more than {} rows: written in the store's order, not sorted (add ORDER BY for a fixed order)",
            query::SORT_BOUND
        ));
    }
    Ok(())
}

/// A remote store's answer, whole (the endpoint sends it whole), written
/// under the same `--limit`; `--timeout` is the local evaluator's, refused
/// here (`--endpoint-timeout` bounds the wait for the store).
fn write_remote_answer(
    store: &dyn aikg::kg::Kg,
    query: &query::Query,
    bindings: &[(oxigraph::sparql::Variable, oxigraph::model::Term)],
    options: &query::EvalOptions,
    format: OutputFormat,
    out: &mut dyn Write,
) -> Result<()> {
    if options.limits.timeout.is_some() {
        return Err(Error::usage(
            "--timeout with --endpoint: the remote store evaluates the query, aikg cannot cancel it there",
            "use --endpoint-timeout SECONDS to bound the wait for the store",
        ));
    }
    let mut answer = store.evaluate(query, bindings, options)?;
    let written = match &mut answer {
        query::Answer::Solutions { rows, .. } => cut(rows, options.limits.max_rows),
        query::Answer::Graph(triples) => cut(triples, options.limits.max_rows),
        query::Answer::Boolean(_) => None,
    };
    query::write_answer(&answer, format, out)?;
    if let Some(written) = written {
        eprintln!("note: stopped at --limit {written}: the query has more rows");
    }
    Ok(())
}

/// Keeps the first `max` items; Some(max) if there were more.
fn cut<T>(items: &mut Vec<T>, max: Option<u64>) -> Option<u64> {
    let max = max?;
    let keep = usize::try_from(max).unwrap_or(usize::MAX);
    (items.len() > keep).then(|| {
        items.truncate(keep);
        max
    })
}

/// The format `-o FILE` names by its extension (as `--format` would).
fn format_of_output(path: &Path) -> Result<String> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let name = if extension == "txt" {
        "table"
    } else {
        extension.as_str()
    };
    match OutputFormat::from_name(name) {
        Some(_) => Ok(name.to_string()),
        None => Err(Error::usage(
            format!("-o {}: the extension names no result format", path.display()),
            format!("name the file .csv .tsv .json .xml .ttl .nt .jsonld .rdf .trig .nq or .txt, or give --format ({})", OutputFormat::NAMES),
        )),
    }
}

/// `--timeout SECONDS` as a duration.
pub(super) fn seconds(value: f64) -> Result<std::time::Duration> {
    std::time::Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            Error::usage(
                format!("--timeout {value}: not a positive number of seconds"),
                "e.g. --timeout 30 or --timeout 0.5",
            )
        })
}

/// `--param` on a query given as text: each value an RDF term in N-Triples
/// syntax, bound to the query's variable of that name.
fn text_query_bindings(
    query: &query::Query,
    params: &[(String, String)],
) -> Result<Vec<(oxigraph::model::Variable, oxigraph::model::Term)>> {
    let mut bindings = Vec::new();
    for (name, value) in params {
        if !query.mentions_variable(name) {
            return Err(Error::usage(
                format!("--param {name}: the query has no variable ?{name}"),
                "parameters bind the query's variables by name",
            ));
        }
        let term = value.parse::<oxigraph::model::Term>().map_err(|e| {
            Error::usage(
                format!("--param {name}={value:?}: not an RDF term ({e})"),
                "give the value in N-Triples syntax, e.g. <https://w3id.org/aikg/id/ETRI>, \"text\"@fr or \"2024\"^^<http://www.w3.org/2001/XMLSchema#gYear>; named queries accept plain values",
            )
        })?;
        bindings.push((oxigraph::model::Variable::new_unchecked(name.clone()), term));
    }
    Ok(bindings)
}
