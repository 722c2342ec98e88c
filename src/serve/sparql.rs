//! The SPARQL 1.1 Protocol at /sparql (query by GET, POST form, POST
//! `application/sparql-query`; `default-graph-uri` / `named-graph-uri`; the
//! service description), the named queries at /queries, and the streamed
//! answer they share.

use super::http::{self, Failure, RowCount};
use super::negotiate::{self, Refusal};
use super::App;
use crate::error::Error;
use crate::named_query;
use crate::query::{self, Dataset, OutputFormat, Progress, Query, ResultWriter};
use oxhttp::model::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER, VARY};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use oxigraph::model::{GraphName, NamedNode, Term, Variable};
use std::cell::RefCell;
use std::io::{Read, Write};
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

/// What a request asks to evaluate.
pub struct Evaluation {
    pub query: Query,
    pub bindings: Vec<(Variable, Term)>,
    pub dataset: Option<Dataset>,
    pub format: OutputFormat,
    /// Where the complete answer is kept in the cache (None: not kept).
    pub cache_key: Option<String>,
}

/// `/sparql`.
pub fn endpoint(app: &App, request: &mut Request<Body>) -> Response<Body> {
    let (text, pairs) = match read_protocol_request(app, request) {
        Ok(Some(found)) => found,
        Ok(None) => return service_description(app, request),
        Err(response) => return response,
    };
    let cache_key = format!(
        "sparql\n{text}\n{:?}\n{}",
        pairs
            .iter()
            .filter(|(k, _)| k != "query")
            .collect::<Vec<_>>(),
        http::header(request, ACCEPT).unwrap_or("")
    );
    if let Some(response) = cached(app, &cache_key) {
        return response;
    }
    let query = match Query::parse(&text, "query") {
        Ok(query) => query,
        Err(e) => return http::library_error(&e),
    };
    let dataset = match protocol_dataset(&pairs) {
        Ok(dataset) => dataset,
        Err(response) => return response,
    };
    negotiate_and_answer(
        app,
        request,
        &pairs,
        (query, Vec::new()),
        dataset,
        cache_key,
    )
}

/// A query's text and the request's parameters.
type QueryAndParameters = (String, Vec<(String, String)>);

/// The query text and the protocol's parameters of a query request;
/// `None` for a GET without `query` (the service description).
fn read_protocol_request(
    app: &App,
    request: &mut Request<Body>,
) -> Result<Option<QueryAndParameters>, Response<Body>> {
    let mut pairs = http::query_pairs(request);
    let method = request.method().clone();
    let text = if method == Method::GET || method == Method::HEAD {
        match http::single(&pairs, "query")? {
            Some(text) => text.to_string(),
            None if pairs.iter().any(|(k, _)| k == "update") => return Err(update_here()),
            None => return Ok(None),
        }
    } else if method == Method::POST {
        let body = http::read_body(request, app.limits.max_body)?;
        match http::content_type(request).as_deref() {
            Some("application/x-www-form-urlencoded") => {
                pairs.extend(http::form_pairs(&body));
                match http::single(&pairs, "query")? {
                    Some(text) => text.to_string(),
                    None if pairs.iter().any(|(k, _)| k == "update") => {
                        return Err(update_here())
                    }
                    None => {
                        return Err(http::error(
                            StatusCode::BAD_REQUEST,
                            "the form has no `query` field",
                            "send query=SPARQL (URL-encoded)",
                        ))
                    }
                }
            }
            Some("application/sparql-query") => String::from_utf8(body).map_err(|_| {
                http::error(
                    StatusCode::BAD_REQUEST,
                    "the query is not UTF-8",
                    "send the query as UTF-8",
                )
            })?,
            other => {
                return Err(http::error(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    &format!(
                        "a query cannot be sent as {}",
                        other.unwrap_or("a body without Content-Type")
                    ),
                    "POST it as application/sparql-query, or as application/x-www-form-urlencoded with query=...",
                ))
            }
        }
    } else {
        return Err(http::method_not_allowed(
            &format!("/sparql does not take {method}"),
            "query with GET or POST",
            "GET, HEAD, POST, OPTIONS",
        ));
    };
    Ok(Some((text, pairs)))
}

