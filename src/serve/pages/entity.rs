//! A thing's page at its own IRI's path (`/id/KAIST`, `/source/kr-046`,
//! else `/resource?iri=`): for browsers, its labels, classes, external
//! identifiers, neighbourhood drawn, and every fact grouped by the passage
//! that states it with the exact quote (as `aikg explain`), the editor's
//! doubts and readings shown as such; for RDF clients (`Accept`), its
//! triples in Turtle, JSON-LD, N-Triples or RDF/XML.

use super::i18n::Lang;
use super::labels::Labels;
use super::layout::{iri_link, page, term};
use super::{cached_page, Ctx};
use crate::error::Result;
use crate::namespaces::{AIKG, BASE};
use crate::query::{self, select, OutputFormat, Query};
use crate::store::MERGED_GRAPH;
use maud::{html, Markup, PreEscaped};
use oxhttp::model::header::{ACCEPT, CONTENT_TYPE, LOCATION, VARY};
use oxhttp::model::{Body, Request, Response, StatusCode};
use oxigraph::model::{NamedNode, Term};
use std::collections::{BTreeMap, BTreeSet};

use super::super::App;

/// What a thing's URL answers with, the server's preference first.
const OFFERS: &[(&str, Option<OutputFormat>)] = &[
    ("text/html", None),
    ("application/xhtml+xml", None),
    ("text/turtle", Some(OutputFormat::Turtle)),
    ("application/ld+json", Some(OutputFormat::JsonLd)),
    ("application/n-triples", Some(OutputFormat::NTriples)),
    ("application/rdf+xml", Some(OutputFormat::RdfXml)),
];

/// `/id/...`, `/source/...` and `/resource?iri=`.
pub fn resource(app: &App, request: &mut Request<Body>) -> Response<Body> {
    if let Some(refused) = super::only_reads(request) {
        return refused;
    }
    let ctx = Ctx::new(request);
    let iri = match request.uri().path() {
        "/resource" => match ctx.param("iri") {
            Some(iri) => iri.to_string(),
            None => {
                return super::http::error(
                    StatusCode::BAD_REQUEST,
                    "/resource needs ?iri=",
                    "give the IRI of a thing of the graph: /resource?iri=https://…",
                )
            }
        },
        path => super::iri_of_path(path),
    };
    let Ok(node) = NamedNode::new(&iri) else {
        return super::http::error(
            StatusCode::BAD_REQUEST,
            &format!("`{iri}` is not an IRI"),
            "give the IRI of a thing of the graph",
        );
    };
    let Some((media_type, format)) =
        super::super::negotiate::choose(super::http::header(request, ACCEPT), OFFERS)
    else {
        return super::http::error(
            StatusCode::NOT_ACCEPTABLE,
            "this page is HTML, Turtle, JSON-LD, N-Triples or RDF/XML; Accept names none of them",
            "send Accept: text/html, text/turtle, application/ld+json, application/n-triples or application/rdf+xml",
        );
    };
    let page_key = format!("{iri}\n{}", ctx.lang.code());
    if format.is_none() {
        // A page kept is a thing known and not a document: no query needed.
        if let Some(kept) = super::kept_page(app, &page_key) {
            return kept;
        }
    }
    let known = match is_known(app, &node) {
        Ok(known) => known,
        Err(e) => return super::http::library_error(&e),
    };
    if !known {
        return match format {
            Some(_) => super::http::error(
                StatusCode::NOT_FOUND,
                &format!("<{iri}> is not in the graph"),
                "search for it by name: /search?q=NAME",
            ),
            None => {
                let t = ctx.text();
                let body = html! {
                    h1 { (t.not_found) }
                    p { code { (iri) } }
                    p { a href="/" { (t.not_found_hint) } }
                };
                super::html(StatusCode::NOT_FOUND, page(&ctx, t.not_found, body))
            }
        };
    }
    if let Some(format) = format {
        return as_rdf(app, &node, media_type, format);
    }
    if is_document(app, &node) {
        return Response::builder()
            .status(StatusCode::SEE_OTHER)
            .header(LOCATION, super::sources::path_of(node.as_str()))
            .body(Body::empty())
            .expect("a valid response");
    }
    cached_page(
        app,
        &format!("{iri}\n{}", ctx.lang.code()),
        || match entity_body(app, &ctx, &node) {
            Ok((title, body)) => (StatusCode::OK, page(&ctx, &title, body)),
            Err(e) => super::failure(&ctx, &e),
        },
    )
}

