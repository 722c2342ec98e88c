//! `aikg serve`: the graph as a SPARQL 1.1 endpoint. This module is HTTP,
//! content negotiation and limits only; answers come from the library calls
//! the command line uses ([`crate::query`], [`crate::named_query`],
//! [`crate::check`]).
//!
//! - [`negotiate`]: `Accept` with q-values, `format=`;
//! - [`limits`]: evaluation slots with a queue, request size limits;
//! - [`sparql`]: the SPARQL 1.1 Protocol at /sparql, the named queries at
//!   /queries, and the streamed answer;
//! - [`graph_store`]: the Graph Store Protocol at /store, UPDATE at /update;
//! - [`gate`]: writes checked against the ontology and shapes first;
//! - [`cache`]: complete answers kept until the next write;
//! - [`http`]: parameters, bodies, error answers, CORS, the request log.
//!
//! HTTP is oxhttp's server (as oxigraph's own `serve`): a thread per
//! connection, at most `max_connections`, each socket with read and write
//! timeouts. Every request goes through [`handle`]: the routes are one table
//! ([`ROUTES`]); pages add theirs there and share the negotiation, limits,
//! log and shutdown.

// Handlers return the answer to send as their error: its size is nothing
// next to a request's work.
#![allow(clippy::result_large_err)]

pub mod cache;
pub mod gate;
pub mod graph_store;
pub mod http;
pub mod limits;
pub mod negotiate;
pub mod pages;
pub mod sparql;

use crate::error::{Error, Result};
use crate::federation::ServiceOptions;
use crate::kg::Kg;
use crate::named_query::{self, NamedQuery};
use crate::store::{SourceFile, Sources};
use oxhttp::model::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_MAX_AGE, ALLOW,
    CONNECTION, CONTENT_TYPE,
};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use oxigraph::store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Which graph to serve.
pub enum Graph {
    /// The bundled (or `--data`) sources, in memory; writes are checked by
    /// `aikg check` and last as long as the process.
    Sources(Sources),
    /// A persistent store; writes are checked against `shapes` (with
    /// `ontology`) if given.
    Store {
        dir: PathBuf,
        shapes: Vec<PathBuf>,
        ontology: Vec<PathBuf>,
        queries: Vec<SourceFile>,
    },
}

/// How the server runs (`aikg serve --help` documents each).
pub struct Config {
    pub bind: SocketAddr,
    pub timeout: Duration,
    pub max_results: Option<u64>,
    pub limits: limits::Limits,
    pub cache_bytes: usize,
    /// Socket read and write timeout: a client that sends or reads nothing
    /// for this long is dropped (and so is its evaluation).
    pub io_timeout: Duration,
    pub max_connections: usize,
    pub services: ServiceOptions,
    pub update_token: Option<String>,
    /// No request log.
    pub quiet: bool,
    /// Where the source documents' texts are (for /sources).
    pub documents: Option<PathBuf>,
}

/// What every request handler sees.
pub struct App {
    pub store: Store,
    /// Whether the store keeps aikg's merged graph (the bundled sources).
    pub merged: bool,
    pub named: Vec<NamedQuery>,
    pub query_files: Vec<SourceFile>,
    pub slots: Arc<limits::Slots>,
    pub cache: Arc<cache::Cache>,
    pub limits: limits::Limits,
    pub timeout: Duration,
    pub max_results: Option<u64>,
    pub services: ServiceOptions,
    pub update_token: Option<String>,
    pub gate: Option<gate::Gate>,
    /// Writes one at a time (each is one transaction, checked whole).
    pub write_lock: Mutex<()>,
    /// What the pages keep (labels, the documents' place).
    pub pages: pages::State,
    in_flight: Arc<AtomicUsize>,
    draining: AtomicBool,
    quiet: bool,
}

impl App {
    pub fn writable(&self) -> bool {
        self.update_token.is_some()
    }

    /// The served graph as the library reads it (named-query parameters
    /// resolved through the server's search index).
    pub fn graph(&self) -> Served<'_> {
        Served(self)
    }
}

/// The server's store, read as any [`Kg`], with one difference: names are
/// looked up in the index the server keeps for the graph as it is now
/// (built once per write, [`pages::State::search_index`]), not in one
/// built again for every request that names an entity.
pub struct Served<'a>(&'a App);

