//! The HTTP client under the SPARQL and Graph Store protocols: a timeout on
//! every connection, read and write; retries with exponential back-off on
//! connection errors and 5xx answers (the `Retry-After` of a 503 is
//! honoured); authentication when the server asks for it ([`super::auth`]);
//! redirects followed only where credentials may go (the same origin, or
//! what the caller allows); and errors that name the URL, the status and the
//! server's own message, each with what to do next.

use super::auth::{self, Challenge, Credentials, Secret};
use crate::error::{Error, Result};
use oxhttp::model::header::{HeaderName, AUTHORIZATION, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use oxhttp::model::{Body, HeaderMap, Method};
use std::io::{ErrorKind, Read};
use std::sync::Mutex;
use std::time::Duration;
use url::Url;

/// Which redirect targets a client follows.
pub type RedirectCheck = Box<dyn Fn(&Url, &Url) -> bool + Send + Sync>;

/// How long to wait and how often to try again.
#[derive(Clone, Copy, Debug)]
pub struct Patience {
    /// For connecting, and for each read or write (not the whole exchange).
    pub timeout: Duration,
    /// Attempts after the first, on connection errors and 5xx answers.
    pub retries: u32,
    /// The first back-off; doubled at each retry.
    pub backoff: Duration,
}

impl Default for Patience {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(60),
            retries: 3,
            backoff: Duration::from_millis(250),
        }
    }
}

impl Patience {
    /// The defaults, then `AIKG_ENDPOINT_TIMEOUT` (seconds) and
    /// `AIKG_ENDPOINT_RETRIES`.
    pub fn from_env() -> Self {
        let mut patience = Self::default();
        if let Some(seconds) = env_number("AIKG_ENDPOINT_TIMEOUT") {
            if seconds > 0.0 {
                patience.timeout = Duration::from_secs_f64(seconds);
            }
        }
        if let Some(retries) = env_number("AIKG_ENDPOINT_RETRIES") {
            if retries >= 0.0 {
                patience.retries = retries as u32;
            }
        }
        patience
    }
}

fn env_number(name: &str) -> Option<f64> {
    std::env::var(name).ok()?.trim().parse().ok()
}

/// What the server asked for, remembered so that later requests answer at
/// once rather than after a 401 each.
enum Learned {
    Basic,
    Digest {
        challenge: auth::DigestChallenge,
        count: u32,
    },
}

/// A client for one remote store.
pub struct Client {
    http: oxhttp::Client,
    patience: Patience,
    credentials: Option<Credentials>,
    learned: Mutex<Option<Learned>>,
    redirects: RedirectCheck,
}

/// An answer with a success status (or one the caller said it handles).
pub struct Response {
    pub url: Url,
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Body,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The whole body, read; an interrupted read is an error naming the URL.
    pub fn bytes(self) -> Result<Vec<u8>> {
        let url = self.url.clone();
        self.body.to_vec().map_err(|e| read_error(&url, &e))
    }
}

pub fn read_error(url: &Url, e: &std::io::Error) -> Error {
    let (message, hint) = if is_timeout(e) {
        (
            "the answer stopped coming (timeout while reading it)".to_string(),
            "raise the timeout with --endpoint-timeout SECONDS (or AIKG_ENDPOINT_TIMEOUT)",
        )
    } else {
        (
            format!("the answer was cut off: {e}"),
            "the server or the network dropped the connection; try again",
        )
    };
    Error::Remote {
        url: url.to_string(),
        status: None,
        message,
        hint: hint.into(),
    }
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock)
}

/// Errors worth another try: the server was not reachable, or dropped the
/// connection, not a refusal.
fn is_connection_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::ConnectionRefused
            | ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::NotConnected
            | ErrorKind::BrokenPipe
            | ErrorKind::UnexpectedEof
    )
}

impl Client {
    pub fn new(patience: Patience, credentials: Option<Credentials>) -> Self {
        let http = oxhttp::Client::new()
            .with_global_timeout(patience.timeout)
            .with_user_agent(concat!("aikg/", env!("CARGO_PKG_VERSION")))
            .expect("a valid user agent");
        Self {
            http,
            patience,
            credentials,
            learned: Mutex::new(None),
            redirects: Box::new(same_origin),
        }
    }