fn is_known(app: &App, node: &NamedNode) -> Result<bool> {
    Ok(!select(
        &app.store,
        &format!("SELECT * WHERE {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }} LIMIT 1"),
    )?
    .is_empty())
}

/// Whether the thing is a source document (its page is its text).
fn is_document(app: &App, node: &NamedNode) -> bool {
    select(
        &app.store,
        &format!("SELECT ?f WHERE {{ {node} a aikg:Document ; aikg:fileName ?f }} LIMIT 1"),
    )
    .is_ok_and(|rows| !rows.is_empty())
}

/// The triples of which the thing is the subject or the object.
fn as_rdf(
    app: &App,
    node: &NamedNode,
    media_type: &'static str,
    format: OutputFormat,
) -> Response<Body> {
    let text = format!("CONSTRUCT {{ {node} ?p ?o . ?s ?q {node} }} WHERE {{ {{ {node} ?p ?o }} UNION {{ ?s ?q {node} }} }}");
    let answer = Query::parse(&text, "page").and_then(|q| query::evaluate(&app.store, &q, &[]));
    let mut body = Vec::new();
    if let Err(e) = answer.and_then(|a| query::write_answer(&a, format, &mut body)) {
        return super::http::library_error(&e);
    }
    Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, media_type)
        .header(VARY, "Accept, Accept-Language, Cookie")
        .body(Body::from(body))
        .expect("a valid response")
}

/// One named graph's facts about the thing, and what the graph is.
#[derive(Default)]
struct Evidence {
    facts: BTreeSet<(String, String, String)>,
    terms: BTreeMap<String, Term>,
    quote: Option<Term>,
    document: Option<String>,
    section: Option<String>,
    notes: BTreeSet<String>,
    because: Option<String>,
    read_from: BTreeSet<String>,
}

fn entity_body(app: &App, ctx: &Ctx, node: &NamedNode) -> Result<(String, Markup)> {
    let t = ctx.text();
    let lang = ctx.lang;
    let labels = app.pages.labels(app)?;
    let iri = node.as_str();
    let title = labels.name(iri, lang);
    let about = select(
        &app.store,
        &format!(
            r#"SELECT DISTINCT ?p ?o WHERE {{ {node} ?p ?o
                 FILTER(?p IN (rdf:type, rdfs:label, skos:altLabel, aikg:acronym) || isIRI(?o)) }}"#
        ),
    )?;
    let mut classes = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut elsewhere = BTreeSet::new();
    for row in &about {
        let (Some(Term::NamedNode(p)), Some(o)) = (row.get("p"), row.get("o")) else {
            continue;
        };
        match (p.as_str(), o) {
            (crate::namespaces::RDF_TYPE, Term::NamedNode(c)) => {
                classes.insert(c.as_str().to_string());
            }
            (_, Term::Literal(l)) if l.value() != title => {
                names.insert((l.language().map(str::to_string), l.value().to_string()));
            }
            (_, Term::NamedNode(o)) if !o.as_str().starts_with(BASE) => {
                elsewhere.insert((p.as_str().to_string(), o.as_str().to_string()));
            }
            _ => {}
        }
    }
    let evidence = evidence(app, node)?;
    let passage = passage_facts(app, ctx, node)?;
    // Entities are drawn; passages, classes and documents are not nodes.
    let drawing = iri
        .starts_with(crate::namespaces::ID)
        .then(|| super::drawing::neighbourhood(app, iri, lang));
    let title = match &passage {
        Some(_) => format!("{} {}", t.passage, iri.rsplit('/').next().unwrap_or(iri)),
        None => title,
    };
    let body = html! {
        h1 { (title) }
        p.classes {
            (t.class) (t.colon)
            @for (i, c) in classes.iter().enumerate() {
                @if i > 0 { ", " }
                (iri_link(&labels, lang, c))
            }
            " · " code { (crate::namespaces::compact(iri).unwrap_or_else(|| iri.to_string())) }
        }
        @if !names.is_empty() {
            p { (t.also_called) (t.colon)
                @for (i, (tag, name)) in names.iter().enumerate() {
                    @if i > 0 { ", " }
                    span lang=[tag.as_deref()] { (name) }
                }
            }
        }
        @if !elsewhere.is_empty() {
            h2 { (t.identifiers) }
            ul.identifiers {
                @for (p, o) in &elsewhere {
                    li { (labels.name(p, lang)) (t.colon) a href=(o) rel="noopener" { (o) } }
                }
            }
        }
        @if let Some(passage) = passage { (passage) }
        @if drawing.is_some() { h2 { (t.neighbourhood) } }
        @match &drawing {
            None => {},
            Some(Ok(super::drawing::Drawing::TooMany(n))) => p {
                (t.too_many.replace("{n}", &n.to_string())) " "
                a href={ "/graph?focus=" (super::encode(iri)) } { (t.explorer) }
            },
            Some(Ok(super::drawing::Drawing::Svg(svg))) => figure.drawing tabindex="0" aria-label=(t.neighbourhood) {
                (PreEscaped(svg.as_str()))
                figcaption.muted { (t.neighbourhood_alt) " " (title) ". "
                    a href={ "/graph?focus=" (super::encode(iri)) } { (t.explorer) } }
            },
            Some(Err(e)) => p.error { (e.to_string()) },
        }
        h2 { (t.facts) }
        @for (graph, e) in &evidence {
            (evidence_block(&labels, ctx, graph, e))
        }
        p.muted { (t.as_data) (t.colon)
            @for (kind, media) in [("Turtle", "turtle"), ("JSON-LD", "jsonld"), ("N-Triples", "ntriples")] {
                a href={ "/sparql?query=" (super::encode(&format!("DESCRIBE <{iri}>"))) "&format=" (media) } { (kind) } " "
            }
        }
    };
    Ok((title, body))
}