impl Kg for Served<'_> {
    fn location(&self) -> String {
        self.0.store.location()
    }

    fn evaluate(
        &self,
        query: &crate::query::Query,
        bindings: &[(oxigraph::model::Variable, oxigraph::model::Term)],
        options: &crate::query::EvalOptions,
    ) -> Result<crate::query::Answer> {
        self.0.store.evaluate(query, bindings, options)
    }

    fn has_ontology_graph(&self) -> Result<bool> {
        self.0.store.has_ontology_graph()
    }

    fn statements(&self, pattern: crate::kg::Pattern<'_>) -> Result<Vec<oxigraph::model::Triple>> {
        self.0.store.statements(pattern)
    }

    fn scan(&self, scope: crate::kg::Scope, each: &crate::kg::PartReader<'_>) -> Result<()> {
        self.0.store.scan(scope, each)
    }

    fn approximate_len(&self) -> Result<usize> {
        self.0.store.approximate_len()
    }

    fn as_store(&self) -> Option<&Store> {
        Some(&self.0.store)
    }

    fn search_index(&self) -> Result<Option<Arc<crate::search::SearchIndex>>> {
        self.0.pages.search_index(self.0).map(Some)
    }
}

type Handler = fn(&App, &mut Request<Body>) -> Response<Body>;

/// A route: a path (or, ending with `/`, a path prefix), its handler, and
/// whether other sites may read it (CORS): reads yes, writes no.
pub struct Route {
    pub path: &'static str,
    pub handler: Handler,
    pub cross_origin_reads: bool,
}

/// Every route of the server, matched in order.
pub const ROUTES: &[Route] = &[
    Route {
        path: "/sparql",
        handler: sparql::endpoint,
        cross_origin_reads: true,
    },
    Route {
        path: "/queries",
        handler: sparql::list_named,
        cross_origin_reads: true,
    },
    Route {
        path: "/queries/",
        handler: sparql::run_named,
        cross_origin_reads: true,
    },
    Route {
        path: "/store",
        handler: graph_store::graph_store,
        cross_origin_reads: true,
    },
    Route {
        path: "/update",
        handler: graph_store::update,
        cross_origin_reads: false,
    },
    // The pages (see [`pages`]).
    Route {
        path: "/",
        handler: pages::home::home,
        cross_origin_reads: true,
    },
    Route {
        path: "/search",
        handler: pages::home::search,
        cross_origin_reads: true,
    },
    Route {
        path: "/api/search",
        handler: pages::home::api_search,
        cross_origin_reads: true,
    },
    Route {
        path: "/id/",
        handler: pages::entity::resource,
        cross_origin_reads: true,
    },
    Route {
        path: "/source/",
        handler: pages::entity::resource,
        cross_origin_reads: true,
    },
    Route {
        path: "/resource",
        handler: pages::entity::resource,
        cross_origin_reads: true,
    },
    Route {
        path: "/query",
        handler: pages::query_page::query,
        cross_origin_reads: true,
    },
    Route {
        path: "/graph",
        handler: pages::explorer::explorer,
        cross_origin_reads: true,
    },
    Route {
        path: "/sources",
        handler: pages::sources::list,
        cross_origin_reads: true,
    },
    Route {
        path: "/sources/",
        handler: pages::sources::document,
        cross_origin_reads: true,
    },
    Route {
        path: "/assets/",
        handler: pages::assets::serve,
        cross_origin_reads: true,
    },
];

/// The routes of the SPARQL endpoint proper: their `lang` parameters are a
/// query's, not the pages' language switch.
fn is_page(route: &Route) -> bool {
    !matches!(
        route.path,
        "/sparql" | "/queries" | "/queries/" | "/store" | "/update" | "/api/search"
    )
}

fn route(path: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| {
        if r.path.len() > 1 && r.path.ends_with('/') {
            path.strip_prefix(r.path)
                .is_some_and(|rest| !rest.is_empty())
        } else {
            path == r.path
        }
    })
}

