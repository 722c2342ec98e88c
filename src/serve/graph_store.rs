//! The SPARQL 1.1 Graph Store HTTP Protocol at /store (`?graph=IRI`,
//! `?default`) and SPARQL UPDATE at /update. Reads are open; writes need the
//! server's token, go through the write gate ([`super::gate`]) and are each
//! one transaction: all of it or nothing, also if the process is killed.

use super::http;
use super::negotiate;
use super::sparql::{self, Evaluation};
use super::App;
use crate::error::Error;
use crate::query::{Dataset, Query};
use crate::source::{self, LocatedQuad, SourceFormat};
use crate::store::MERGED_GRAPH;
use oxhttp::model::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use oxigraph::model::{BlankNode, GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::SparqlEvaluator;
use oxigraph::store::Transaction;
use std::collections::HashMap;
use std::sync::Arc;

/// `/store`.
pub fn graph_store(app: &App, request: &mut Request<Body>) -> Response<Body> {
    let pairs = http::query_pairs(request);
    let graph = match http::single(&pairs, "graph") {
        Ok(graph) => graph,
        Err(response) => return response,
    };
    let default = pairs.iter().any(|(k, _)| k == "default");
    let target = match (graph, default) {
        (Some(iri), false) => match NamedNode::new(iri) {
            Ok(node) => GraphName::NamedNode(node),
            Err(e) => {
                return http::error(
                    StatusCode::BAD_REQUEST,
                    &format!("graph={iri:?} is not an IRI ({e})"),
                    "give the graph's absolute IRI, URL-encoded",
                )
            }
        },
        (None, true) => GraphName::DefaultGraph,
        _ => {
            return http::error(
                StatusCode::BAD_REQUEST,
                "say which graph: ?graph=IRI or ?default (one of them)",
                "e.g. /store?graph=https%3A%2F%2Fw3id.org%2Faikg%2Fsource%2Fkr-011",
            )
        }
    };
    let method = request.method().clone();
    if method == Method::GET || method == Method::HEAD {
        read_graph(app, request, target, &pairs)
    } else if method == Method::PUT || method == Method::POST || method == Method::DELETE {
        if let Err(response) = authorize(app, request) {
            return response;
        }
        write_graph(app, request, target, &method)
    } else {
        http::method_not_allowed(
            &format!("/store does not take {method}"),
            "GET, HEAD, PUT, POST or DELETE",
            "GET, HEAD, PUT, POST, DELETE, OPTIONS",
        )
    }
}

fn read_graph(
    app: &App,
    request: &Request<Body>,
    target: GraphName,
    pairs: &[(String, String)],
) -> Response<Body> {
    if let GraphName::NamedNode(node) = &target {
        match app.store.contains_named_graph(node) {
            Ok(true) => {}
            Ok(false) => {
                return http::error(
                    StatusCode::NOT_FOUND,
                    &format!("no graph {node} in the store"),
                    "GET /sparql?query=SELECT DISTINCT ?g { GRAPH ?g {} } lists the graphs",
                )
            }
            Err(e) => return http::library_error(&Error::from(e)),
        }
    }
    let query = Query::parse("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "graph store")
        .expect("a valid query");
    let format = match sparql::choose_format(&query, pairs, request) {
        Ok(format) => format,
        Err(response) => return response,
    };
    let cache_key = format!(
        "store\n{}\n{}",
        request.uri(),
        http::header(request, ACCEPT).unwrap_or("")
    );
    sparql::answer(
        app,
        Evaluation {
            query,
            bindings: Vec::new(),
            dataset: Some(Dataset {
                default_graphs: vec![target],
                named_graphs: Vec::new(),
            }),
            format,
            cache_key: Some(cache_key),
        },
    )
}

/// Writes need `--update-token-file` on the server and its token here.
fn authorize(app: &App, request: &Request<Body>) -> Result<(), Response<Body>> {
    let Some(token) = &app.update_token else {
        return Err(http::error(
            StatusCode::FORBIDDEN,
            "this server is read-only",
            "start it with --update-token-file FILE, and send the token in FILE as `Authorization: Bearer TOKEN`",
        ));
    };
    let given = http::header(request, AUTHORIZATION)
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if given.is_some_and(|g| constant_time_eq(g.as_bytes(), token.as_bytes())) {
        return Ok(());
    }
    let mut response = http::error(
        StatusCode::UNAUTHORIZED,
        if given.is_none() {
            "writes need the server's update token"
        } else {
            "wrong update token"
        },
        "send `Authorization: Bearer TOKEN`, TOKEN the content of the server's --update-token-file",
    );
    response
        .headers_mut()
        .insert(WWW_AUTHENTICATE, "Bearer".parse().expect("valid"));
    Err(response)
}

/// Compares without stopping at the first difference (no timing hint).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The RDF syntax of a request body, by its Content-Type.
fn body_format(request: &Request<Body>) -> Result<SourceFormat, Response<Body>> {
    let media_type = http::content_type(request);
    Ok(match media_type.as_deref() {
        Some("text/turtle" | "application/x-turtle") => SourceFormat::Turtle,
        Some("application/n-triples" | "text/plain") => SourceFormat::NTriples,
        Some("application/rdf+xml") => SourceFormat::RdfXml,
        Some("application/ld+json") => SourceFormat::JsonLd,
        Some("application/trig") => SourceFormat::TriG,
        Some("application/n-quads") => SourceFormat::NQuads,
        other => {
            return Err(http::error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &format!(
                    "cannot read a body sent as {}",
                    other.unwrap_or("(no Content-Type)")
                ),
                "send text/turtle, application/n-triples, application/rdf+xml, application/ld+json, application/trig or application/n-quads",
            ))
        }
    })
}

fn write_graph(
    app: &App,
    request: &mut Request<Body>,
    target: GraphName,
    method: &Method,
) -> Response<Body> {
    if matches!(&target, GraphName::NamedNode(g) if g.as_str() == MERGED_GRAPH)
        || app.gate.as_ref().is_some_and(|g| g.fixed_graph(&target))
    {
        return http::error(
            StatusCode::FORBIDDEN,
            &format!("{target} cannot be written while the server runs"),
            "the merged graph is kept by aikg; the ontology defines what writes are checked against: change ontology/ and restart",
        );
    }
    // The body, parsed with positions, its blank nodes new to the store.
    let (located, text) = if *method == Method::DELETE {
        (Vec::new(), String::new())
    } else {
        let format = match body_format(request) {
            Ok(format) => format,
            Err(response) => return response,
        };
        let bytes = match http::read_body(request, app.limits.max_body) {
            Ok(bytes) => bytes,
            Err(response) => return response,
        };
        let quads = match source::read_bytes(Arc::from(BODY), &bytes, format) {
            Ok(quads) => quads,
            Err(e) => return http::library_error(&Error::Source(e)),
        };
        if let Some(q) = quads.iter().find(|q| !q.quad.graph_name.is_default_graph()) {
            return http::error(
                StatusCode::BAD_REQUEST,
                &format!(
                    "{}: the body puts triples in graph {}: the Graph Store takes one graph per request",
                    q.position, q.quad.graph_name
                ),
                "send the graph's triples (Turtle, N-Triples...) to /store?graph=IRI",
            );
        }
        (
            into_graph(quads, &target),
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    };
    let accept = http::header(request, ACCEPT).map(str::to_string);
    let _writer = app.write_lock.lock().unwrap_or_else(|e| e.into_inner());
    let mut added: Option<Vec<Quad>> = None;
    let outcome = (|| -> Result<Result<StatusCode, Response<Body>>, Error> {
        let mut transaction = app.store.start_transaction()?;
        let existed = match &target {
            GraphName::NamedNode(g) => transaction.contains_named_graph(g)?,
            _ => true,
        };
        match (method.as_str(), &target) {
            ("DELETE", _) if !existed => {
                return Ok(Err(http::error(
                    StatusCode::NOT_FOUND,
                    &format!("no graph {target} in the store"),
                    "nothing was deleted",
                )))
            }
            ("DELETE" | "PUT", GraphName::NamedNode(g)) => transaction.remove_named_graph(g)?,
            ("DELETE" | "PUT", _) => transaction.clear_graph(&target)?,
            _ => {}
        }
        if *method != Method::DELETE {
            if let GraphName::NamedNode(g) = &target {
                transaction.insert_named_graph(g);
            }
            for q in &located {
                transaction.insert(&q.quad);
            }
        }
        // A POST, or a PUT of a graph that was not there, only adds: what
        // the new triples imply is added to the inferred graph, without
        // recomputing it all.
        if *method == Method::POST || (*method == Method::PUT && !existed) {
            added = Some(located.iter().map(|q| q.quad.clone()).collect());
        }
        if let Err(refused) = finish_write(
            app,
            &mut transaction,
            located,
            (BODY, text),
            "the request",
            accept.as_deref(),
        )? {
            return Ok(Err(refused));
        }
        transaction.commit()?;
        Ok(Ok(match (method.as_str(), existed) {
            ("PUT" | "POST", false) => StatusCode::CREATED,
            _ => StatusCode::NO_CONTENT,
        }))
    })();
    match outcome {
        Ok(Ok(status)) => {
            if let Err(e) = refresh_inferred(app, added.as_deref()) {
                return http::library_error(&e);
            }
            app.cache.invalidate();
            no_content(status)
        }
        Ok(Err(response)) => response,
        Err(e) => http::library_error(&e),
    }
}

/// The name requests' bodies go by in reports.
const BODY: &str = "request body";

/// The body's triples in the target graph, each blank node a new one (a
/// blank node label is scoped to its document).
fn into_graph(quads: Vec<LocatedQuad>, target: &GraphName) -> Vec<LocatedQuad> {
    let mut fresh: HashMap<BlankNode, BlankNode> = HashMap::new();
    let mut renamed = |b: &BlankNode| fresh.entry(b.clone()).or_default().clone();
    quads
        .into_iter()
        .map(|mut q| {
            if let NamedOrBlankNode::BlankNode(b) = &q.quad.subject {
                q.quad.subject = renamed(b).into();
            }
            if let Term::BlankNode(b) = &q.quad.object {
                q.quad.object = renamed(b).into();
            }
            q.quad.graph_name = target.clone();
            q
        })
        .collect()
}

/// What every write does before its commit: keep the merged graph the merge
/// of the others (bundled store), then pass the gate.
fn finish_write(
    app: &App,
    transaction: &mut Transaction<'_>,
    located: Vec<LocatedQuad>,
    body: (&str, String),
    changes: &str,
    accept: Option<&str>,
) -> Result<Result<(), Response<Body>>, Error> {
    if app.merged {
        remerge(transaction)?;
    }
    let Some(gate) = &app.gate else {
        return Ok(Ok(()));
    };
    Ok(
        match gate.admit(transaction, &app.store, located, body, changes)? {
            Ok(()) => Ok(()),
            Err(refused) => {
                let json =
                    negotiate::choose(accept, &[("text/plain", false), ("application/json", true)])
                        .is_some_and(|(_, json)| json);
                let (content_type, text) = if json {
                    ("application/json", refused.json())
                } else {
                    (
                    "text/plain; charset=utf-8",
                    format!(
                        "the write would add violations of the ontology or shapes: nothing was changed\n\n{}",
                        refused.text()
                    ),
                )
                };
                Err(Response::builder()
                    .status(StatusCode::UNPROCESSABLE_ENTITY)
                    .header(CONTENT_TYPE, content_type)
                    .body(Body::from(text))
                    .expect("a valid response"))
            }
        },
    )
}

/// Makes the merged graph the merge of all other graphs again: the stated
/// ones, never what reasoning inferred (which the default graph adds apart,
/// and which is worked out again after the write).
fn remerge(transaction: &mut Transaction<'_>) -> Result<(), Error> {
    let merged = NamedNode::new_unchecked(MERGED_GRAPH);
    transaction.clear_graph(&merged)?;
    let mut copies = Vec::new();
    for quad in transaction.iter() {
        let quad = quad?;
        if !crate::reason::is_reasoning_graph(quad.graph_name.as_ref()) {
            copies.push(Quad::new(
                quad.subject,
                quad.predicate,
                quad.object,
                merged.clone(),
            ));
        }
    }
    transaction.extend(&copies);
    Ok(())
}

/// `/update`: SPARQL 1.1 UPDATE (POST `application/sparql-update`, or a
/// form with `update=`), under the token and the gate, in one transaction.
pub fn update(app: &App, request: &mut Request<Body>) -> Response<Body> {
    if request.method() != Method::POST {
        return http::method_not_allowed(
            "updates are POSTed",
            "POST application/sparql-update, or a form with update=...",
            "POST, OPTIONS",
        );
    }
    if let Err(response) = authorize(app, request) {
        return response;
    }
    let body = match http::read_body(request, app.limits.max_body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let text = match http::content_type(request).as_deref() {
        Some("application/sparql-update") => String::from_utf8(body).ok(),
        Some("application/x-www-form-urlencoded") => {
            let pairs = http::form_pairs(&body);
            match http::single(&pairs, "update") {
                Ok(Some(text)) => Some(text.to_string()),
                Ok(None) => {
                    return http::error(
                        StatusCode::BAD_REQUEST,
                        "the form has no `update` field",
                        "send update=SPARQL (URL-encoded)",
                    )
                }
                Err(response) => return response,
            }
        }
        other => {
            return http::error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &format!(
                    "an update cannot be sent as {}",
                    other.unwrap_or("a body without Content-Type")
                ),
                "POST it as application/sparql-update, or as application/x-www-form-urlencoded with update=...",
            )
        }
    };
    let Some(text) = text else {
        return http::error(
            StatusCode::BAD_REQUEST,
            "the update is not UTF-8",
            "send it as UTF-8",
        );
    };
    let parsed = match crate::query::parse_update(&text, "update") {
        Ok(parsed) => parsed,
        Err(e) => return http::library_error(&e),
    };
    let accept = http::header(request, ACCEPT).map(str::to_string);
    let _writer = app.write_lock.lock().unwrap_or_else(|e| e.into_inner());
    let cancellation = crate::query::Cancellation::new(Some(app.timeout));
    let outcome = (|| -> Result<Result<(), Response<Body>>, Error> {
        let mut transaction = app.store.start_transaction()?;
        if let Err(e) = SparqlEvaluator::new()
            .with_cancellation_token(cancellation.token())
            .for_update(parsed)
            .on_transaction(&mut transaction)
            .execute()
        {
            return Ok(Err(if cancellation.timed_out() {
                http::library_error(&Error::QueryTimeout {
                    seconds: app.timeout.as_secs_f64(),
                })
            } else {
                http::error(
                    StatusCode::BAD_REQUEST,
                    &format!("the update failed: {e}"),
                    "nothing was changed",
                )
            }));
        }
        if let Some(refused) = touches_fixed_graph(app, &transaction)? {
            return Ok(Err(refused));
        }
        if let Err(refused) = finish_write(
            app,
            &mut transaction,
            Vec::new(),
            ("update", String::new()),
            "the update",
            accept.as_deref(),
        )? {
            return Ok(Err(refused));
        }
        transaction.commit()?;
        Ok(Ok(()))
    })();
    match outcome {
        Ok(Ok(())) => {
            if let Err(e) = refresh_inferred(app, None) {
                return http::library_error(&e);
            }
            app.cache.invalidate();
            no_content(StatusCode::NO_CONTENT)
        }
        Ok(Err(response)) => response,
        Err(e) => http::library_error(&e),
    }
}

/// An update may not change the merged graph or (with the aikg gate) the
/// ontology graph: compares them with the store's.
fn touches_fixed_graph(
    app: &App,
    transaction: &Transaction<'_>,
) -> Result<Option<Response<Body>>, Error> {
    let mut fixed = vec![];
    if let Some(gate) = &app.gate {
        let ontology = GraphName::NamedNode(NamedNode::new_unchecked(crate::store::ONTOLOGY_GRAPH));
        if gate.fixed_graph(&ontology) {
            fixed.push(ontology);
        }
    }
    if !app.merged {
        fixed.push(GraphName::NamedNode(NamedNode::new_unchecked(MERGED_GRAPH)));
    }
    for graph in fixed {
        let before = app
            .store
            .quads_for_pattern(None, None, None, Some(graph.as_ref()))
            .count();
        let after: Vec<Quad> = transaction
            .quads_for_pattern(None, None, None, Some(graph.as_ref()))
            .collect::<Result<_, _>>()?;
        let same = after.len() == before
            && after
                .iter()
                .map(|q| app.store.contains(q))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .all(|found| found);
        if !same {
            return Ok(Some(http::error(
                StatusCode::FORBIDDEN,
                &format!("the update changes {graph}, which cannot be written while the server runs"),
                "nothing was changed; the ontology defines what writes are checked against: change ontology/ and restart",
            )));
        }
    }
    Ok(None)
}

fn no_content(status: StatusCode) -> Response<Body> {
    Response::builder()
        .status(status)
        .body(Body::empty())
        .expect("a valid response")
}

/// After a write, what the ontology implies is worked out again with the
/// rules the store was materialised with, so that no answer keeps a fact
/// whose premises are gone or misses one a new triple implies. A store
/// without an inferred graph (`--reasoning none`, or a store loaded so)
/// stays without one. `added`: the request only added these quads, and
/// what they imply is added (`reason::incremental::after_insert`, which
/// falls back to the full recompute when they change the schema); None:
/// something was removed, and everything is recomputed.
fn refresh_inferred(app: &App, added: Option<&[Quad]>) -> crate::error::Result<()> {
    if let Some(rules) = crate::reason::materialise::materialised_rules(&app.store)? {
        match added {
            Some(added) => {
                crate::reason::incremental::after_insert(
                    &app.store,
                    added,
                    crate::reason::Reasoning::Rules(rules),
                )?;
            }
            None => {
                crate::reason::materialise::materialise_store(&app.store, rules)?;
            }
        }
    }
    Ok(())
}