fn update_here() -> Response<Body> {
    http::error(
        StatusCode::BAD_REQUEST,
        "/sparql answers queries; updates go to /update",
        "POST the update to /update (with the server's update token)",
    )
}

/// `default-graph-uri` and `named-graph-uri`, which replace the query's own
/// FROM and FROM NAMED.
fn protocol_dataset(pairs: &[(String, String)]) -> Result<Option<Dataset>, Response<Body>> {
    let iris = |name: &str| -> Result<Vec<NamedNode>, Response<Body>> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| {
                NamedNode::new(v.as_str()).map_err(|e| {
                    http::error(
                        StatusCode::BAD_REQUEST,
                        &format!("{name}={v:?} is not an IRI ({e})"),
                        "give absolute IRIs",
                    )
                })
            })
            .collect()
    };
    let default = iris("default-graph-uri")?;
    let named = iris("named-graph-uri")?;
    Ok((!default.is_empty() || !named.is_empty()).then(|| Dataset {
        default_graphs: default.into_iter().map(GraphName::from).collect(),
        named_graphs: named,
    }))
}

/// The format the request asks for, then the streamed answer.
fn negotiate_and_answer(
    app: &App,
    request: &Request<Body>,
    pairs: &[(String, String)],
    (query, bindings): (Query, Vec<(Variable, Term)>),
    dataset: Option<Dataset>,
    cache_key: String,
) -> Response<Body> {
    match choose_format(&query, pairs, request) {
        Ok(format) => answer(
            app,
            Evaluation {
                query,
                bindings,
                dataset,
                format,
                cache_key: Some(cache_key),
            },
        ),
        Err(response) => response,
    }
}

/// The answer's format, by `format=` or `Accept` (406 if none fits).
pub fn choose_format(
    query: &Query,
    pairs: &[(String, String)],
    request: &Request<Body>,
) -> Result<OutputFormat, Response<Body>> {
    let offers = if query.returns_graph() {
        negotiate::GRAPH_TYPES
    } else {
        negotiate::RESULT_TYPES
    };
    negotiate::negotiate(
        http::single(pairs, "format")?,
        http::header(request, ACCEPT),
        offers,
    )
    .map_err(refusal)
}

pub fn refusal(refusal: Refusal) -> Response<Body> {
    match refusal {
        Refusal::UnknownFormat(name) => http::error(
            StatusCode::BAD_REQUEST,
            &format!("format={name:?} is not a format aikg writes"),
            "use json, xml, csv, tsv (SELECT, ASK) or ttl, nt, jsonld, rdfxml, trig, nq (CONSTRUCT, DESCRIBE), or a media type",
        ),
        Refusal::NotAcceptable(offers) => http::error(
            StatusCode::NOT_ACCEPTABLE,
            "none of the media types the request accepts fits this answer",
            &format!("accept one of: {}", offers.join(", ")),
        ),
    }
}

/// Evaluates under the server's limits and streams the answer; errors met
/// before the first byte (syntax aside: the evaluation's own, the row cap
/// within the first rows, the timeout) are answered with their status.
pub fn answer(app: &App, evaluation: Evaluation) -> Response<Body> {
    let started = Instant::now();
    let deadline = started + app.timeout;
    let slot = match app.slots.acquire(deadline) {
        Ok(slot) => slot,
        Err(busy) => return super::busy(busy),
    };
    let generation = app.cache.generation();
    let options = query::EvalOptions {
        services: app.services.clone(),
        dataset: evaluation.dataset,
        limits: query::Limits {
            timeout: Some(app.timeout),
            max_rows: app.max_results,
            stop_at_max: false,
        },
        ..query::EvalOptions::default()
    };
    let stream = query::evaluate_stream(
        &app.store,
        &evaluation.query,
        &evaluation.bindings,
        &options,
    );
    let buffer = SharedBuffer::default();
    let started_writer = stream.and_then(|stream| {
        ResultWriter::new(
            stream,
            &evaluation.query,
            evaluation.format,
            buffer.clone(),
            true,
        )
    });
    let writer = match started_writer {
        Ok(writer) => writer,
        Err(e) => return http::library_error(&e),
    };
    let rows = RowCount::default();
    let failure = Failure::default();
    let content_type = negotiate::content_type(evaluation.format);
    let body = ResultBody {
        writer: Some(writer),
        keep: evaluation
            .cache_key
            .filter(|_| app.cache.enabled())
            .map(|key| Keep {
                cache: Arc::clone(&app.cache),
                key,
                generation,
                content_type,
                // The header, written when the writer started.
                bytes: buffer.0.borrow().clone(),
            }),
        buffer,
        offset: 0,
        rows: rows.clone(),
        failure: failure.clone(),
        _slot: slot,
    };
    let mut response = Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, content_type)
        .header(VARY, "Accept")
        .body(Body::from_read(body))
        .expect("a valid response");
    response.extensions_mut().insert(rows);
    response.extensions_mut().insert(failure);
    response
}