/// The facts about the thing in each named graph, with what each graph
/// is (a passage and its quote, or an editor's reading), by graph IRI.
fn evidence(app: &App, node: &NamedNode) -> Result<BTreeMap<String, Evidence>> {
    // The facts `aikg explain` shows, by the graph that states them.
    let rows = select(&app.store, &crate::explain::facts_query(node))?;
    let mut by_graph: BTreeMap<String, Evidence> = BTreeMap::new();
    for row in &rows {
        let (Some(Term::NamedNode(g)), Some(s), Some(p), Some(o)) =
            (row.get("g"), row.get("s"), row.get("p"), row.get("o"))
        else {
            continue;
        };
        if g.as_str() == MERGED_GRAPH {
            continue;
        }
        let e = by_graph.entry(g.as_str().to_string()).or_default();
        let key = |t: &Term| t.to_string();
        e.facts.insert((key(s), key(p), key(o)));
        for t in [s, p, o] {
            e.terms.insert(key(t), t.clone());
        }
    }
    for (graph, e) in by_graph.iter_mut() {
        describe_graph(app, &NamedNode::new_unchecked(graph.as_str()), e)?;
    }
    Ok(by_graph)
}

/// What a named graph is: a passage (quote, document, section, doubts) or
/// an editor's reading (why, read from which passages).
fn describe_graph(app: &App, g: &NamedNode, e: &mut Evidence) -> Result<()> {
    let rows = select(
        &app.store,
        &format!(
            r#"SELECT ?quote ?doc ?section ?note ?because ?from WHERE {{
              {{ {g} aikg:quote ?quote }} UNION {{ {g} aikg:inDocument ?doc }}
              UNION {{ {g} aikg:section ?section }} UNION {{ {g} skos:editorialNote ?note }}
              UNION {{ {g} aikg:because ?because }} UNION {{ {g} aikg:readFrom ?from }}
            }}"#
        ),
    )?;
    for row in &rows {
        let text = |name: &str| {
            row.get(name).map(|t| match t {
                Term::Literal(l) => l.value().to_string(),
                Term::NamedNode(n) => n.as_str().to_string(),
                other => other.to_string(),
            })
        };
        if let Some(q) = row.get("quote") {
            e.quote = Some(q.clone());
        }
        e.document = e.document.take().or(text("doc"));
        e.section = e.section.take().or(text("section"));
        e.because = e.because.take().or(text("because"));
        e.notes.extend(text("note"));
        e.read_from.extend(text("from"));
    }
    Ok(())
}