/// Opens the graph, prepares the gate and starts listening. Returns the
/// running server; [`Running::wait_for_signal`] serves until SIGTERM or
/// Ctrl-C.
pub fn start(graph: Graph, config: Config) -> Result<Running> {
    // Before any thread exists (RocksDB's included), so that the signals
    // reach only the thread that waits for them.
    let signals = block_shutdown_signals();
    let (store, merged, query_files, gate) = match graph {
        Graph::Sources(sources) => {
            // What the ontology implies too (`--reasoning`), as `aikg query`
            // answers: the endpoint and the command line agree.
            let store = crate::store::in_memory_reasoned(&sources)?;
            let gate = match config.update_token {
                Some(_) => Some(gate::Gate::aikg(&sources)?),
                None => None,
            };
            (store, true, sources.queries, gate)
        }
        Graph::Store {
            dir,
            shapes,
            ontology,
            queries,
        } => {
            crate::store::require_store(&dir)?;
            let store = match config.update_token {
                Some(_) => Store::open(&dir)?,
                None => Store::open_read_only(&dir)?,
            };
            let gate = match (&config.update_token, shapes.is_empty()) {
                (Some(_), false) => Some(gate::Gate::shapes(&shapes, &ontology)?),
                _ => None,
            };
            let merged = crate::store::has_merged_graph(&store)?;
            (store, merged, queries, gate)
        }
    };
    if let Some(gate) = &gate {
        let existing = gate.set_baseline(&store)?;
        if existing > 0 {
            eprintln!(
                "note: the store already has {existing} violations; writes that add none are accepted"
            );
        }
    }
    let named = named_query::all(&query_files)?;
    let app = Arc::new(App {
        store,
        merged,
        named,
        query_files,
        slots: limits::Slots::new(config.limits.max_concurrent, config.limits.queue),
        cache: Arc::new(cache::Cache::new(config.cache_bytes)),
        limits: config.limits.clone(),
        timeout: config.timeout,
        max_results: config.max_results,
        services: config.services,
        update_token: config.update_token,
        gate,
        write_lock: Mutex::new(()),
        pages: pages::State::new(config.documents),
        in_flight: Arc::new(AtomicUsize::new(0)),
        draining: AtomicBool::new(false),
        quiet: config.quiet,
    });
    let handler_app = Arc::clone(&app);
    let server = oxhttp::Server::new(move |request| handle(&handler_app, request))
        .bind(config.bind)
        .with_global_timeout(config.io_timeout)
        .with_max_concurrent_connections(config.max_connections)
        .with_server_name(concat!("aikg/", env!("CARGO_PKG_VERSION")))
        .map_err(|e| Error::usage(e.to_string(), ""))?;
    // oxhttp binds in spawn; a port in use fails here, before any request.
    server.spawn().map_err(|e| {
        Error::usage(
            format!("cannot listen on {}: {e}", config.bind),
            "choose another --bind address or port (is another server running there?)",
        )
    })?;
    Ok(Running { app, signals })
}

/// A started server.
pub struct Running {
    pub app: Arc<App>,
    signals: libc::sigset_t,
}

impl Running {
    /// Serves until SIGTERM or SIGINT, then lets the requests in flight
    /// finish (at most the query timeout and a little more) and returns.
    pub fn wait_for_signal(self) {
        let mut signal = 0;
        // SAFETY: `signals` is a set initialised by sigemptyset/sigaddset and
        // blocked in every thread, as sigwait requires.
        unsafe { libc::sigwait(&self.signals, &mut signal) };
        self.app.draining.store(true, Ordering::SeqCst);
        let in_flight = self.app.in_flight.load(Ordering::SeqCst);
        eprintln!("shutting down: {in_flight} requests in flight finish first");
        let deadline = Instant::now() + self.app.timeout + Duration::from_secs(5);
        while self.app.in_flight.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let left = self.app.in_flight.load(Ordering::SeqCst);
        if left > 0 {
            eprintln!("stopped with {left} requests still running after the grace period");
        } else {
            eprintln!("stopped");
        }
    }
}

fn block_shutdown_signals() -> libc::sigset_t {
    // SAFETY: plain libc calls on a zero-initialised sigset_t owned here.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGTERM);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        set
    }
}

