//! `aikg serve`: the graph as a SPARQL 1.1 endpoint (see `aikg::serve`).

use super::Global;
use aikg::error::{Error, Result};
use aikg::serve::{self, limits::Limits, Config, Graph};
use aikg::store::Sources;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Serve this persistent store (default: the bundled graph, or --data, in memory).
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
    /// Address to listen on (loopback by default; put a reverse proxy in front
    /// to serve other machines).
    #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR")]
    bind: SocketAddr,
    /// Cancel a query after this many seconds (HTTP 503).
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    timeout: f64,
    /// Refuse answers of more than N rows or triples (HTTP 400, or a cut
    /// stream past the first 100 000 rows); default: no cap.
    #[arg(long, value_name = "N")]
    max_results: Option<u64>,
    /// Evaluations that run at once (default: 2 per core).
    #[arg(long, value_name = "N")]
    max_concurrent: Option<usize>,
    /// Requests that may wait for an evaluation; beyond, HTTP 503 with Retry-After.
    #[arg(long, default_value_t = 128, value_name = "N")]
    queue: usize,
    /// Largest request body in bytes (HTTP 413 beyond).
    #[arg(long, default_value_t = 64 << 20, value_name = "BYTES")]
    max_body: usize,
    /// Longest query string in bytes (HTTP 414 beyond).
    #[arg(long, default_value_t = 64 << 10, value_name = "BYTES")]
    max_query_string: usize,
    /// Open connections at most (a thread each).
    #[arg(long, default_value_t = 512, value_name = "N")]
    max_connections: usize,
    /// Drop a client that sends or reads nothing for this many seconds.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    io_timeout: f64,
    /// Memory for answers kept until the next write, in MiB (0: no cache).
    #[arg(long, default_value_t = 64, value_name = "MIB")]
    cache_mib: usize,
    /// Accept writes (/store PUT, POST, DELETE and /update) from clients
    /// sending `Authorization: Bearer TOKEN`, TOKEN the content of this file.
    #[arg(long, value_name = "FILE")]
    update_token_file: Option<PathBuf>,
    /// With --store: check writes against these SHACL shapes first (repeatable).
    #[arg(long, value_name = "S.ttl", requires = "store")]
    shapes: Vec<PathBuf>,
    /// With --shapes: an ontology the validation sees (repeatable).
    #[arg(long, value_name = "O.ttl", requires = "shapes")]
    ontology: Vec<PathBuf>,
    /// Allow SERVICE calls to this endpoint (repeatable; see `aikg query --help`).
    #[arg(long = "allow-service", value_name = "URL")]
    allow_service: Vec<String>,
    /// No request log on stderr.
    #[arg(long)]
    quiet: bool,
    /// Where the source documents' texts are, for the pages /sources/DOC
    /// (default: ../shared/seeds from the current directory, else beside
    /// the repository aikg was built from, if it is there).
    #[arg(long, value_name = "DIR")]
    documents: Option<PathBuf>,
}

pub fn run(global: &Global, args: ServeArgs) -> Result<ExitCode> {
    let sources = Sources::open(global.data())?;
    let seconds = |flag: &str, value: f64| {
        Duration::try_from_secs_f64(value)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                Error::usage(
                    format!("--{flag} {value}: not a positive number of seconds"),
                    format!("e.g. --{flag} 30"),
                )
            })
    };
    let update_token = match &args.update_token_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path.display(), e))?;
            let token = text.trim().to_string();
            if token.len() < 16 || token.chars().any(char::is_whitespace) {
                return Err(Error::usage(
                    format!(
                        "{}: the update token must be one word of at least 16 characters",
                        path.display()
                    ),
                    "e.g. `head -c 32 /dev/urandom | base64 > token` (and keep the file private)",
                ));
            }
            Some(token)
        }
        None => None,
    };
    let graph = match args.store {
        Some(dir) => Graph::Store {
            dir,
            shapes: args.shapes,
            ontology: args.ontology,
            queries: sources.queries,
        },
        None => Graph::Sources(sources),
    };
    let config = Config {
        bind: args.bind,
        timeout: seconds("timeout", args.timeout)?,
        max_results: args.max_results,
        limits: Limits {
            max_concurrent: args.max_concurrent.unwrap_or(2 * aikg::cores()),
            queue: args.queue,
            max_body: args.max_body,
            max_query_string: args.max_query_string,
        },
        cache_bytes: args.cache_mib << 20,
        io_timeout: seconds("io-timeout", args.io_timeout)?,
        max_connections: args.max_connections,
        services: aikg::federation::ServiceOptions::from_env(&args.allow_service),
        update_token,
        quiet: args.quiet,
        documents: match args.documents {
            Some(dir) if !dir.is_dir() => {
                return Err(Error::usage(
                    format!("--documents {}: not a directory", dir.display()),
                    "give the directory of the source documents' text files",
                ))
            }
            Some(dir) => Some(dir),
            // The project's layout seen from where aikg runs (a checkout
            // with ../shared beside it), then from where it was built: a
            // binary built in one checkout and run from another (a shared
            // target directory) still finds the documents beside it.
            None => [
                PathBuf::from("../shared/seeds"),
                PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds")),
            ]
            .into_iter()
            .find(|dir| dir.is_dir()),
        },
    };
    let bind = config.bind;
    let writable = config.update_token.is_some();
    let running = serve::start(graph, config)?;
    eprintln!(
        "aikg serve: http://{bind}/sparql ({}); stop with Ctrl-C or SIGTERM",
        if writable {
            "writes with the update token"
        } else {
            "read-only"
        }
    );
    running.wait_for_signal();
    Ok(ExitCode::SUCCESS)
}