/// A writer the streamed body reads back from (one thread: the connection's).
#[derive(Clone, Default)]
pub struct SharedBuffer(Rc<RefCell<Vec<u8>>>);

impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// An answer being kept for the cache while it is sent.
struct Keep {
    cache: Arc<super::cache::Cache>,
    key: String,
    generation: u64,
    content_type: &'static str,
    bytes: Vec<u8>,
}

/// The streamed answer: rows are evaluated and serialised as the client
/// reads. Holds the evaluation slot until it ends or the client goes away
/// (a client that stops reading is dropped at the socket's write timeout,
/// and the evaluation's deadline cancels it anyway).
struct ResultBody {
    writer: Option<ResultWriter<SharedBuffer>>,
    buffer: SharedBuffer,
    offset: usize,
    rows: RowCount,
    failure: Failure,
    keep: Option<Keep>,
    _slot: super::limits::Slot,
}

/// Rows serialised per refill of the buffer.
const ROWS_PER_CHUNK: usize = 256;

impl Read for ResultBody {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            {
                let mut pending = self.buffer.0.borrow_mut();
                if self.offset < pending.len() {
                    let n = buf.len().min(pending.len() - self.offset);
                    buf[..n].copy_from_slice(&pending[self.offset..self.offset + n]);
                    self.offset += n;
                    if self.offset == pending.len() {
                        pending.clear();
                        self.offset = 0;
                    }
                    return Ok(n);
                }
            }
            let Some(writer) = &mut self.writer else {
                return Ok(0);
            };
            let progress = writer.write_some(ROWS_PER_CHUNK);
            self.rows.0.store(writer.written(), Ordering::Relaxed);
            if let Some(keep) = &mut self.keep {
                let pending = self.buffer.0.borrow();
                if keep.bytes.len() + pending.len() > keep.cache.max_entry {
                    self.keep = None;
                } else {
                    keep.bytes.extend_from_slice(&pending);
                }
            }
            match progress {
                Ok(Progress::More) => {}
                Ok(Progress::Finished) => {
                    let rows = writer.written();
                    self.writer = None;
                    if let Some(keep) = self.keep.take() {
                        keep.cache.insert(
                            keep.key,
                            keep.generation,
                            super::cache::Cached {
                                content_type: keep.content_type,
                                body: keep.bytes.into(),
                                rows,
                            },
                        );
                    }
                }
                Err(e) => {
                    self.writer = None;
                    self.keep = None;
                    let why = e.to_string().lines().next().unwrap_or("").to_string();
                    self.failure.set(why.clone());
                    // Cut the chunked body: the client sees an incomplete
                    // answer, never a short one taken for whole.
                    return Err(std::io::Error::other(why));
                }
            }
        }
    }
}

/// The kept answer to an identical request, if the cache has it.
fn cached(app: &App, key: &str) -> Option<Response<Body>> {
    let cached = app.cache.get(key)?;
    let mut response = Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, cached.content_type)
        .header(VARY, "Accept")
        .body(Body::from(cached.body.to_vec()))
        .expect("a valid response");
    response
        .extensions_mut()
        .insert(RowCount(Arc::new(cached.rows.into())));
    Some(response)
}

