//! `/`: the search box, the classes to browse with their counts, the named
//! queries by title, the source documents; `/search` (the results without
//! JavaScript, or a class's members) and `/api/search` (the suggestions),
//! both found by the search index as `aikg search` finds them.

use super::i18n::Lang;
use super::layout::{iri_link, page};
use super::{cached_page, html, Ctx};
use crate::query::select;
use crate::search::rank::{query_words, TextError};
use crate::search::{Hit, NameKind, SearchOptions, SearchResult, Tier};
use maud::{html, Markup};
use oxhttp::model::header::{ACCEPT, CONTENT_TYPE};
use oxhttp::model::{Body, Request, Response, StatusCode};
use oxigraph::model::Term;

use super::super::App;

/// Suggestions sent while typing.
const SUGGESTIONS: usize = 8;

/// Entities listed on `/search`.
const RESULTS: usize = 100;

/// `/`: the home page for browsers; the endpoint's text index for other
/// clients (`curl`, scripts), as before the pages.
pub fn home(app: &App, request: &mut Request<Body>) -> Response<Body> {
    if let Some(refused) = super::only_reads(request) {
        return refused;
    }
    let accept = super::http::header(request, ACCEPT);
    let wants_html =
        super::super::negotiate::choose(accept, &[("text/plain", false), ("text/html", true)])
            .is_some_and(|(_, html)| html);
    if !wants_html {
        return super::super::index(app, request);
    }
    let ctx = Ctx::new(request);
    cached_page(
        app,
        &format!("/\n{}", ctx.lang.code()),
        || match home_body(app, &ctx) {
            Ok(body) => (StatusCode::OK, page(&ctx, ctx.text().home, body)),
            Err(e) => super::failure(&ctx, &e),
        },
    )
}

/// The search form (the box the suggestions hang from).
pub fn search_form(ctx: &Ctx, value: &str) -> Markup {
    let t = ctx.text();
    html! {
        form.search role="search" action="/search" method="get" {
            label for="q" { (t.search_label) }
            input #q type="search" name="q" value=(value) autocomplete="off"
                role="combobox" aria-autocomplete="list" aria-expanded="false"
                aria-controls="suggestions" aria-describedby="q-hint";
            " "
            button type="submit" { (t.search_button) }
            ul #suggestions role="listbox" aria-label=(t.search_label) {}
            p #q-hint.muted { (t.search_hint) }
        }
    }
}

fn home_body(app: &App, ctx: &Ctx) -> crate::error::Result<Markup> {
    let t = ctx.text();
    let labels = app.pages.labels(app)?;
    let classes = select(
        &app.store,
        r#"SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
             ?s a ?class FILTER(STRSTARTS(STR(?class), STR(aikg:)) && STRSTARTS(STR(?s), STR(id:)))
           } GROUP BY ?class"#,
    )?;
    let mut classes: Vec<(String, String, String)> = classes
        .iter()
        .filter_map(|row| match (row.get("class"), row.get("n")) {
            (Some(Term::NamedNode(c)), Some(Term::Literal(n))) => Some((
                labels.name(c.as_str(), ctx.lang),
                c.as_str().to_string(),
                n.value().to_string(),
            )),
            _ => None,
        })
        .collect();
    classes.sort_by_key(|(name, _, _)| crate::search::normalize::fold(name));
    let documents = documents(app)?;
    Ok(html! {
        h1 { (t.site) }
        p.muted { (t.intro) }
        (search_form(ctx, ""))
        h2 { (t.classes) }
        ul.columns {
            @for (name, iri, count) in &classes {
                li { a href={ "/search?class=" (super::encode(iri)) } { (name) } " " small { "(" (count) ")" } }
            }
        }
        h2 { (t.named_queries) }
        ul {
            @for q in &app.named {
                li { a href={ "/query?name=" (super::encode(&q.name)) } { (q.title) } }
            }
        }
        h2 { (t.documents) }
        ul {
            @for (iri, _) in &documents {
                li { a href=(super::sources::path_of(iri)) { (labels.name(iri, ctx.lang)) } }
            }
        }
    })
}

/// The source documents: (IRI, file name), sorted by IRI.
pub fn documents(app: &App) -> crate::error::Result<Vec<(String, String)>> {
    let rows = select(
        &app.store,
        "SELECT DISTINCT ?d ?file WHERE { ?d a aikg:Document ; aikg:fileName ?file } ORDER BY ?d",
    )?;
    Ok(rows
        .iter()
        .filter_map(|row| match (row.get("d"), row.get("file")) {
            (Some(Term::NamedNode(d)), Some(Term::Literal(f))) => {
                Some((d.as_str().to_string(), f.value().to_string()))
            }
            _ => None,
        })
        .collect())
}

