//! The pages: the knowledge graph in a browser, for people who will never
//! write SPARQL. Routes of the same server as the SPARQL endpoint (same
//! route table, negotiation, limits, cache and log), rendered on the server
//! with maud's templates (checked at compile time), readable without
//! JavaScript; a small script (`assets/app.js`) adds suggestions while
//! typing, the explorer's in-place expansion and the editor's error caret.
//!
//! - [`i18n`]: French and English (`?lang=`, a cookie set by the switch,
//!   `Accept-Language`), every text of the interface in both;
//! - [`layout`]: the page around each page, and how terms are shown;
//! - [`labels`]: labels of entities, classes and properties in a language;
//! - [`home`]: `/` (search, classes, named queries, documents), `/search`
//!   (names, or a class's members), `/api/search` (the suggestions), both
//!   through the search index of `aikg search` ([`crate::search`]);
//! - [`entity`]: a thing's page at its own IRI's path (`/id/KAIST`), its
//!   facts grouped by the passage that states them, the editor's readings,
//!   external identifiers, its neighbourhood drawn; Turtle, JSON-LD or
//!   N-Triples to RDF clients; passages at `/source/{passage}` with the
//!   facts they state;
//! - [`drawing`]: neighbourhoods drawn by GraphViz as `aikg export` draws
//!   them, nodes linked, kept until the graph changes;
//! - [`query_page`]: `/query`, the SPARQL editor and the named queries' forms;
//! - [`explorer`]: `/graph`, focus, depth, relations, classes, expansion;
//! - [`sources`]: `/sources/{doc}`, each document's text with its passages
//!   anchored and linked to their facts;
//! - [`assets`]: the stylesheet and the script, embedded in the binary.

pub mod assets;
pub mod drawing;
pub mod entity;
pub mod explorer;
pub mod home;
pub mod i18n;
pub mod labels;
pub mod layout;
pub mod query_page;
pub mod sources;

use super::http;
use super::App;
use crate::namespaces::BASE;
use crate::search::SearchIndex;
use i18n::Lang;
use labels::Labels;
use oxhttp::model::header::{CACHE_CONTROL, CONTENT_TYPE, VARY};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// What the pages keep between requests: the labels and the search index,
/// for the generation of the graph they were read from (a write empties
/// the server's cache and starts a new generation). Pages and drawings are
/// kept in the server's cache.
pub struct State {
    /// Where the source documents are (the files `aikg:fileName` names).
    pub documents: Option<PathBuf>,
    labels: Kept<Labels>,
    search: Kept<SearchIndex>,
}

/// A value read from the graph, and the generation it was read from.
type Kept<T> = Mutex<Option<(u64, Arc<T>)>>;

impl State {
    pub fn new(documents: Option<PathBuf>) -> Self {
        Self {
            documents,
            labels: Mutex::new(None),
            search: Mutex::new(None),
        }
    }

    /// The labels of the graph as it is now.
    pub fn labels(&self, app: &App) -> crate::error::Result<Arc<Labels>> {
        of_generation(&self.labels, app, || Labels::load(&app.store).map(Arc::new))
    }

    /// The search index of the graph as it is now: the one `aikg search`
    /// uses for the graph the server started with; after a write, built
    /// again in memory from the store as it is (an index opened before
    /// the write would answer for the graph as it was).
    pub fn search_index(&self, app: &App) -> crate::error::Result<Arc<SearchIndex>> {
        of_generation(&self.search, app, || {
            if app.cache.generation() == 0 {
                crate::search::for_store(&app.store)
            } else {
                SearchIndex::in_memory(&app.store).map(Arc::new)
            }
        })
    }
}

/// What `kept` holds if it was read from the graph as it is now, else
/// what `make` reads, kept.
fn of_generation<T>(
    kept: &Kept<T>,
    app: &App,
    make: impl FnOnce() -> crate::error::Result<Arc<T>>,
) -> crate::error::Result<Arc<T>> {
    let generation = app.cache.generation();
    let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((g, value)) = &*kept {
        if *g == generation {
            return Ok(Arc::clone(value));
        }
    }
    let value = make()?;
    *kept = Some((generation, Arc::clone(&value)));
    Ok(value)
}

/// The page of a failure: the library's message (position and hint).
pub fn failure(ctx: &Ctx, e: &crate::error::Error) -> (StatusCode, maud::Markup) {
    let status = http::library_error(e).status();
    let t = ctx.text();
    let body = maud::html! {
        h1 { (t.error) }
        pre.error role="alert" { (e.to_string()) }
    };
    (status, layout::page(ctx, t.error, body))
}

