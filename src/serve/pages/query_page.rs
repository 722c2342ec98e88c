//! `/query`: the SPARQL editor (prefixes predeclared), the named queries to
//! start from with their parameters as typed form fields, results as a
//! table (IRIs linked to their pages, shown by their labels), downloads in
//! every result format, and errors shown at their position in the editor.

use super::labels::Labels;
use super::layout::{page, term};
use super::{html, Ctx};
use crate::error::Error;
use crate::named_query::{NamedQuery, ParamType};
use crate::query::{self, Answer, EvalOptions, Query};
use maud::{html, Markup};
use oxhttp::model::{Body, Request, Response, StatusCode};

use super::super::App;

/// Rows shown in the page; the downloads have them all.
const SHOWN_ROWS: usize = 1000;

const EXAMPLE: &str = "SELECT ?university ?label WHERE {\n  ?university a aikg:University ; rdfs:label ?label .\n  FILTER(LANG(?label) = \"en\")\n}\nORDER BY ?label";

/// `/query`.
pub fn query(app: &App, request: &mut Request<Body>) -> Response<Body> {
    if let Some(refused) = super::only_reads(request) {
        return refused;
    }
    let ctx = Ctx::new(request);
    let t = ctx.text();
    let named = ctx
        .param("name")
        .and_then(|name| app.named.iter().find(|q| q.name == name));
    if let (Some(name), None) = (ctx.param("name"), named) {
        let body = html! { h1 { (t.not_found) } p { code { (name) } } p { a href="/query" { (t.query) } } };
        return html(StatusCode::NOT_FOUND, page(&ctx, t.not_found, body));
    }
    let labels = match app.pages.labels(app) {
        Ok(labels) => labels,
        Err(e) => {
            let (status, markup) = super::failure(&ctx, &e);
            return html(status, markup);
        }
    };
    let run = ctx.param("run").is_some();
    let (status, body) = match named {
        Some(q) => named_page(app, &ctx, &labels, q, run),
        None => editor_page(app, &ctx, &labels, run),
    };
    html(status, page(&ctx, t.query, body))
}

/// The form field of a parameter: `p-NAME`, apart from the page's own
/// parameters (a query's `lang` is not the page's language).
fn field(name: &str) -> String {
    format!("p-{name}")
}

/// The values given for a named query's parameters (empty ones left out).
fn given(ctx: &Ctx, q: &NamedQuery) -> Vec<(String, String)> {
    q.params
        .iter()
        .filter_map(|p| {
            ctx.param(&field(&p.name))
                .map(|v| (p.name.clone(), v.to_string()))
        })
        .collect()
}

fn named_page(
    app: &App,
    ctx: &Ctx,
    labels: &Labels,
    q: &NamedQuery,
    run: bool,
) -> (StatusCode, Markup) {
    let t = ctx.text();
    let values = given(ctx, q);
    let outcome = run.then(|| {
        q.bind(&app.graph(), &values)
            .and_then(|(query, bindings)| evaluate(app, &query, &bindings))
    });
    let status = match &outcome {
        Some(Err(_)) => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let body = html! {
        h1 { (q.title) }
        p.muted { (q.description) }
        form.params action="/query" method="get" {
            input type="hidden" name="name" value=(q.name);
            input type="hidden" name="run" value="1";
            @if !q.params.is_empty() { h2 { (t.parameters) } }
            @for p in &q.params {
                p {
                    label for={ "param-" (p.name) } { (p.name) }
                    " "
                    input id={ "param-" (p.name) } name=(field(&p.name)) type=(input_type(p.kind))
                        value=(ctx.param(&field(&p.name)).unwrap_or(""))
                        required[!p.optional] aria-describedby={ "help-" (p.name) };
                    " "
                    small id={ "help-" (p.name) } { (p.kind.name()) @if p.optional { ", " (t.optional) } " — " (p.description) }
                }
            }
            button type="submit" { (t.run) }
        }
        @match &outcome {
            Some(Ok(answer)) => {
                (results(labels, ctx, answer))
                (downloads(ctx, answer, &format!("/queries/{}", q.name), &values))
            }
            Some(Err(e)) => p.error role="alert" { strong { (t.error) } (t.colon) (e.to_string()) },
            None => {}
        }
        details {
            summary { "SPARQL" }
            pre { code { (q.text) } }
        }
    };
    (status, body)
}

/// The input that fits a parameter's type.
fn input_type(kind: ParamType) -> &'static str {
    match kind {
        ParamType::Integer | ParamType::Decimal | ParamType::GYear => "number",
        ParamType::Date => "date",
        ParamType::GYearMonth => "month",
        ParamType::Iri => "url",
        ParamType::Entity | ParamType::Class | ParamType::String => "text",
    }
}

