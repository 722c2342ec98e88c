//! Where a reading command reads (`--endpoint` or the local store), and
//! `aikg push`: the graph into a remote store.

use super::{stdout_error, Global};
use aikg::error::{Error, Result};
use aikg::kg::Kg;
use aikg::remote::push::{self, Plan, PushOptions};
use aikg::remote::{self, Remote, RemoteOptions};
use aikg::store::{self, Sources};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The options that reach a remote store, if `--endpoint` is given.
pub fn remote_options(global: &Global) -> Result<Option<RemoteOptions>> {
    let Some(endpoint) = &global.endpoint else {
        for (given, name) in [
            (global.update_endpoint.is_some(), "--update-endpoint"),
            (global.graph_store.is_some(), "--graph-store"),
            (global.default_graph.is_some(), "--default-graph"),
        ] {
            if given {
                return Err(Error::usage(
                    format!("{name} without --endpoint"),
                    "give the store's SPARQL endpoint with --endpoint URL",
                ));
            }
        }
        return Ok(None);
    };
    if global.update_endpoint.is_some() {
        // Reading needs only the query endpoint, and push writes through the
        // Graph Store Protocol: an update endpoint would be ignored.
        return Err(Error::usage(
            "--update-endpoint: aikg does not write through SPARQL 1.1 Update (it reads through --endpoint and pushes through the Graph Store Protocol)",
            "leave --update-endpoint out; to push, give the store's Graph Store Protocol endpoint with --graph-store URL",
        ));
    }
    let mut options = RemoteOptions::new(remote::parse_url("--endpoint", endpoint)?);
    options.graph_store = global
        .graph_store
        .as_deref()
        .map(|u| remote::parse_url("--graph-store", u))
        .transpose()?;
    options.default_graph = super::graph_iri(global.default_graph.clone())?;
    options.credentials = remote::auth::Credentials::find(global.auth_file.as_deref())?;
    if let Some(seconds) = global.endpoint_timeout {
        if !(seconds > 0.0 && seconds.is_finite()) {
            return Err(Error::usage(
                format!("--endpoint-timeout {seconds}: not a positive number of seconds"),
                "e.g. --endpoint-timeout 120",
            ));
        }
        options.patience.timeout = std::time::Duration::from_secs_f64(seconds);
    }
    Ok(Some(options))
}

/// The graph a reading command reads: the remote store of `--endpoint`,
/// else the local `--store DIR`, else the bundled (or `--data`) graph.
pub fn open(global: &Global, store_dir: Option<&Path>) -> Result<Box<dyn Kg>> {
    open_with(global, store_dir, &global.sources()?)
}

/// [`open`], with the local graph made from `sources` (`aikg query` leaves
/// the bundled ontology out of a plain folder of someone's own data).
pub fn open_with(
    global: &Global,
    store_dir: Option<&Path>,
    sources: &aikg::store::Sources,
) -> Result<Box<dyn Kg>> {
    match remote_options(global)? {
        Some(options) => {
            if let Some(dir) = store_dir {
                return Err(Error::usage(
                    format!(
                        "--store {} and --endpoint both say where the graph is",
                        dir.display()
                    ),
                    "give one of them",
                ));
            }
            if let Some(rules) = &global.reasoning {
                return Err(Error::usage(
                    format!("--reasoning {rules} with --endpoint: aikg reasons over a local store only, a remote store is read as it is"),
                    "leave --reasoning out, or load the data into a local store (`aikg load --reasoning RULES`)",
                ));
            }
            Ok(Box::new(Remote::new(options)))
        }
        None => {
            let store = store::open(store_dir, sources)?;
            Ok(match store_dir {
                Some(dir) => Box::new(aikg::kg::StoreDir {
                    store,
                    dir: dir.to_path_buf(),
                }),
                None => Box::new(store),
            })
        }
    }
}

/// With `--endpoint`, the store's data (the ontology's graph left out),
/// read page by page, as the validator takes it.
pub fn store_data(global: &Global) -> Result<Option<aikg::check::ParsedFile>> {
    let Some(options) = remote_options(global)? else {
        return Ok(None);
    };
    let remote = Remote::new(options);
    let quads = aikg::kg::all_quads(&remote, aikg::kg::Scope::Data)?;
    Ok(Some(aikg::check::store_data(
        remote.endpoint().url.as_str(),
        quads,
    )))
}

#[derive(clap::Args)]
pub struct PushArgs {
    /// RDF files to push (default: the bundled graph, or --data DIR).
    files: Vec<PathBuf>,
    /// Validate FILES against these SHACL shapes (default: aikg's
    /// ontology/shapes.ttl, which only constrains aikg's own classes).
    #[arg(long, value_name = "S.ttl")]
    shapes: Vec<PathBuf>,
    /// Push even if validation finds violations (the report is printed).
    #[arg(long)]
    force: bool,
    /// Drop the named graphs the previous push sent that this one does not.
    #[arg(long)]
    replace: bool,
    /// Triples per request for the large graphs (the merge, the names).
    #[arg(long, default_value_t = 50_000, value_name = "N")]
    batch: usize,
    /// Format of every FILE: ttl, trig, nt, nq, rdf, jsonld (default: by extension).
    #[arg(long, short)]
    format: Option<String>,
}