    /// Follows a redirect from `from` to `to` only if `check(from, to)`
    /// (by default: the same scheme, host and port).
    pub fn with_redirect_check(mut self, check: RedirectCheck) -> Self {
        self.redirects = check;
        self
    }

    pub fn patience(&self) -> Patience {
        self.patience
    }

    /// Sends a request; the answer if its status is a success or in
    /// `handled`, else an error with the server's message.
    pub fn send(
        &self,
        method: Method,
        url: &Url,
        headers: &[(HeaderName, String)],
        body: &[u8],
        handled: &[u16],
    ) -> Result<Response> {
        let mut url = url.clone();
        let mut method = method;
        let mut body = body;
        let mut redirects = 0;
        let mut attempt = 0u32;
        let mut answered_challenge = false;
        loop {
            let authorization = self.authorization(&method, &url);
            let request = build(&method, &url, headers, authorization.as_deref(), body)?;
            // oxhttp, asked to follow no redirect, still turns a redirect it
            // would follow (301/302/303, or 307/308 of a GET) into an error
            // naming the target: both ways lead to the same checks.
            let (response, redirect) = match self.http.request(request) {
                Ok(response) => {
                    let status = response.status().as_u16();
                    if (300..400).contains(&status) && status != 304 {
                        let target = response
                            .headers()
                            .get(LOCATION)
                            .and_then(|l| l.to_str().ok())
                            .and_then(|l| url.join(l).ok());
                        match target {
                            Some(target) => (None, Some((Some(status), target))),
                            None => {
                                return Err(status_error(
                                    &url,
                                    status,
                                    response,
                                    "a redirect without a usable Location",
                                    String::new(),
                                ))
                            }
                        }
                    } else {
                        (Some(response), None)
                    }
                }
                Err(e) => match redirect_target(&e, &url) {
                    Some(target) => (None, Some((None, target))),
                    None => {
                        if is_connection_error(&e) && attempt < self.patience.retries {
                            self.wait(attempt, None, &url, &format!("{e}"));
                            attempt += 1;
                            continue;
                        }
                        return Err(connect_error(&url, &e, attempt));
                    }
                },
            };
            if let Some((status, target)) = redirect {
                let what = status.map_or("a redirect".to_string(), |s| format!("a {s}"));
                let keeps_method = matches!(status, Some(307 | 308));
                if !(self.redirects)(&url, &target) {
                    return Err(Error::Remote {
                        url: url.to_string(),
                        status,
                        message: format!("redirected to {target}, which is not followed"),
                        hint: "aikg follows a redirect only where the request may go: the same scheme, host and port for a store (credentials go nowhere else), an allow-listed endpoint for SERVICE; if that address is right, give it directly (or allow it)".into(),
                    });
                }
                if method != Method::GET && method != Method::HEAD && !keeps_method {
                    return Err(Error::Remote {
                        url: url.to_string(),
                        status,
                        message: format!("redirected to {target} with {what}, which would turn the {method} into a GET and drop its body"),
                        hint: "give the address the server redirects to directly".into(),
                    });
                }
                redirects += 1;
                if redirects > 5 {
                    return Err(Error::Remote {
                        url: url.to_string(),
                        status,
                        message: "more than 5 redirects".into(),
                        hint: "give the final address of the store directly".into(),
                    });
                }
                if !keeps_method && method != Method::HEAD {
                    method = Method::GET;
                    body = &[];
                }
                url = target;
                continue;
            }
            let Some(response) = response else {
                unreachable!("an answer or a redirect")
            };
            let status = response.status().as_u16();
            if status == 401 {
                let challenge = auth::pick_challenge(
                    response
                        .headers()
                        .get_all("www-authenticate")
                        .iter()
                        .filter_map(|v| v.to_str().ok()),
                );
                match (&self.credentials, challenge) {
                    (None, _) => {
                        return Err(status_error(
                            &url,
                            status,
                            response,
                            "the store needs credentials",
                            "give them with --auth-file FILE (one line: USER:PASSWORD, or Bearer TOKEN) or the environment (AIKG_ENDPOINT_USER and AIKG_ENDPOINT_PASSWORD, or AIKG_ENDPOINT_TOKEN); never on the command line".into(),
                        ))
                    }
                    (Some(credentials), Some(challenge))
                        if !answered_challenge
                            && matches!(credentials.secret, Secret::UserPassword { .. }) =>
                    {
                        // The first 401 is the server asking: answer it once.
                        answered_challenge = true;
                        let learned = match challenge {
                            Challenge::Basic => Learned::Basic,
                            Challenge::Digest(challenge) => Learned::Digest {
                                challenge,
                                count: 0,
                            },
                        };
                        *self.learned.lock().unwrap_or_else(|e| e.into_inner()) = Some(learned);
                        continue;
                    }
                    (Some(credentials), _) => {
                        return Err(status_error(
                            &url,
                            status,
                            response,
                            &format!("the store refused the credentials ({})", credentials.who()),
                            format!("check them in {}", credentials.origin),
                        ))
                    }
                }
            }
            if status >= 500 && attempt < self.patience.retries {
                let retry_after = response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(|s| Duration::from_secs(s.min(30)));
                self.wait(attempt, retry_after, &url, &format!("HTTP {status}"));
                attempt += 1;
                continue;
            }
            if (200..300).contains(&status) || handled.contains(&status) {
                let headers = response.headers().clone();
                return Ok(Response {
                    url,
                    status,
                    headers,
                    body: response.into_body(),
                });
            }
            let (message, hint) = match status {
                403 => (
                    "forbidden".to_string(),
                    "the credentials lack the right to do this (Virtuoso: GRANT SPARQL_UPDATE TO the user; others: the user's role)".to_string(),
                ),
                404 => (
                    "not found".to_string(),
                    "check the address (Virtuoso: /sparql and /sparql-graph-crud; Fuseki: /DATASET/sparql and /DATASET/data; GraphDB: /repositories/ID and /repositories/ID/rdf-graphs/service)".to_string(),
                ),
                s if s >= 500 => (
                    "the server failed".to_string(),
                    format!(
                        "tried {} time{}; the server's log may say more",
                        attempt + 1,
                        if attempt == 0 { "" } else { "s" }
                    ),
                ),
                _ => ("refused".to_string(), String::new()),
            };
            return Err(status_error(&url, status, response, &message, hint));
        }
    }

