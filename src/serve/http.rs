//! Requests and responses: parameters, bodies within their limit, error
//! answers that say what to do, CORS for reads, and the body wrapper that
//! logs each request once its answer is sent.

use crate::error::Error;
use oxhttp::model::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, CONTENT_TYPE,
};
use oxhttp::model::{Body, HeaderValue, Request, Response, StatusCode};
use std::io::Read;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The decoded `name=value` pairs of a query string or form body, in order.
pub fn form_pairs(encoded: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(encoded)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The pairs of the request's query string.
pub fn query_pairs(request: &Request<Body>) -> Vec<(String, String)> {
    form_pairs(request.uri().query().unwrap_or("").as_bytes())
}

/// The value of the one parameter `name`; given twice is an error.
pub fn single<'a>(
    pairs: &'a [(String, String)],
    name: &str,
) -> Result<Option<&'a str>, Response<Body>> {
    let mut values = pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
    let first = values.next();
    if values.next().is_some() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            &format!("the parameter `{name}` is given more than once"),
            "give it once",
        ));
    }
    Ok(first.map(String::as_str))
}

/// A request header as text.
pub fn header(request: &Request<Body>, name: oxhttp::model::HeaderName) -> Option<&str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The media type of the request body, without parameters, lowercase.
pub fn content_type(request: &Request<Body>) -> Option<String> {
    header(request, CONTENT_TYPE).map(|v| {
        v.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    })
}

/// Reads the whole request body, refusing more than `max` bytes (413).
pub fn read_body(request: &mut Request<Body>, max: usize) -> Result<Vec<u8>, Response<Body>> {
    let mut bytes = Vec::new();
    request
        .body_mut()
        .take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            error(
                StatusCode::BAD_REQUEST,
                &format!("cannot read the request body: {e}"),
                "send the body whole",
            )
        })?;
    if bytes.len() > max {
        return Err(error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("the request body is larger than {max} bytes"),
            "send less at once (split the data over several POSTs), or start the server with a larger --max-body",
        ));
    }
    Ok(bytes)
}

/// A plain-text answer: the message, then what to do.
pub fn error(status: StatusCode, message: &str, hint: &str) -> Response<Body> {
    let text = if hint.is_empty() {
        format!("{message}\n")
    } else {
        format!("{message}\n  hint: {hint}\n")
    };
    text_response(status, text)
}

/// 405, with the methods the path takes.
pub fn method_not_allowed(message: &str, hint: &str, allow: &'static str) -> Response<Body> {
    let mut response = error(StatusCode::METHOD_NOT_ALLOWED, message, hint);
    response.headers_mut().insert(
        oxhttp::model::header::ALLOW,
        HeaderValue::from_static(allow),
    );
    response
}

pub fn text_response(status: StatusCode, text: String) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(text))
        .expect("a valid response")
}

/// The answer to a library error: the CLI's message (with its position and
/// hint) and the status that fits.
pub fn library_error(e: &Error) -> Response<Body> {
    let status = match e {
        Error::QuerySyntax { .. }
        | Error::Usage { .. }
        | Error::Source(_)
        | Error::TooManyResults { .. } => StatusCode::BAD_REQUEST,
        // As Fuseki: the query took longer than the server allows.
        Error::QueryTimeout { .. } => StatusCode::SERVICE_UNAVAILABLE,
        Error::QueryEvaluation(_)
        | Error::Storage(_)
        | Error::Store { .. }
        | Error::Io { .. }
        | Error::Interrupted { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        // Another store failed to answer.
        Error::Remote { .. } => StatusCode::BAD_GATEWAY,
    };
    text_response(status, format!("{e}\n"))
}

/// The rows an answer holds, filled in as it is written (for the log line).
#[derive(Clone, Default)]
pub struct RowCount(pub Arc<AtomicU64>);

/// Why a streamed answer was cut, if it was (for the log line).
#[derive(Clone, Default)]
pub struct Failure(pub Arc<Mutex<Option<String>>>);

impl Failure {
    pub fn set(&self, why: String) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(why);
    }
}

/// Adds the CORS header of read answers: any origin may read.
pub fn allow_cors(response: &mut Response<Body>) {
    let headers = response.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(
        ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Content-Type, Retry-After"),
    );
}

/// The answer's body, counted among the requests in flight until it has
/// been sent (or the client went away); logs the request then.
pub struct Tracked {
    pub inner: Box<dyn Read>,
    pub line: String,
    pub status: u16,
    pub started: Instant,
    pub rows: RowCount,
    pub failure: Failure,
    pub in_flight: Arc<AtomicUsize>,
    pub sent_all: bool,
    pub quiet: bool,
}

impl Read for Tracked {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.sent_all = true;
        }
        Ok(n)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if !self.quiet {
            let rows = self.rows.0.load(Ordering::Relaxed);
            let failure = self
                .failure
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            let outcome = match (failure, self.sent_all) {
                (Some(why), _) => format!(" cut: {why}"),
                (None, false) => " cut: the client went away".to_string(),
                (None, true) => String::new(),
            };
            eprintln!(
                "{} {} {rows} rows {:.1} ms{outcome}",
                self.line,
                self.status,
                self.started.elapsed().as_secs_f64() * 1e3
            );
        }
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Turns a body into a reader (a body is one already).
pub fn into_reader(body: Body) -> Box<dyn Read> {
    Box::new(body)
}
