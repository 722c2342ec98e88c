//! `/graph`: the graph explorer. Focus on an entity, choose the depth, the
//! relations and classes, walk through hubs or not, and click a node to
//! open its neighbours (`expand=`); drawn as `aikg export` draws, with its
//! styles and legend. Each step is a URL: it works without JavaScript.

use super::layout::page;
use super::{html, Ctx};
use crate::graph;
use maud::{html, PreEscaped};
use oxhttp::model::{Body, Request, Response, StatusCode};
use std::sync::Arc;

use super::super::App;

/// The deepest walk the explorer draws (hubs stop it anyway).
const MAX_DEPTH: usize = 3;

/// The most nodes the explorer draws (the whole graph is about 1 200).
const MAX_NODES: usize = 600;

/// `/graph`.
pub fn explorer(app: &App, request: &mut Request<Body>) -> Response<Body> {
    if let Some(refused) = super::only_reads(request) {
        return refused;
    }
    let ctx = Ctx::new(request);
    let t = ctx.text();
    let focus = ctx.param("focus").unwrap_or("KAIST").to_string();
    let depth = ctx
        .param("depth")
        .and_then(|d| d.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_DEPTH);
    let through_hubs = ctx.param("hubs").is_some();
    let relations = graph::split_list(&ctx.params("relations"));
    let classes = graph::split_list(&ctx.params("classes"));
    let expand = ctx.params("expand");
    let state: Vec<(String, String)> = [
        ("focus", focus.clone()),
        ("depth", depth.to_string()),
        (
            "hubs",
            if through_hubs {
                "1".into()
            } else {
                String::new()
            },
        ),
        ("relations", relations.join(",")),
        ("classes", classes.join(",")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .chain(expand.iter().map(|e| ("expand".to_string(), e.clone())))
    .collect();
    let links_key = super::query_string(state.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let base = links_key.clone();
    let links = graph::projection::Links(Arc::new(move |key: &str| {
        format!("/graph?{base}&{}", super::query_string([("expand", key)]))
    }));
    let drawing = super::drawing::draw_linked(
        app,
        graph::Request {
            focus: Some(focus.clone()),
            depth,
            through_hubs,
            expand: expand.clone(),
            relations: relations.clone(),
            classes: classes.clone(),
            lang: ctx.lang.code().to_string(),
            ..graph::Request::default()
        },
        &links_key,
        links,
        MAX_NODES,
    );
    let status = if drawing.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let body = html! {
        h1 { (t.explorer) }
        form.params action="/graph" method="get" {
            p { label for="focus" { (t.focus) } " " input #focus name="focus" value=(focus); }
            p { label for="depth" { (t.depth) } " " input #depth name="depth" type="number" min="1" max=(MAX_DEPTH) value=(depth); }
            p { input #hubs type="checkbox" name="hubs" value="1" checked[through_hubs]; " " label for="hubs" { (t.through_hubs) } }
            p { label for="relations" { (t.relations) } " " input #relations name="relations" value=(relations.join(",")) placeholder="locatedIn, partOf"; }
            p { label for="classes" { (t.classes_field) } " " input #classes name="classes" value=(classes.join(",")) placeholder="University, ResearchInstitute"; }
            @for e in &expand { input type="hidden" name="expand" value=(e); }
            button type="submit" { (t.draw) }
        }
        p.muted { (t.expand_hint) }
        @match &drawing {
            Ok(super::drawing::Drawing::Svg(svg)) => figure.drawing.wide tabindex="0" aria-label=(t.neighbourhood) { (PreEscaped(svg.as_str())) },
            Ok(super::drawing::Drawing::TooMany(n)) => p.error role="alert" { (t.too_many.replace("{n}", &n.to_string())) " " (t.explorer) "." },
            Err(e) => p.error role="alert" { (e.to_string()) },
        }
    };
    html(status, page(&ctx, t.explorer, body))
}