    fn wait(&self, attempt: u32, retry_after: Option<Duration>, url: &Url, why: &str) {
        let backoff = retry_after.unwrap_or_else(|| {
            self.patience
                .backoff
                .saturating_mul(1 << attempt.min(6))
                .min(Duration::from_secs(8))
        });
        eprintln!(
            "warning: {url}: {why}; trying again in {:.1} s ({}/{})",
            backoff.as_secs_f64(),
            attempt + 1,
            self.patience.retries
        );
        std::thread::sleep(backoff);
    }

    /// The `Authorization` header for a request, when the server asked for
    /// credentials before, or a token is given (sent from the start).
    fn authorization(&self, method: &Method, url: &Url) -> Option<String> {
        let credentials = self.credentials.as_ref()?;
        match &credentials.secret {
            Secret::Bearer(token) => Some(format!("Bearer {token}")),
            Secret::UserPassword { user, password } => {
                let mut learned = self.learned.lock().unwrap_or_else(|e| e.into_inner());
                match learned.as_mut()? {
                    Learned::Basic => Some(auth::basic_authorization(user, password)),
                    Learned::Digest { challenge, count } => {
                        *count += 1;
                        let target = match url.query() {
                            Some(q) => format!("{}?{q}", url.path()),
                            None => url.path().to_string(),
                        };
                        Some(auth::digest_authorization(
                            challenge,
                            user,
                            password,
                            method.as_str(),
                            &target,
                            *count,
                            &client_nonce(*count),
                        ))
                    }
                }
            }
        }
    }
}

/// A fresh client nonce for Digest (uniqueness, not secrecy, is what it needs).
fn client_nonce(count: u32) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:x}{:x}{count:x}", std::process::id(), nanos)
}

/// The target of a redirect oxhttp would have followed, from its error
/// ("The server requested too many redirects (1). The latest redirection
/// target is URL").
fn redirect_target(e: &std::io::Error, base: &Url) -> Option<Url> {
    let text = e.to_string();
    if !text.contains("too many redirects") {
        return None;
    }
    let target = text
        .split("The latest redirection target is ")
        .nth(1)?
        .trim();
    base.join(target).ok()
}

pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

fn build(
    method: &Method,
    url: &Url,
    headers: &[(HeaderName, String)],
    authorization: Option<&str>,
    body: &[u8],
) -> Result<oxhttp::model::Request<Body>> {
    let mut builder = oxhttp::model::Request::builder()
        .method(method.clone())
        .uri(url.as_str());
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    if let Some(authorization) = authorization {
        builder = builder.header(AUTHORIZATION, authorization);
    }
    let body = if body.is_empty() && (*method == Method::GET || *method == Method::HEAD) {
        Body::empty()
    } else {
        Body::from(body.to_vec())
    };
    builder.body(body).map_err(|e| Error::Remote {
        url: url.to_string(),
        status: None,
        message: format!("cannot make the request: {e}"),
        hint: "check the address".into(),
    })
}

fn connect_error(url: &Url, e: &std::io::Error, retries: u32) -> Error {
    let tried = if retries > 0 {
        format!(" (tried {} times)", retries + 1)
    } else {
        String::new()
    };
    let (message, hint) = if is_timeout(e) {
        (
            "no answer within the timeout".to_string(),
            "the store is slow or unreachable: raise the timeout with --endpoint-timeout SECONDS (or AIKG_ENDPOINT_TIMEOUT), or ask for less".to_string(),
        )
    } else if e.kind() == ErrorKind::ConnectionRefused {
        (
            format!("cannot connect: connection refused{tried}"),
            "is the store running, and listening at this address and port? check --endpoint / --graph-store".to_string(),
        )
    } else {
        (
            format!("cannot connect: {e}{tried}"),
            "check the address, the network and that the store is running".to_string(),
        )
    };
    Error::Remote {
        url: url.to_string(),
        status: None,
        message,
        hint,
    }
}

/// An error for a refused request, with what the server said.
fn status_error(
    url: &Url,
    status: u16,
    response: oxhttp::model::Response<Body>,
    what: &str,
    hint: String,
) -> Error {
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let mut text = Vec::new();
    let _ = response.into_body().take(64 * 1024).read_to_end(&mut text);
    let said = server_message(&String::from_utf8_lossy(&text), &content_type);
    Error::Remote {
        url: url.to_string(),
        status: Some(status),
        message: if said.is_empty() {
            what.to_string()
        } else {
            format!("{what}: the server says: {said}")
        },
        hint,
    }
}

/// What a server's error page says, as one line: markup dropped, control
/// characters (a terminal's escape sequences) removed, at most 600 characters.
pub fn server_message(text: &str, content_type: &str) -> String {
    let text = if content_type.contains("html") || text.trim_start().starts_with('<') {
        let mut plain = String::with_capacity(text.len());
        let mut in_tag = false;
        for c in text.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    plain.push(' ');
                }
                c if !in_tag => plain.push(c),
                _ => {}
            }
        }
        plain
    } else {
        text.to_string()
    };
    let one_line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if one_line.chars().count() > 600 {
        let cut: String = one_line.chars().take(600).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_messages_are_one_clean_line() {
        assert_eq!(
            server_message(
                "<html><body><h1>Error</h1>\n<p>bad \x1b[31mthing</p></body></html>",
                "text/html"
            ),
            "Error bad [31mthing"
        );
        assert_eq!(
            server_message(
                "Virtuoso 37000 Error SP030: SPARQL compiler\n\nSPARQL query:\nSELECT",
                "text/plain"
            ),
            "Virtuoso 37000 Error SP030: SPARQL compiler SPARQL query: SELECT"
        );
    }

    #[test]
    fn origins() {
        let a = Url::parse("http://127.0.0.1:8890/sparql").unwrap();
        assert!(same_origin(
            &a,
            &Url::parse("http://127.0.0.1:8890/other").unwrap()
        ));
        assert!(!same_origin(
            &a,
            &Url::parse("http://127.0.0.1:8891/sparql").unwrap()
        ));
        assert!(!same_origin(
            &a,
            &Url::parse("https://127.0.0.1:8890/sparql").unwrap()
        ));
        assert!(!same_origin(
            &a,
            &Url::parse("http://evil.example/sparql").unwrap()
        ));
    }
}
