//! `/sources` and `/sources/{doc}`: each source document's text, every
//! passage the graph quotes from it marked where it stands and linked to
//! the facts it states — the way back from a sentence to the graph.

use super::layout::page;
use super::{html, Ctx};
use crate::error::{Error, Result};
use crate::namespaces::SRC;
use crate::query::select;
use maud::{html, Markup};
use oxhttp::model::{Body, Request, Response, StatusCode};
use oxigraph::model::{NamedNode, Term};

use super::super::App;

/// The page of a document (its text), for the documents of aikg's sources.
pub fn path_of(document: &str) -> String {
    match document.strip_prefix(SRC) {
        Some(name) if !name.is_empty() && !name.contains(['/', '#', '?']) => {
            format!("/sources/{name}")
        }
        _ => super::page_of(document),
    }
}

/// `/sources`: the documents.
pub fn list(app: &App, request: &mut Request<Body>) -> Response<Body> {
    if let Some(refused) = super::only_reads(request) {
        return refused;
    }
    let ctx = Ctx::new(request);
    let t = ctx.text();
    let result = (|| -> Result<Markup> {
        let labels = app.pages.labels(app)?;
        let documents = super::home::documents(app)?;
        Ok(html! {
            h1 { (t.documents) }
            ul { @for (iri, file) in &documents {
                li { a href=(path_of(iri)) { (labels.name(iri, ctx.lang)) } " " small { "(" (file) ")" } }
            } }
        })
    })();
    respond(&ctx, t.sources, result)
}

fn respond(ctx: &Ctx, title: &str, result: Result<Markup>) -> Response<Body> {
    match result {
        Ok(body) => html(StatusCode::OK, page(ctx, title, body)),
        Err(e) => {
            let (status, markup) = super::failure(ctx, &e);
            html(status, markup)
        }
    }
}

/// `/sources/{doc}`: the text with its passages.
pub fn document(app: &App, request: &mut Request<Body>) -> Response<Body> {
    if let Some(refused) = super::only_reads(request) {
        return refused;
    }
    let ctx = Ctx::new(request);
    let name = request
        .uri()
        .path()
        .trim_start_matches("/sources/")
        .to_string();
    let iri = format!("{SRC}{name}");
    let key = format!("{iri}\n{}", ctx.lang.code());
    super::cached_page(app, &key, || match document_body(app, &ctx, &iri) {
        Ok(Some((title, body))) => (StatusCode::OK, page(&ctx, &title, body)),
        Ok(None) => {
            let t = ctx.text();
            (
                StatusCode::NOT_FOUND,
                page(
                    &ctx,
                    t.not_found,
                    html! { h1 { (t.not_found) } p { code { (iri) } } p { a href="/sources" { (t.documents) } } },
                ),
            )
        }
        Err(e) => super::failure(&ctx, &e),
    })
}

/// A passage of the document: its IRI and quote.
struct Passage {
    iri: String,
    quote: String,
}

fn document_body(app: &App, ctx: &Ctx, iri: &str) -> Result<Option<(String, Markup)>> {
    let t = ctx.text();
    let node = NamedNode::new(iri)
        .map_err(|e| Error::usage(format!("{iri}: {e}"), "pick a document from /sources"))?;
    let files = select(
        &app.store,
        &format!("SELECT ?file WHERE {{ {node} a aikg:Document ; aikg:fileName ?file }}"),
    )?;
    let Some(Term::Literal(file)) = files.first().and_then(|r| r.get("file")) else {
        return Ok(None);
    };
    let labels = app.pages.labels(app)?;
    let title = labels.name(iri, ctx.lang);
    let rows = select(
        &app.store,
        &format!("SELECT ?p ?quote WHERE {{ ?p aikg:inDocument {node} ; aikg:quote ?quote }}"),
    )?;
    let passages: Vec<Passage> = rows
        .iter()
        .filter_map(|r| match (r.get("p"), r.get("quote")) {
            (Some(Term::NamedNode(p)), Some(Term::Literal(q))) => Some(Passage {
                iri: p.as_str().to_string(),
                quote: q.value().to_string(),
            }),
            _ => None,
        })
        .collect();
    let text = app
        .pages
        .documents
        .as_ref()
        .map(|dir| dir.join(file.value()))
        .and_then(|path| std::fs::read_to_string(path).ok());
    let Placement {
        placed,
        overlapping,
        missing,
    } = match &text {
        Some(text) => place(text, passages),
        None => Placement {
            missing: passages,
            ..Placement::default()
        },
    };
    let anchor = |iri: &str| iri.rsplit('/').next().unwrap_or(iri).to_string();
    let body = html! {
        h1 { (title) }
        p.muted { code { (file.value()) } " · " a href=(super::page_of(iri)) { (crate::namespaces::compact(iri).unwrap_or_else(|| iri.to_string())) } }
        @match &text {
            Some(text) => div.source-text lang="fr" {
                @for (before, start, end, p) in segments(&placed) {
                    (readable(&text[before..start]))
                    mark id=(anchor(&p.iri)) { (readable(&text[start..end])) }
                    a.facts href=(super::page_of(&p.iri)) { "[" (anchor(&p.iri)) " → " (t.to_facts) "]" }
                }
                (readable(&text[placed.last().map_or(0, |p| p.1)..]))
            },
            None => p.error { (t.no_documents) },
        }
        @if !overlapping.is_empty() {
            h2 { (t.overlapping) }
            ul { @for (p, within) in &overlapping {
                li id=(anchor(&p.iri)) {
                    a href=(super::page_of(&p.iri)) { (anchor(&p.iri)) } " (" a href={ "#" (anchor(within)) } { "↑ " (anchor(within)) } ")"
                    (t.colon) q lang="fr" { (p.quote) }
                }
            } }
        }
        @if !missing.is_empty() {
            h2 { (t.not_placed) }
            ul { @for p in &missing {
                li id=(anchor(&p.iri)) { a href=(super::page_of(&p.iri)) { (anchor(&p.iri)) } (t.colon) q lang="fr" { (p.quote) } }
            } }
        }
    };
    Ok(Some((title, body)))
}

