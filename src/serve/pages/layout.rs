//! The frame of every page (header, navigation, language switch, skip
//! link) and how the graph's terms are shown: IRIs as links to their pages
//! with their labels, literals with their language.

use super::i18n::Lang;
use super::labels::Labels;
use super::{page_of, Ctx};
use maud::{html, Markup, DOCTYPE};
use oxigraph::model::Term;

/// A whole page around `body`.
pub fn page(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    let t = ctx.text();
    let other = ctx.lang.other();
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — aikg" }
                link rel="stylesheet" href=(super::assets::STYLE_PATH);
                script src=(super::assets::SCRIPT_PATH) defer {}
            }
            body {
                a.skip href="#main" { (t.skip) }
                header {
                    a.site href="/" { (t.site) }
                    nav aria-label=(t.site) {
                        a href="/" { (t.home) }
                        a href="/query" { (t.query) }
                        a href="/graph" { (t.explorer) }
                        a href="/sources" { (t.sources) }
                        a.lang href=(switch_href(&ctx.here, other)) hreflang=(other.code()) lang=(other.code()) { (t.switch) }
                    }
                }
                main #main tabindex="-1" { (body) }
            }
        }
    }
}

/// The current URL with `lang=` set to `lang` (the switch).
fn switch_href(here: &str, lang: Lang) -> String {
    let (path, query) = here.split_once('?').unwrap_or((here, ""));
    let mut pairs: Vec<(String, String)> = super::http::form_pairs(query.as_bytes())
        .into_iter()
        .filter(|(k, _)| k != "lang")
        .collect();
    pairs.push(("lang".into(), lang.code().into()));
    format!(
        "{path}?{}",
        super::query_string(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    )
}

/// An IRI as a link to its page, named by its label.
pub fn iri_link(labels: &Labels, lang: Lang, iri: &str) -> Markup {
    html! { a href=(page_of(iri)) title=(iri) { (labels.name(iri, lang)) } }
}

/// A term: IRIs linked (external ones to themselves too), literals with
/// their language tag as the `lang` attribute.
pub fn term(labels: &Labels, lang: Lang, term: &Term) -> Markup {
    match term {
        Term::NamedNode(n) if n.as_str().starts_with(crate::namespaces::BASE) => {
            iri_link(labels, lang, n.as_str())
        }
        Term::NamedNode(n) => {
            html! { a.external href=(n.as_str()) rel="noopener" { (n.as_str()) } }
        }
        Term::Literal(l) => match l.language() {
            Some(tag) => html! { span lang=(tag) { (l.value()) } },
            None => html! { (l.value()) },
        },
        other => html! { code { (other.to_string()) } },
    }
}