/// `/search?q=` (names) or `/search?class=` (a class's members).
pub fn search(app: &App, request: &mut Request<Body>) -> Response<Body> {
    if let Some(refused) = super::only_reads(request) {
        return refused;
    }
    let ctx = Ctx::new(request);
    let t = ctx.text();
    let result = (|| -> crate::error::Result<Markup> {
        let labels = app.pages.labels(app)?;
        if let Some(class) = ctx.param("class") {
            let node = oxigraph::model::NamedNode::new(class).map_err(|e| {
                crate::error::Error::usage(
                    format!("`{class}` is not an IRI: {e}"),
                    "pick a class from the home page",
                )
            })?;
            let rows = select(
                &app.store,
                &format!("SELECT DISTINCT ?s WHERE {{ ?s a {node} FILTER(isIRI(?s)) }}"),
            )?;
            let mut members: Vec<(String, String)> = rows
                .iter()
                .filter_map(|r| match r.get("s") {
                    Some(Term::NamedNode(s)) => Some((
                        crate::search::normalize::fold(&labels.name(s.as_str(), ctx.lang)),
                        s.as_str().to_string(),
                    )),
                    _ => None,
                })
                .collect();
            members.sort();
            return Ok(html! {
                h1 { (t.members) " " (labels.name(class, ctx.lang)) }
                ul.columns { @for (_, iri) in &members { li { (iri_link(&labels, ctx.lang, iri)) } } }
            });
        }
        let q = ctx.param("q").unwrap_or("");
        let found = find(app, q, RESULTS)?;
        Ok(html! {
            h1 { (t.results_for) " « " (q) " »" }
            (search_form(&ctx, q))
            @for note in &found.notes { p.muted { (note) } }
            @if found.hits.is_empty() { p { (t.no_results) } }
            ul #results {
                @for hit in &found.hits {
                    li {
                        (iri_link(&labels, ctx.lang, &hit.iri))
                        @if let Some(kind) = labels.kind(&hit.iri) { " " small { "— " (labels.name(kind, ctx.lang)) } }
                        br;
                        small.muted.why { (why(hit, ctx.lang)) }
                    }
                }
            }
        })
    })();
    match result {
        Ok(body) => html(StatusCode::OK, page(&ctx, t.search_button, body)),
        Err(e) => {
            let (status, markup) = super::failure(&ctx, &e);
            html(status, markup)
        }
    }
}

/// `/api/search?q=`: the suggestions, best first, as JSON: the hits of
/// `aikg search --format json` (rank, iri, id, label, classes, matched,
/// tier, prefixes, typos, score, degree), with the entity's `page` on this
/// server, its `label` and `kind` (most specific class) in the page's
/// language, and `why` it matched as `aikg search` prints it. Nothing to
/// search for yet (an empty text, punctuation) is an empty list; a text
/// too long is a 400 `{"error": ...}`.
pub fn api_search(app: &App, request: &mut Request<Body>) -> Response<Body> {
    if let Some(refused) = super::only_reads(request) {
        return refused;
    }
    let ctx = Ctx::new(request);
    let found = app.pages.labels(app).and_then(|labels| {
        Ok((
            labels,
            find(app, ctx.param("q").unwrap_or(""), SUGGESTIONS)?,
        ))
    });
    let (status, answer) = match found {
        Ok((labels, found)) => {
            let hits: Vec<serde_json::Value> = found
                .hits
                .iter()
                .map(|hit| {
                    let mut value = serde_json::to_value(hit).expect("a hit is JSON");
                    value["page"] = super::page_of(&hit.iri).into();
                    value["label"] = labels.name(&hit.iri, ctx.lang).into();
                    value["kind"] = labels
                        .kind(&hit.iri)
                        .map(|c| labels.name(c, ctx.lang))
                        .into();
                    value["why"] = hit.why().into();
                    value
                })
                .collect();
            (StatusCode::OK, serde_json::Value::from(hits))
        }
        Err(e) => (
            super::http::library_error(&e).status(),
            serde_json::json!({ "error": e.to_string() }),
        ),
    };
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::to_vec(&answer).expect("JSON values"),
        ))
        .expect("a valid response")
}

/// The entities whose names match `text`, best first, as `aikg search`
/// finds them. A text with nothing to search for yet (empty, only
/// punctuation: the first keys typed) finds nothing; one too long to be a
/// name is an error.
fn find(app: &App, text: &str, limit: usize) -> crate::error::Result<SearchResult> {
    if let Err(TextError::Empty | TextError::NoWords) = query_words(text) {
        return Ok(SearchResult::default());
    }
    let options = SearchOptions {
        limit,
        ..SearchOptions::default()
    };
    app.pages.search_index(app)?.search(text, &options)
}

/// Why an entity matched, in the page's language (`aikg search`'s words
/// in English).
fn why(hit: &Hit, lang: Lang) -> String {
    if lang == Lang::En {
        return hit.why();
    }
    let kind = match hit.matched.kind {
        NameKind::Label => "libellé",
        NameKind::Alias => "autre nom",
        NameKind::Acronym => "sigle",
        NameKind::Iri => "fin de l’IRI",
    };
    let mut how = vec![match hit.tier {
        Tier::Exact | Tier::Alias | Tier::Acronym | Tier::Iri => "nom entier",
        Tier::Words => "tous les mots",
        Tier::Fuzzy => "avec des fautes",
        Tier::Partial => "une partie des mots",
    }
    .to_string()];
    let count = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if hit.prefixes > 0 {
        how.push(count(hit.prefixes, "début de mot", "débuts de mots"));
    }
    if hit.typos > 0 {
        how.push(count(hit.typos, "faute de frappe", "fautes de frappe"));
    }
    let tag = hit
        .matched
        .lang
        .as_deref()
        .map_or(String::new(), |l| format!("@{l}"));
    format!(
        "{kind} «\u{a0}{}\u{a0}»{tag}\u{a0}: {}",
        hit.matched.text,
        how.join(", ")
    )
}
