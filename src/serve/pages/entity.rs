//! A thing's page at its own IRI's path (`/id/KAIST`, `/source/kr-046`,
//! else `/resource?iri=`): for browsers, its labels, classes, external
//! identifiers, neighbourhood drawn, and every fact grouped by the passage
//! that states it with the exact quote (as `aikg explain`), the editor's
//! doubts and readings shown as such, and apart from them what the ontology
//! implies (each inferred fact with its proof, as `aikg explain` gives it:
//! the rule, and the premises down to the passages that state them); for
//! RDF clients (`Accept`), its triples in Turtle, JSON-LD, N-Triples or
//! RDF/XML.

use super::i18n::Lang;
use super::labels::Labels;
use super::layout::{iri_link, page, term};
use super::{cached_page, Ctx};
use crate::error::Result;
use crate::namespaces::{AIKG, BASE};
use crate::query::{self, select, OutputFormat, Query};
use crate::reason::explain::{InferredFact, Premise, Proof, Source};
use crate::reason::INFERRED_GRAPH;
use crate::store::MERGED_GRAPH;
use maud::{html, Markup, PreEscaped};
use oxhttp::model::header::{ACCEPT, CONTENT_TYPE, LOCATION, VARY};
use oxhttp::model::{Body, Request, Response, StatusCode};
use oxigraph::model::{GraphNameRef, NamedNode, Term};
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
                 FILTER(?p IN (rdf:type, rdfs:label, skos:altLabel, aikg:acronym) || isIRI(?o))
                 FILTER NOT EXISTS {{ GRAPH <{INFERRED_GRAPH}> {{ {node} ?p ?o }} }} }}"#
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
    let inferred = inferred(app, node);
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
        @match &inferred {
            Ok(Some((rules, facts))) => (inferred_section(&Shown { labels: &labels, ctx, documents: &documents_by_file(app)? }, iri, rules, facts, &evidence)),
            Ok(None) => {},
            Err(e) => section #inferred .inferred { h2 { (t.inferred) } p.error role="alert" { (e.to_string()) } },
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
        // The inferred facts are shown apart, each with its proof.
        if g.as_str() == MERGED_GRAPH
            || crate::reason::is_reasoning_graph(GraphNameRef::NamedNode(g.as_ref()))
        {
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

/// What the ontology implies about the thing, with the rules it is
/// reasoned with (`None`: reasoning is off for this store, or implies
/// nothing about it): the facts and proofs `aikg explain` gives. A store
/// `aikg load` reasoned on says with which rules; the bundled (or
/// `--data`) graph, which the server reads without materialising what it
/// implies, is reasoned on as every other command does by default.
fn inferred(app: &App, node: &NamedNode) -> Result<Option<(String, Vec<InferredFact>)>> {
    use crate::reason::{Reasoning, View};
    let mut view = crate::reason::open_view(&app.store, Reasoning::Default)?;
    if view.rules.is_none() && crate::store::has_merged_graph(&app.store)? {
        view = View {
            rules: Some(Reasoning::DEFAULT_RULES),
        };
    }
    let Some(rules) = view.rules.map(|r| r.name()) else {
        return Ok(None);
    };
    let facts = crate::reason::explain::inferred_about(&app.store, node, view)?;
    Ok((!facts.is_empty()).then_some((rules, facts)))
}

/// The inferred facts, apart from the stated ones and marked as inferred,
/// each opening onto its proof. A passage is quoted once on the page: the
/// passages of the stated facts above are linked to, not quoted again.
fn inferred_section(
    shown: &Shown<'_>,
    iri: &str,
    rules: &str,
    facts: &[InferredFact],
    stated: &BTreeMap<String, Evidence>,
) -> Markup {
    let (labels, ctx) = (shown.labels, shown.ctx);
    let t = ctx.text();
    let mut quoted: BTreeSet<String> = stated
        .iter()
        .filter(|(_, e)| e.quote.is_some())
        .map(|(g, _)| g.clone())
        .collect();
    // A hub (a country) is the object of many inferred facts: their proofs
    // are on their subjects' pages, linked to, so that the page stays light.
    let (own, inbound): (Vec<&InferredFact>, Vec<&InferredFact>) = facts
        .iter()
        .partition(|f| iri_of_shown(&f.fact.subject).as_deref() == Some(iri));
    let proved_here = |f: &&InferredFact| {
        inbound.len() <= PROOFS_OF_INBOUND || own.iter().any(|o| std::ptr::eq(*o, *f))
    };
    html! {
        section #inferred .inferred {
            h2 { (t.inferred) }
            p.muted { (t.inferred_intro.replace("{rules}", rules)) }
            ul.inferred-facts {
                @for f in facts.iter().filter(proved_here) {
                    li {
                        details {
                            // No link in a summary (a control in a control):
                            // the fact's names are linked in its proof.
                            summary {
                                span.inferred-mark { (t.inferred_mark) } " "
                                span.fact { (fact_words(labels, ctx.lang, &f.fact)) }
                            }
                            (proof_block(shown, &f.proof, &mut quoted))
                        }
                    }
                }
                @for f in facts.iter().filter(|f| !proved_here(f)) {
                    li {
                        span.inferred-mark { (t.inferred_mark) } " "
                        (shown_fact(labels, ctx.lang, &f.fact)) " — "
                        @if let Some(subject) = iri_of_shown(&f.fact.subject) {
                            a href={ (super::page_of(&subject)) "#inferred" } { (t.proof_there) }
                        }
                    }
                }
            }
        }
    }
}

/// What showing a proof needs: names, the page's language, and the source
/// documents by file name (a proof names a passage's document by its file).
struct Shown<'a> {
    labels: &'a Labels,
    ctx: &'a Ctx,
    documents: &'a BTreeMap<String, String>,
}