/// Sets the `lang` cookie when the switch (`?lang=`) chose a language, so
/// that the next pages keep it.
pub fn remember_language(request: &Request<Body>, response: &mut Response<Body>) {
    if let Some(lang) = http::query_pairs(request)
        .iter()
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| i18n::Lang::from_code(v))
    {
        if let Ok(value) = format!(
            "lang={}; Path=/; SameSite=Lax; Max-Age=31536000",
            lang.code()
        )
        .parse()
        {
            response
                .headers_mut()
                .append(oxhttp::model::header::SET_COOKIE, value);
        }
    }
}

/// What every page handler knows of its request.
pub struct Ctx {
    pub lang: Lang,
    /// The request's path and query, to come back to (language switch).
    pub here: String,
    pub pairs: Vec<(String, String)>,
}

impl Ctx {
    pub fn new(request: &Request<Body>) -> Self {
        let pairs = http::query_pairs(request);
        let lang = i18n::negotiate(request, &pairs);
        let here = request
            .uri()
            .path_and_query()
            .map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
        Self { lang, here, pairs }
    }

    /// The first value of a parameter, trimmed; `None` if absent or empty.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Every non-empty value of a parameter given several times.
    pub fn params(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }

    pub fn text(&self) -> &'static i18n::Text {
        self.lang.text()
    }
}

/// Pages are read with GET (and HEAD); anything else is 405.
pub fn only_reads(request: &Request<Body>) -> Option<Response<Body>> {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        None
    } else {
        Some(http::method_not_allowed(
            &format!("{} is a page, read with GET", request.uri().path()),
            "open it in a browser, or GET it",
            "GET, HEAD, OPTIONS",
        ))
    }
}

pub const HTML: &str = "text/html; charset=utf-8";

/// An HTML answer. Pages change with the language, which comes from the
/// cookie and `Accept-Language` as well as the URL.
pub fn html(status: StatusCode, markup: maud::Markup) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, HTML)
        .header(VARY, "Accept, Accept-Language, Cookie")
        .header(CACHE_CONTROL, "no-cache")
        .body(Body::from(markup.into_string()))
        .expect("a valid response")
}

/// The page kept in the server's cache under `key` (as [`cached_page`]
/// keeps it), if it is there.
pub fn kept_page(app: &App, key: &str) -> Option<Response<Body>> {
    let kept = app.cache.get(&format!("page\n{key}"))?;
    Some(
        Response::builder()
            .status(StatusCode::OK)
            .header(CONTENT_TYPE, kept.content_type)
            .header(VARY, "Accept, Accept-Language, Cookie")
            .header(CACHE_CONTROL, "no-cache")
            .body(Body::from(kept.body.to_vec()))
            .expect("a valid response"),
    )
}

/// A page from the server's cache, or made now and kept (until the next
/// write) when it is a success. `key` must name everything the page
/// depends on besides the graph: path, parameters, language.
pub fn cached_page(
    app: &App,
    key: &str,
    make: impl FnOnce() -> (StatusCode, maud::Markup),
) -> Response<Body> {
    if let Some(kept) = kept_page(app, key) {
        return kept;
    }
    let key = format!("page\n{key}");
    let generation = app.cache.generation();
    let (status, markup) = make();
    let body = markup.into_string();
    if status == StatusCode::OK {
        app.cache.insert(
            key,
            generation,
            super::cache::Cached {
                content_type: HTML,
                body: body.as_bytes().into(),
                rows: 0,
            },
        );
    }
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, HTML)
        .header(VARY, "Accept, Accept-Language, Cookie")
        .header(CACHE_CONTROL, "no-cache")
        .body(Body::from(body))
        .expect("a valid response")
}

/// The path of an IRI's page on this server: its own path for the IRIs of
/// aikg's base (`https://w3id.org/aikg/id/KAIST` is `/id/KAIST`), else
/// `/resource?iri=...`.
pub fn page_of(iri: &str) -> String {
    match iri.strip_prefix(BASE) {
        Some(rest) if !rest.is_empty() && !rest.contains(['#', '?']) => format!("/{rest}"),
        _ => format!("/resource?iri={}", encode(iri)),
    }
}

/// The IRI whose page a path is (the inverse of [`page_of`] for aikg's base).
pub fn iri_of_path(path: &str) -> String {
    format!("{BASE}{}", path.trim_start_matches('/'))
}

/// Percent-encodes a value for a URL's query.
pub fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A query string made of these pairs (empty values left out).
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.is_empty() {
            out.append_pair(k, v);
        }
    }
    out.finish()
}