/// Every request: limits that apply to all, the route, CORS, and the body
/// wrapper that counts the request in flight and logs it when sent.
fn handle(app: &Arc<App>, request: &mut Request<Body>) -> Response<Body> {
    let started = Instant::now();
    app.in_flight.fetch_add(1, Ordering::SeqCst);
    let uri = request
        .uri()
        .path_and_query()
        .map_or_else(|| request.uri().path().to_string(), ToString::to_string);
    let shown: String = uri.chars().take(300).collect();
    let cut = if shown.len() < uri.len() { "…" } else { "" };
    let line = format!("{} {shown}{cut}", request.method());
    let head = request.method() == Method::HEAD;
    let mut response = respond(app, request);
    if head {
        // The headers of a GET, without its body.
        *response.body_mut() = Body::empty();
    }
    let status = response.status().as_u16();
    let rows = response
        .extensions()
        .get::<http::RowCount>()
        .cloned()
        .unwrap_or_default();
    let failure = response
        .extensions()
        .get::<http::Failure>()
        .cloned()
        .unwrap_or_default();
    let body = std::mem::replace(response.body_mut(), Body::empty());
    let empty = body.len() == Some(0);
    let tracked = http::Tracked {
        inner: http::into_reader(body),
        line,
        status,
        started,
        rows,
        failure,
        in_flight: Arc::clone(&app.in_flight),
        sent_all: false,
        quiet: app.quiet,
    };
    if empty {
        // 204 and the like carry no body: log now.
        let mut tracked = tracked;
        tracked.sent_all = true;
        drop(tracked);
    } else {
        *response.body_mut() = Body::from_read(tracked);
    }
    response
}

fn respond(app: &App, request: &mut Request<Body>) -> Response<Body> {
    if app.draining.load(Ordering::SeqCst) {
        let mut response = sparql::retry_later(
            "the server is shutting down",
            "send the request again once it is back",
        );
        response
            .headers_mut()
            .insert(CONNECTION, "close".parse().expect("valid"));
        return response;
    }
    let query_length = request.uri().query().map_or(0, str::len);
    if query_length > app.limits.max_query_string {
        return http::error(
            StatusCode::URI_TOO_LONG,
            &format!(
                "the query string is {query_length} bytes, more than the {} this server takes",
                app.limits.max_query_string
            ),
            "POST the query instead (application/sparql-query or a form)",
        );
    }
    let Some(route) = route(request.uri().path()) else {
        return http::error(
            StatusCode::NOT_FOUND,
            &format!("nothing at {}", request.uri().path()),
            "the endpoints: /sparql, /queries, /queries/NAME, /store, /update; the pages: /, /query, /graph, /sources, /id/NAME",
        );
    };
    if request.method() == Method::OPTIONS {
        return preflight(route);
    }
    let reading = matches!(*request.method(), Method::GET | Method::HEAD)
        || (request.method() == Method::POST && route.path.starts_with("/queries/"))
        || (request.method() == Method::POST && route.path == "/sparql");
    let mut response = (route.handler)(app, request);
    if is_page(route) {
        pages::remember_language(request, &mut response);
    }
    if route.cross_origin_reads && reading {
        http::allow_cors(&mut response);
    }
    response
}

/// CORS preflight: reads are open to every origin; writes are not.
fn preflight(route: &Route) -> Response<Body> {
    let mut builder = Response::builder()
        .status(StatusCode::NO_CONTENT)
        .header(ALLOW, "GET, HEAD, POST, PUT, DELETE, OPTIONS");
    if route.cross_origin_reads {
        builder = builder
            .header(oxhttp::model::header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
            .header(ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, POST, OPTIONS")
            .header(ACCESS_CONTROL_ALLOW_HEADERS, "Accept, Content-Type")
            .header(ACCESS_CONTROL_MAX_AGE, "86400");
    }
    builder.body(Body::empty()).expect("a valid response")
}

/// `/` for clients other than browsers: what this server offers.
pub fn index(app: &App, _request: &mut Request<Body>) -> Response<Body> {
    let text = format!(
        "aikg SPARQL endpoint ({})\n\n\
         GET/POST /sparql           SPARQL 1.1 query (GET without query: the service description)\n\
         GET      /queries          the named queries and their parameters (JSON)\n\
         GET      /queries/NAME     a named query: /queries/located-in?place=Daejeon\n\
         GET      /store?graph=IRI  a graph (Graph Store Protocol; ?default for the default graph)\n\
         PUT/POST/DELETE /store, POST /update   writes, with the update token\n\n\
         Pages (HTML; open them in a browser): / /query /graph /sources /id/NAME\n",
        if app.writable() { "writes with the update token" } else { "read-only" }
    );
    Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(text))
        .expect("a valid response")
}

/// 503 + Retry-After when no evaluation slot is free.
pub fn busy(busy: limits::Busy) -> Response<Body> {
    match busy {
        limits::Busy::QueueFull => sparql::retry_later(
            "too many queries at once: every evaluation slot is taken and the queue is full",
            "retry after the time in Retry-After",
        ),
        limits::Busy::WaitedTooLong => sparql::retry_later(
            "no evaluation slot came free before the query's timeout",
            "retry later, or ask the operator for more --max-concurrent",
        ),
    }
}
