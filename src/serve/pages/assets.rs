//! The stylesheet and the script, embedded in the binary and served by
//! aikg itself (nothing is fetched from another site).

use oxhttp::model::header::{CACHE_CONTROL, CONTENT_TYPE};
use oxhttp::model::{Body, Request, Response, StatusCode};

use super::super::App;

pub const STYLE_PATH: &str = "/assets/style.css";
pub const SCRIPT_PATH: &str = "/assets/app.js";
const STYLE: &str = include_str!("assets/style.css");
const SCRIPT: &str = include_str!("assets/app.js");

/// `/assets/...`.
pub fn serve(_app: &App, request: &mut Request<Body>) -> Response<Body> {
    if let Some(refused) = super::only_reads(request) {
        return refused;
    }
    let (content_type, body) = match request.uri().path() {
        STYLE_PATH => ("text/css; charset=utf-8", STYLE),
        SCRIPT_PATH => ("text/javascript; charset=utf-8", SCRIPT),
        other => {
            return super::http::error(
                StatusCode::NOT_FOUND,
                &format!("no asset {other}"),
                "the assets are /assets/style.css and /assets/app.js",
            )
        }
    };
    Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, content_type)
        .header(CACHE_CONTROL, "public, max-age=3600")
        .body(Body::from(body))
        .expect("a valid response")
}