/// The source documents' IRIs by file name.
fn documents_by_file(app: &App) -> Result<BTreeMap<String, String>> {
    Ok(super::home::documents(app)?
        .into_iter()
        .map(|(iri, file)| (file, iri))
        .collect())
}

/// Above this many inferred facts whose object the thing is, their proofs
/// are left to their subjects' pages.
const PROOFS_OF_INBOUND: usize = 30;

/// One step of a proof: why (the rule, naming the axiom), then its premises,
/// stated (with their passages) or inferred in turn (with their proof).
fn proof_block(shown: &Shown<'_>, proof: &Proof, quoted: &mut BTreeSet<String>) -> Markup {
    let (labels, ctx) = (shown.labels, shown.ctx);
    let t = ctx.text();
    let (because, because_lang) = because(&proof.because, ctx.lang);
    html! {
        div.proof {
            p.because { (t.because) " " span lang=(because_lang) { (because) } " " small { "(" code { (proof.rule) } ")" } }
            ul {
                @for premise in &proof.premises {
                    li {
                        @match premise {
                            Premise::Stated { fact, sources } => {
                                (shown_fact(labels, ctx.lang, fact))
                                ul.sources {
                                    // The merge of the sources' graphs is no source.
                                    @for source in sources.iter().filter(|s| s.graph != MERGED_GRAPH) {
                                        li { (source_block(shown, source, quoted)) }
                                    }
                                }
                            }
                            Premise::Inferred { fact, proof } => {
                                (shown_fact(labels, ctx.lang, fact)) " "
                                span.inferred-mark { (t.inferred_mark) }
                                (proof_block(shown, proof, quoted))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Where a premise is stated: the ontology, a passage (quoted the first
/// time, linked to after), or another graph.
fn source_block(shown: &Shown<'_>, source: &Source, quoted: &mut BTreeSet<String>) -> Markup {
    let t = shown.ctx.text();
    let graph = source.graph.as_str();
    if graph == crate::store::ONTOLOGY_GRAPH {
        return html! { "— " (t.the_ontology) };
    }
    if graph.is_empty() {
        return html! { "— " (t.default_graph) };
    }
    let anchor = graph.rsplit('/').next().unwrap_or(graph);
    let Some(quote) = &source.quote else {
        return html! { "— " code { (graph) } };
    };
    let first = quoted.insert(graph.to_string());
    html! {
        "— " (t.passage) " " a href=(super::page_of(graph)) { (anchor) }
        @match source.document.as_ref().map(|file| (file, shown.documents.get(file))) {
            Some((_, Some(doc))) => {
                ", " a href={ (super::sources::path_of(doc)) "#" (anchor) } { (shown.labels.name(doc, shown.ctx.lang)) }
            }
            Some((file, None)) => { ", " (file) }
            None => {}
        }
        @if let Some(section) = &source.section { ", " (t.section) " " (section) }
        @if first {
            blockquote { (quote) }
        } @else {
            " (" a href={ "#g-" (anchor) } { (t.quoted_above) } ")"
        }
    }
}

/// A fact as `aikg explain` writes it (`id:ETRI (Electronics…)`,
/// `aikg:locatedIn`, `"2019"^^xsd:gYear`), its IRIs linked and named in the
/// page's language.
fn shown_fact(labels: &Labels, lang: Lang, fact: &crate::explain::Fact) -> Markup {
    let predicate_iri = crate::namespaces::expand(&fact.predicate);
    html! {
        span.fact {
            (shown_term(labels, lang, &fact.subject)) " · "
            @match &predicate_iri {
                Some(iri) => (predicate(labels, lang, iri)),
                None => (fact.predicate),
            }
            " · " (shown_term(labels, lang, &fact.object))
        }
    }
}

/// A fact as words: its terms by their names in the page's language.
fn fact_words(labels: &Labels, lang: Lang, fact: &crate::explain::Fact) -> String {
    let name = |shown: &str| match iri_of_shown(shown) {
        Some(iri) if iri == crate::namespaces::RDF_TYPE => "a".to_string(),
        Some(iri) => labels.name(&iri, lang),
        None => shown.to_string(),
    };
    format!(
        "{} · {} · {}",
        name(&fact.subject),
        name(&fact.predicate),
        name(&fact.object)
    )
}

/// A term as `aikg explain` shows it, back to a link when it names an IRI.
fn shown_term(labels: &Labels, lang: Lang, shown: &str) -> Markup {
    match iri_of_shown(shown) {
        Some(iri) => iri_link(labels, lang, &iri),
        None => html! { (shown) },
    }
}

/// The IRI a term as `aikg explain` shows it names (`id:ETRI (Electronics…)`,
/// `<https://…>`), if it names one (not a literal or a blank node).
fn iri_of_shown(shown: &str) -> Option<String> {
    if shown.starts_with('"') || shown.starts_with("_:") {
        return None;
    }
    let name = shown.split(" (").next().unwrap_or(shown);
    match name.strip_prefix('<').and_then(|n| n.strip_suffix('>')) {
        Some(iri) => Some(iri.to_string()),
        None => crate::namespaces::expand(name),
    }
}

/// Why a rule applies, in the page's language when the words are known
/// (the axioms' names stay as they are); with the language of the words.
fn because(text: &str, lang: Lang) -> (String, &'static str) {
    if lang == Lang::En {
        return (text.to_string(), "en");
    }
    const FRENCH: &[(&str, &str, &str)] = &[
        ("", " is transitive", " est transitive"),
        ("", " is symmetric", " est symétrique"),
        ("", " is the inverse of ", " est l’inverse de "),
        ("the domain of ", " is ", "le domaine de {} est "),
        ("the range of ", " is ", "l’image de {} est "),
        ("", " is the same as ", " est le même que "),
    ];
    for (start, middle, french) in FRENCH {
        let Some(rest) = text.strip_prefix(start) else {
            continue;
        };
        let Some((before, after)) = rest.split_once(middle) else {
            continue;
        };
        if before.contains(' ') {
            continue;
        }
        return if start.is_empty() {
            (format!("{before}{french}{after}"), "fr")
        } else {
            (format!("{}{after}", french.replace("{}", before)), "fr")
        };
    }
    // An axiom as a triple (`aikg:ResearchInstitute rdfs:subClassOf
    // aikg:Organization`) reads the same in both languages.
    if text.split(' ').count() == 3 && !text.contains('\'') {
        return (text.to_string(), "fr");
    }
    (text.to_string(), "en")
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