/// GET /sparql without a query: the SPARQL service description, in Turtle
/// (or another RDF syntax by Accept).
fn service_description(app: &App, request: &Request<Body>) -> Response<Body> {
    use oxigraph::model::{BlankNode, Literal, Triple};
    let sd = "http://www.w3.org/ns/sparql-service-description#";
    let formats = "http://www.w3.org/ns/formats/";
    let n = |iri: String| NamedNode::new_unchecked(iri);
    let host = http::header(request, oxhttp::model::header::HOST).unwrap_or("localhost");
    let endpoint = NamedNode::new(format!("http://{host}/sparql"))
        .unwrap_or_else(|_| n("http://localhost/sparql".into()));
    let service = BlankNode::default();
    let dataset = BlankNode::default();
    let default_graph = BlankNode::default();
    let mut triples = vec![
        Triple::new(service.clone(), n(format!("{}type", crate::namespaces::RDF)), n(format!("{sd}Service"))),
        Triple::new(service.clone(), n(format!("{sd}endpoint")), endpoint),
        Triple::new(service.clone(), n(format!("{sd}supportedLanguage")), n(format!("{sd}SPARQL11Query"))),
        Triple::new(service.clone(), n(format!("{sd}defaultDataset")), dataset.clone()),
        Triple::new(dataset.clone(), n(format!("{}type", crate::namespaces::RDF)), n(format!("{sd}Dataset"))),
        Triple::new(dataset.clone(), n(format!("{sd}defaultGraph")), default_graph.clone()),
        Triple::new(default_graph.clone(), n(format!("{}type", crate::namespaces::RDF)), n(format!("{sd}Graph"))),
        Triple::new(
            service.clone(),
            n("http://www.w3.org/2000/01/rdf-schema#comment".into()),
            Literal::new_simple_literal(
                "aikg: the default graph is the merge of all graphs; updates go to /update with the server's token",
            ),
        ),
    ];
    if app.writable() {
        triples.push(Triple::new(
            service.clone(),
            n(format!("{sd}supportedLanguage")),
            n(format!("{sd}SPARQL11Update")),
        ));
    }
    if !crate::store::has_merged_graph(&app.store).unwrap_or(false) {
        triples.push(Triple::new(
            service.clone(),
            n(format!("{sd}feature")),
            n(format!("{sd}UnionDefaultGraph")),
        ));
    }
    for format in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
        "TriG",
        "N-Quads",
    ] {
        triples.push(Triple::new(
            service.clone(),
            n(format!("{sd}resultFormat")),
            n(format!("{formats}{format}")),
        ));
    }
    let format =
        match negotiate::negotiate(None, http::header(request, ACCEPT), negotiate::GRAPH_TYPES) {
            Ok(format) => format,
            Err(r) => return refusal(r),
        };
    let mut bytes = Vec::new();
    let answer = query::Answer::Graph(triples);
    if let Err(e) = query::write_answer(&answer, format, &mut bytes) {
        return http::library_error(&e);
    }
    Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, negotiate::content_type(format))
        .header(VARY, "Accept")
        .body(Body::from(bytes))
        .expect("a valid response")
}

/// `/queries`: the named queries and their typed parameters, as JSON.
pub fn list_named(app: &App, _request: &mut Request<Body>) -> Response<Body> {
    #[derive(serde::Serialize)]
    struct Param<'a> {
        name: &'a str,
        #[serde(rename = "type")]
        kind: &'a str,
        optional: bool,
        description: &'a str,
    }
    #[derive(serde::Serialize)]
    struct Named<'a> {
        name: &'a str,
        title: &'a str,
        description: &'a str,
        url: String,
        sparql: &'a str,
        params: Vec<Param<'a>>,
    }
    let list: Vec<Named<'_>> = app
        .named
        .iter()
        .map(|q| Named {
            name: &q.name,
            title: &q.title,
            description: &q.description,
            url: format!("/queries/{}", q.name),
            sparql: &q.text,
            params: q
                .params
                .iter()
                .map(|p| Param {
                    name: &p.name,
                    kind: p.kind.name(),
                    optional: p.optional,
                    description: &p.description,
                })
                .collect(),
        })
        .collect();
    let json = serde_json::to_vec_pretty(&list).expect("serialisable");
    Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, "application/json")
        .body(Body::from(json))
        .expect("a valid response")
}