pub fn push(global: &Global, args: PushArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let Some(options) = remote_options(global)? else {
        return Err(Error::usage(
            "aikg push needs the store: --endpoint URL (its SPARQL endpoint) and --graph-store URL (its Graph Store Protocol endpoint)",
            "e.g. aikg push --endpoint http://localhost:8890/sparql --graph-store http://localhost:8890/sparql-graph-crud",
        ));
    };
    if options.graph_store.is_none() {
        return Err(Error::usage(
            "aikg push needs the store's Graph Store Protocol endpoint",
            "give it with --graph-store URL (Virtuoso: http://HOST:8890/sparql-graph-crud, or /sparql-graph-crud-auth with credentials; Fuseki: http://HOST:3030/DATASET/data; GraphDB: http://HOST:7200/repositories/ID/rdf-graphs/service)",
        ));
    }
    let format = super::rdf_format(args.format.clone())?;
    let started = std::time::Instant::now();
    // Validate first: nothing is sent if the data has violations.
    let (outcome, quads) = if args.files.is_empty() {
        let sources = Sources::open(global.data())?;
        let outcome = aikg::check::check(&sources)?;
        let quads = sources.read_quads()?;
        (
            outcome,
            quads.into_iter().map(|q| q.quad).collect::<Vec<_>>(),
        )
    } else {
        let outcome = validate_files(&args.files, &args.shapes, format)?;
        let mut quads = Vec::new();
        for path in &args.files {
            quads.extend(
                aikg::source::read_file(path, format)?
                    .into_iter()
                    .map(|q| q.quad),
            );
        }
        (outcome, quads)
    };
    aikg::timing("validate", started);
    if outcome.has_violations() {
        outcome.write(aikg::check::ReportFormat::Text, out)?;
        out.flush().map_err(stdout_error)?;
        if !args.force {
            eprintln!("error: the data has violations: nothing was sent, the store is unchanged\n  hint: fix the data, or push anyway with --force");
            return Ok(ExitCode::from(1));
        }
        eprintln!("warning: pushing despite the violations (--force)");
    }
    let plan = Plan::new(quads);
    aikg::timing("plan", started);
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {elapsed_precise} [{bar:30}] {pos}/{len} triples sent",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar
    });
    let push_options = PushOptions {
        replace: args.replace,
        batch: args.batch.max(1),
        progress: bar.clone().map(|bar| {
            std::sync::Arc::new(move |sent: u64, total: u64| {
                bar.set_length(total);
                bar.set_position(sent);
            }) as std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>
        }),
    };
    let remote = Remote::new(options);
    let result = push::push(&remote, &plan, &push_options);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = result?;
    aikg::timing("push", started);
    let kept = if report.kept_unlisted.is_empty() {
        String::new()
    } else {
        format!(
            "\n  {} graph{} of the previous push not in this one stay in the store, outside the aikg dataset (--replace drops them)",
            report.kept_unlisted.len(),
            if report.kept_unlisted.len() == 1 { "" } else { "s" }
        )
    };
    eprintln!(
        "pushed {} named graph{} ({} unchanged, not sent), {} triples sent in {:.2}s; the merge <{}> holds {} triples{}{kept}",
        report.sent.len(),
        if report.sent.len() == 1 { "" } else { "s" },
        report.unchanged,
        report.triples_sent,
        started.elapsed().as_secs_f64(),
        report.merged,
        report.merged_triples,
        if report.dropped.is_empty() {
            String::new()
        } else {
            format!("; dropped {} graph(s) of the previous push", report.dropped.len())
        },
    );
    Ok(ExitCode::SUCCESS)
}

/// SHACL validation of the files to push: against `shapes`, or the
/// bundled shapes and ontology.
fn validate_files(
    files: &[PathBuf],
    shapes: &[PathBuf],
    format: Option<aikg::source::SourceFormat>,
) -> Result<aikg::check::Outcome> {
    let read = aikg::source::ReadOptions {
        format,
        base: None,
        allow_empty: true,
    };
    if !shapes.is_empty() {
        return Ok(aikg::check::validate(shapes, &[], files, &read)?.0);
    }
    // The bundled shapes and ontology, as files the validator reads.
    let dir = std::env::temp_dir().join(format!("aikg-push-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display(), e))?;
    let result = (|| {
        let mut shapes = Vec::new();
        let mut ontology = Vec::new();
        for file in Sources::bundled().ontology {
            let name = Path::new(&*file.path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "ontology.ttl".into());
            let path = dir.join(&name);
            std::fs::write(&path, &file.bytes).map_err(|e| Error::io(path.display(), e))?;
            if name.contains("shapes") {
                shapes.push(path);
            } else {
                ontology.push(path);
            }
        }
        Ok::<_, Error>(aikg::check::validate(&shapes, &ontology, files, &read)?.0)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