fn editor_page(app: &App, ctx: &Ctx, labels: &Labels, run: bool) -> (StatusCode, Markup) {
    let t = ctx.text();
    let text = ctx.param("query").unwrap_or(EXAMPLE).to_string();
    let outcome = run.then(|| Query::parse(&text, "query").and_then(|q| evaluate(app, &q, &[])));
    let position = match &outcome {
        Some(Err(Error::QuerySyntax { line, column, .. })) => Some((*line, *column)),
        _ => None,
    };
    let status = match &outcome {
        Some(Err(_)) => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let body = html! {
        h1 { (t.query) }
        form action="/query" method="get" {
            input type="hidden" name="run" value="1";
            label for="editor" { h2 { (t.editor) } }
            textarea #editor name="query" spellcheck="false"
                data-error-line=[position.map(|p| p.0)] data-error-column=[position.map(|p| p.1)]
                aria-invalid=[position.map(|_| "true")] aria-describedby=[position.map(|_| "query-error")] { (text) }
            p { button type="submit" { (t.run) } }
        }
        @match &outcome {
            Some(Ok(answer)) => {
                (results(labels, ctx, answer))
                (downloads(ctx, answer, "/sparql", &[("query".to_string(), text.clone())]))
            }
            Some(Err(e)) => div #query-error.error role="alert" {
                strong { (t.error) } (t.colon) (e.to_string())
                @if let Some((line, column)) = position { (pointer(&text, line, column)) }
            },
            None => {}
        }
        h2 { (t.start_from) }
        ul.columns { @for q in &app.named { li { a href={ "/query?name=" (super::encode(&q.name)) } { (q.title) } } } }
        details {
            summary { (t.prefixes) }
            pre { @for (prefix, ns) in crate::namespaces::PREFIXES { (prefix) ": <" (ns) ">\n" } }
        }
    };
    (status, body)
}

/// The line of the error with a caret under its column (without
/// JavaScript; with it, the editor's caret is put there too).
fn pointer(text: &str, line: u32, column: u32) -> Markup {
    let Some(source_line) = text.lines().nth(line.saturating_sub(1) as usize) else {
        return html! {};
    };
    let pad: String = source_line
        .chars()
        .take(column.saturating_sub(1) as usize)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    html! { pre { (line) ": " (source_line) "\n" (" ".repeat(line.to_string().len() + 2)) (pad) span.caret { "^" } } }
}

fn evaluate(
    app: &App,
    query: &Query,
    bindings: &[(oxigraph::model::Variable, oxigraph::model::Term)],
) -> crate::error::Result<Answer> {
    let options = EvalOptions {
        services: app.services.clone(),
        limits: query::Limits {
            timeout: Some(app.timeout),
            max_rows: app.max_results,
            stop_at_max: false,
        },
        ..EvalOptions::default()
    };
    query::evaluate_with(&app.store, query, bindings, &options)
}

/// The answer as a table (SELECT), a sentence (ASK) or triples.
fn results(labels: &Labels, ctx: &Ctx, answer: &Answer) -> Markup {
    let t = ctx.text();
    let lang = ctx.lang;
    match answer {
        Answer::Solutions { variables, rows } => html! {
            h2 #results tabindex="-1" { (t.results) " (" (rows.len()) " " (t.rows) ")" }
            table #result-table {
                thead { tr { @for v in variables { th scope="col" { (v.as_str()) } } } }
                tbody {
                    @for row in rows.iter().take(SHOWN_ROWS) {
                        tr { @for v in variables { td { @if let Some(value) = row.get(v) { (term(labels, lang, value)) } } } }
                    }
                }
            }
        },
        Answer::Boolean(b) => {
            html! { h2 #results tabindex="-1" { (t.results) } p { strong { (b) } } }
        }
        Answer::Graph(triples) => html! {
            h2 #results tabindex="-1" { (t.results) " (" (triples.len()) ")" }
            @let terms: Vec<[oxigraph::model::Term; 3]> = triples.iter().map(|tr| [tr.subject.clone().into(), tr.predicate.clone().into(), tr.object.clone()]).collect();
            (super::entity::fact_table(labels, lang, t, terms.iter().take(SHOWN_ROWS).map(|[s, p, o]| (s, p, o))))
        },
    }
}

/// Links to the same answer in every format it has.
fn downloads(ctx: &Ctx, answer: &Answer, path: &str, pairs: &[(String, String)]) -> Markup {
    let formats: &[(&str, &str)] = match answer {
        Answer::Graph(_) => &[
            ("turtle", "Turtle"),
            ("ntriples", "N-Triples"),
            ("jsonld", "JSON-LD"),
            ("rdfxml", "RDF/XML"),
        ],
        _ => &[
            ("csv", "CSV"),
            ("tsv", "TSV"),
            ("json", "JSON"),
            ("xml", "XML"),
        ],
    };
    html! {
        p.downloads { (ctx.text().download) (ctx.text().colon)
            @for (name, shown) in formats {
                a href={ (path) "?" (super::query_string(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).chain([("format", *name)]))) } download { (shown) } " "
            }
        }
    }
}