/// `/queries/{name}?param=value`: a named query, its parameters checked and
/// bound as by `aikg query NAME --param ...`.
pub fn run_named(app: &App, request: &mut Request<Body>) -> Response<Body> {
    let mut pairs = http::query_pairs(request);
    let method = request.method().clone();
    if method == Method::POST {
        // As the protocol's POST form: parameters in the body too (a SPARQL
        // client switches to POST for long queries).
        if http::content_type(request).as_deref() != Some("application/x-www-form-urlencoded") {
            return http::error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "a named query takes its parameters in the URL or as a form",
                "GET /queries/NAME?param=value, or POST application/x-www-form-urlencoded",
            );
        }
        match http::read_body(request, app.limits.max_body) {
            Ok(body) => pairs.extend(http::form_pairs(&body)),
            Err(response) => return response,
        }
    } else if method != Method::GET && method != Method::HEAD {
        return http::method_not_allowed(
            "named queries are read with GET (or POST a form)",
            "GET /queries/NAME?param=value",
            "GET, HEAD, POST, OPTIONS",
        );
    }
    let name = request
        .uri()
        .path()
        .trim_start_matches("/queries/")
        .to_string();
    let Some(named) = app.named.iter().find(|q| q.name == name) else {
        let hint = match named_query::find(&app.query_files, &name) {
            Err(Error::Usage { hint, .. }) => {
                hint.replace("`aikg query --list` lists", "GET /queries lists")
            }
            _ => String::new(),
        };
        return http::error(
            StatusCode::NOT_FOUND,
            &format!("no named query `{name}`"),
            &hint,
        );
    };
    let cache_key = format!(
        "named\n{name}\n{pairs:?}\n{}",
        http::header(request, ACCEPT).unwrap_or("")
    );
    if let Some(response) = cached(app, &cache_key) {
        return response;
    }
    // A SPARQL client pointed at /queries/NAME sends the text /queries gave
    // it as `query`: accepted when it is that query, refused otherwise.
    match http::single(&pairs, "query") {
        Ok(None) => {}
        Ok(Some(text)) => {
            // The same text, or the same algebra (blank nodes of the
            // pattern aside, which each parse names anew).
            let same = text.trim() == named.text.trim()
                || Query::parse(text, "query")
                    .ok()
                    .zip(Query::parse(&named.text, &named.path).ok())
                    .is_some_and(|(given, own)| given.canonical() == own.canonical());
            if !same {
                return http::error(
                    StatusCode::BAD_REQUEST,
                    &format!("query= is not the text of the named query `{name}`"),
                    "send no query= to /queries/NAME (or send any query to /sparql)",
                );
            }
        }
        Err(response) => return response,
    }
    let params: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != "format" && k != "query")
        .cloned()
        .collect();
    let (query, bindings) = match named.bind(&app.graph(), &params) {
        Ok(bound) => bound,
        Err(e) => {
            // The CLI's message, with the HTTP way of giving a parameter.
            let text = e
                .to_string()
                .replace("--param ", "")
                .replace("add `", "add `?");
            return http::text_response(
                if matches!(e, Error::Usage { .. } | Error::QuerySyntax { .. }) {
                    StatusCode::BAD_REQUEST
                } else {
                    StatusCode::INTERNAL_SERVER_ERROR
                },
                format!("{text}\n"),
            );
        }
    };
    negotiate_and_answer(app, request, &pairs, (query, bindings), None, cache_key)
}

/// 503 with Retry-After, for a full queue.
pub fn retry_later(message: &str, hint: &str) -> Response<Body> {
    let mut response = http::error(StatusCode::SERVICE_UNAVAILABLE, message, hint);
    response
        .headers_mut()
        .insert(RETRY_AFTER, "1".parse().expect("valid"));
    response
}
