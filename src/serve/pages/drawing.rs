//! Neighbourhoods drawn as `aikg export --focus` draws them (same
//! projection, styles and legend, GraphViz's SVG), every node a link to its
//! page; each drawing kept in the server's cache until the graph changes.

use super::i18n::Lang;
use crate::error::Result;
use crate::graph;

use super::super::cache::Cached;
use super::super::App;

/// How a selection too large to draw is kept in the cache (its node count
/// as the entry's rows).
const TOO_MANY: &str = "aikg/too-many-nodes";

/// Nodes beyond which an entity page does not draw its neighbourhood: a
/// hub's (Korea touches a third of the graph) would weigh hundreds of KB
/// and read as a smudge; the explorer draws it by class instead.
pub const MAX_NODES_ON_A_PAGE: usize = 60;

/// A drawing, or why there is none.
pub enum Drawing {
    Svg(String),
    /// The selection has this many nodes, more than the page draws.
    TooMany(usize),
}

/// The SVG of the entities around `iri` (one hop, hubs not walked through).
pub fn neighbourhood(app: &App, iri: &str, lang: Lang) -> Result<Drawing> {
    draw(
        app,
        graph::Request {
            focus: Some(iri.to_string()),
            depth: 1,
            lang: lang.code().to_string(),
            ..graph::Request::default()
        },
    )
}

/// The SVG of what `request` selects (at most [`MAX_NODES_ON_A_PAGE`]
/// nodes), from the cache or drawn now (and kept). The `<svg>` element
/// only: it is inlined in pages, so that its links are links of the page.
pub fn draw(app: &App, request: graph::Request) -> Result<Drawing> {
    draw_linked(
        app,
        request,
        "page",
        graph::projection::Links(std::sync::Arc::new(|key: &str| super::page_of(key))),
        MAX_NODES_ON_A_PAGE,
    )
}

/// [`draw`], each node linking where `links` says; `links_key` names the
/// linking in the cache.
pub fn draw_linked(
    app: &App,
    request: graph::Request,
    links_key: &str,
    links: graph::projection::Links,
    max_nodes: usize,
) -> Result<Drawing> {
    let key = format!(
        "drawing\n{links_key}\n{max_nodes}\n{:?}\n{}\n{}\n{:?}\n{:?}\n{:?}\n{}",
        request.focus,
        request.depth,
        request.through_hubs,
        request.expand,
        request.relations,
        request.classes,
        request.lang
    );
    if let Some(kept) = app.cache.get(&key) {
        return Ok(match kept.content_type {
            TOO_MANY => Drawing::TooMany(kept.rows as usize),
            _ => Drawing::Svg(String::from_utf8_lossy(&kept.body).into_owned()),
        });
    }
    let generation = app.cache.generation();
    let mut projection = graph::build(&app.store, &request)?;
    let nodes = projection.graph.node_count();
    if nodes > max_nodes {
        graph::discard(projection);
        let cached = Cached {
            content_type: TOO_MANY,
            body: Vec::new().into(),
            rows: nodes as u64,
        };
        app.cache.insert(key, generation, cached);
        return Ok(Drawing::TooMany(nodes));
    }
    projection.links = Some(links);
    let svg = graph::export(&projection, "svg")?;
    graph::discard(projection);
    let svg = String::from_utf8_lossy(&svg);
    // GraphViz writes an XML declaration, a DOCTYPE and comments first.
    let svg = svg[svg.find("<svg").unwrap_or(0)..].to_string();
    app.cache.insert(
        key,
        generation,
        Cached {
            content_type: "image/svg+xml",
            body: svg.as_bytes().into(),
            rows: 0,
        },
    );
    Ok(Drawing::Svg(svg))
}