/// The text as it reads: the documents are PDF extractions with a blank
/// line after every line; one line break stays of such a run, two of a
/// longer one (a paragraph's end).
fn readable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars() {
        if c.is_whitespace() {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            out.push_str(match run.matches('\n').count() {
                0 => " ",
                1 | 2 => "\n",
                _ => "\n\n",
            });
            run.clear();
        }
        out.push(c);
    }
    if !run.is_empty() {
        out.push(if run.contains('\n') { '\n' } else { ' ' });
    }
    out
}

/// Each placed passage with where the text before it starts.
fn segments(
    placed: &[(usize, usize, Passage)],
) -> impl Iterator<Item = (usize, usize, usize, &Passage)> {
    placed.iter().enumerate().map(|(i, (start, end, p))| {
        let before = if i == 0 { 0 } else { placed[i - 1].1 };
        (before, *start, *end, p)
    })
}

/// Where the passages of a document stand in its text.
#[derive(Default)]
struct Placement {
    /// Byte ranges in text order, none overlapping another.
    placed: Vec<(usize, usize, Passage)>,
    /// Passages found inside or across one placed before (its IRI).
    overlapping: Vec<(Passage, String)>,
    /// Passages not found word for word (modulo spacing, line breaks and
    /// hyphens at line ends).
    missing: Vec<Passage>,
}

/// Places each passage in the text; those that cannot be marked in it are
/// returned apart to be listed, never dropped.
fn place(text: &str, passages: Vec<Passage>) -> Placement {
    let kept = Squeezed::new(text, false);
    let joined = Squeezed::new(text, true);
    let mut found = Vec::new();
    let mut placement = Placement::default();
    for p in passages {
        match kept.locate(&p.quote).or_else(|| joined.locate(&p.quote)) {
            Some((start, end)) => found.push((start, end, p)),
            None => placement.missing.push(p),
        }
    }
    // Longer first at the same start: a passage inside another is listed
    // as inside it.
    found.sort_by(|a, b| {
        (a.0, std::cmp::Reverse(a.1), &a.2.iri).cmp(&(b.0, std::cmp::Reverse(b.1), &b.2.iri))
    });
    for (start, end, p) in found {
        match placement.placed.last() {
            Some(last) if start < last.1 => {
                let within = last.2.iri.clone();
                placement.overlapping.push((p, within));
            }
            _ => placement.placed.push((start, end, p)),
        }
    }
    placement.missing.sort_by(|a, b| a.iri.cmp(&b.iri));
    placement.overlapping.sort_by(|a, b| a.0.iri.cmp(&b.0.iri));
    placement
}

/// A text without its spaces (and, if asked, the hyphens that end a line),
/// each character kept with its byte range in the original.
struct Squeezed {
    text: String,
    /// (byte offset in `text`, start and end byte in the original).
    map: Vec<(usize, usize, usize)>,
}

impl Squeezed {
    fn new(original: &str, drop_line_end_hyphens: bool) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len());
        for (i, c) in original.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            if drop_line_end_hyphens && c == '-' {
                let rest = &original[i + 1..];
                let spaces = rest.len() - rest.trim_start().len();
                if rest[..spaces].contains('\n') {
                    continue;
                }
            }
            map.push((text.len(), i, i + c.len_utf8()));
            text.push(c);
        }
        Self { text, map }
    }

    fn locate(&self, quote: &str) -> Option<(usize, usize)> {
        let wanted: String = quote.chars().filter(|c| !c.is_whitespace()).collect();
        if wanted.is_empty() {
            return None;
        }
        let at = self.text.find(&wanted)?;
        let first = self.map.binary_search_by_key(&at, |m| m.0).ok()?;
        let after = self.map.partition_point(|m| m.0 < at + wanted.len());
        Some((self.map[first].1, self.map[after - 1].2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_are_placed_across_line_breaks_and_hyphens() {
        let text = "Le KAIST, à Daejeon, est une univer-\nsité.  Il forme\n des ingénieurs.";
        let passage = |iri: &str, quote: &str| Passage {
            iri: iri.into(),
            quote: quote.into(),
        };
        let placement = place(
            text,
            vec![
                passage("b", "Il forme des ingénieurs."),
                passage("d", "est une université"),
                passage("a", "à Daejeon, est une université."),
                passage("c", "absent du texte"),
            ],
        );
        let spans: Vec<(&str, &str)> = placement
            .placed
            .iter()
            .map(|(s, e, p)| (p.iri.as_str(), &text[*s..*e]))
            .collect();
        assert_eq!(
            spans,
            [
                ("a", "à Daejeon, est une univer-\nsité."),
                ("b", "Il forme\n des ingénieurs.")
            ]
        );
        let inside: Vec<(&str, &str)> = placement
            .overlapping
            .iter()
            .map(|(p, within)| (p.iri.as_str(), within.as_str()))
            .collect();
        assert_eq!(inside, [("d", "a")]);
        let missing: Vec<&str> = placement.missing.iter().map(|p| p.iri.as_str()).collect();
        assert_eq!(missing, ["c"]);
    }
}