/// One graph's facts: the quote of the passage (or the reading, marked as
/// the editor's), its document and section, doubts, and the facts.
fn evidence_block(labels: &Labels, ctx: &Ctx, graph: &str, e: &Evidence) -> Markup {
    let t = ctx.text();
    let lang = ctx.lang;
    let anchor = graph.rsplit('/').next().unwrap_or(graph);
    let reading = e.because.is_some();
    html! {
        section.evidence.reading[reading] id={ "g-" (anchor) } {
            @if let Some(quote) = &e.quote {
                blockquote { (term(labels, lang, quote)) }
                p.muted {
                    "— " (t.passage) " " a href=(super::page_of(graph)) { (anchor) }
                    @if let Some(doc) = &e.document {
                        ", " a href={ (super::sources::path_of(doc)) "#" (anchor) } { (labels.name(doc, lang)) }
                    }
                    @if let Some(section) = &e.section { ", " (t.section) " " (section) }
                }
            }
            @if let Some(because) = &e.because {
                p { strong.reading-label { (t.reading) } " (" (anchor) ") : " span lang="en" { (because) } }
                @if !e.read_from.is_empty() {
                    p.muted { (t.reading_from) " "
                        @for (i, from) in e.read_from.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href=(super::page_of(from)) { (from.rsplit('/').next().unwrap_or(from)) }
                        }
                    }
                }
            }
            @if e.quote.is_none() && e.because.is_none() {
                p.muted { (t.unsourced) " — " code { (graph) } }
            }
            @for note in &e.notes {
                p.doubt { strong { (t.doubt) } (t.colon) span lang="en" { (note) } }
            }
            (fact_table(labels, lang, t, e.facts.iter().map(|(s, p, o)| (&e.terms[s], &e.terms[p], &e.terms[o]))))
        }
    }
}

/// Facts as a table of subject, relation, object.
pub fn fact_table<'a>(
    labels: &Labels,
    lang: Lang,
    t: &super::i18n::Text,
    facts: impl Iterator<Item = (&'a Term, &'a Term, &'a Term)>,
) -> Markup {
    html! {
        table {
            thead { tr { th scope="col" { (t.subject) } th scope="col" { (t.predicate) } th scope="col" { (t.object) } } }
            tbody {
                @for (s, p, o) in facts {
                    tr {
                        td { (term(labels, lang, s)) }
                        td { @match p { Term::NamedNode(p) => (predicate(labels, lang, p.as_str())), _ => (p.to_string()) } }
                        td { (term(labels, lang, o)) }
                    }
                }
            }
        }
    }
}

/// A relation by its label, `a` for rdf:type.
fn predicate(labels: &Labels, lang: Lang, iri: &str) -> Markup {
    if iri == crate::namespaces::RDF_TYPE {
        return html! { "a" };
    }
    if iri.starts_with(AIKG) {
        return iri_link(labels, lang, iri);
    }
    html! { span title=(iri) { (labels.name(iri, lang)) } }
}

/// On a passage's page (or a reading's): its quote, where it is, and the
/// facts it states, the way from a sentence back to the graph.
fn passage_facts(app: &App, ctx: &Ctx, node: &NamedNode) -> Result<Option<Markup>> {
    let rows = select(
        &app.store,
        &format!("SELECT ?s ?p ?o WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}"),
    )?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut e = Evidence::default();
    for row in &rows {
        let (Some(s), Some(p), Some(o)) = (row.get("s"), row.get("p"), row.get("o")) else {
            continue;
        };
        e.facts
            .insert((s.to_string(), p.to_string(), o.to_string()));
        for t in [s, p, o] {
            e.terms.insert(t.to_string(), t.clone());
        }
    }
    describe_graph(app, node, &mut e)?;
    let labels = app.pages.labels(app)?;
    Ok(Some(html! {
        section #passage-facts {
            h2 { (ctx.text().passage_facts) }
            (evidence_block(&labels, ctx, node.as_str(), &e))
        }
    }))
}
