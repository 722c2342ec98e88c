//! A remote store that fails: each failure a clear message naming the URL,
//! the status and what the server said, exit 2, and nothing printed as if
//! it were an answer. A tiny HTTP server in the test plays the store.

#[path = "support/cli.rs"]
mod cli;

use cli::{aikg, auth_file};
use predicates::prelude::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request as the fake server saw it.
#[derive(Clone, Debug)]
struct Seen {
    head: String,
    body: String,
}

/// What the fake server does with a request: the bytes of its answer, or
/// None to say nothing (and hold the connection).
type Respond = dyn Fn(&Seen) -> Option<String> + Send + Sync;

/// A fake store on a free loopback port, answering every request with
/// `respond`; it records the requests it got.
struct FakeStore {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl FakeStore {
    fn start(respond: Box<Respond>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/sparql", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let recorded = seen.clone();
        let respond: Arc<Respond> = respond.into();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let recorded = recorded.clone();
                let respond = respond.clone();
                std::thread::spawn(move || serve_one(stream, &recorded, &*respond));
            }
        });
        Self { url, seen }
    }

    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve_one(stream: TcpStream, recorded: &Mutex<Vec<Seen>>, respond: &Respond) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let seen = Seen {
        head,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    recorded.lock().unwrap().push(seen.clone());
    match respond(&seen) {
        Some(answer) => {
            let mut stream = stream;
            let _ = stream.write_all(answer.as_bytes());
        }
        // Say nothing: the client's timeout must end the wait.
        None => std::thread::sleep(Duration::from_secs(30)),
    }
}

fn answer(status: &str, headers: &[&str], body: &str) -> String {
    let mut text = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for h in headers {
        text.push_str(h);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    text.push_str(body);
    text
}

/// A store answering every request with these SPARQL JSON results.
fn answering(results: &'static str) -> FakeStore {
    FakeStore::start(Box::new(move |_| {
        Some(answer(
            "200 OK",
            &["Content-Type: application/sparql-results+json"],
            results,
        ))
    }))
}

/// A store redirecting every request to `to` with `status`.
fn redirecting(status: &'static str, to: &FakeStore) -> FakeStore {
    let location = format!("Location: {}", to.url);
    FakeStore::start(Box::new(move |_| {
        Some(answer(status, &[location.as_str()], ""))
    }))
}

/// A free port that nothing listens on.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn an_endpoint_that_is_down_is_retried_then_named() {
    let url = format!("http://127.0.0.1:{}/sparql", closed_port());
    aikg()
        .args(["--endpoint", &url, "stats"])
        .env("AIKG_ENDPOINT_RETRIES", "2")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(format!(
            "error: {url}: cannot connect: connection refused (tried 3 times)"
        )))
        .stderr(predicate::str::contains("trying again in"))
        .stderr(predicate::str::contains("hint: is the store running"));
}

#[test]
fn wrong_credentials_are_refused_with_who_and_where_they_came_from() {
    let store = FakeStore::start(Box::new(|_| {
        Some(answer(
            "401 Unauthorized",
            &["WWW-Authenticate: Basic realm=\"store\""],
            "bad credentials",
        ))
    }));
    let dir = tempfile::tempdir().unwrap();
    let auth = auth_file(dir.path(), "# the store's account\nalice:wrong-secret\n");
    aikg()
        .args(["--endpoint", &store.url, "--auth-file"])
        .arg(&auth)
        .args(["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(format!(
            "error: {}: HTTP 401: the store refused the credentials (user \"alice\" from --auth-file",
            store.url
        )))
        .stderr(predicate::str::contains("bad credentials"))
        .stderr(predicate::str::contains("wrong-secret").not());
    // Asked first without credentials; answered the challenge once, in the
    // scheme asked for (Basic alice:wrong-secret).
    let requests = store.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(!requests[0]
        .head
        .to_ascii_lowercase()
        .contains("authorization"));
    assert!(
        requests[1]
            .head
            .contains("authorization: Basic YWxpY2U6d3Jvbmctc2VjcmV0"),
        "{:?}",
        requests[1]
    );
}

#[test]
fn a_store_that_wants_credentials_says_how_to_give_them() {
    let store = FakeStore::start(Box::new(|_| {
        Some(answer(
            "401 Unauthorized",
            &["WWW-Authenticate: Digest realm=\"SPARQL\", nonce=\"abc\", qop=\"auth\""],
            "",
        ))
    }));
    aikg()
        .args(["--endpoint", &store.url, "explain", "ETRI"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "HTTP 401: the store needs credentials",
        ))
        .stderr(predicate::str::contains("--auth-file FILE"))
        .stderr(predicate::str::contains("never on the command line"));
}

#[test]
fn credentials_on_the_command_line_are_refused() {
    aikg()
        .args([
            "--endpoint",
            "http://dba:dba@127.0.0.1:8890/sparql",
            "stats",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--endpoint: the URL holds credentials",
        ))
        .stderr(predicate::str::contains("dba:dba").not());
}

#[test]
fn an_update_endpoint_is_refused_not_ignored() {
    // aikg writes through the Graph Store Protocol only: an update endpoint
    // it would not use is an error, not silently dropped.
    aikg()
        .args([
            "--endpoint",
            "http://127.0.0.1:8890/sparql",
            "--update-endpoint",
            "http://127.0.0.1:8890/sparql",
            "stats",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--update-endpoint: aikg does not write through SPARQL 1.1 Update",
        ))
        .stderr(predicate::str::contains("--graph-store URL"));
}

#[test]
fn a_server_error_is_retried_then_shows_the_servers_message() {
    let store = FakeStore::start(Box::new(|_| {
        Some(answer(
            "500 Internal Server Error",
            &["Content-Type: text/plain"],
            "Virtuoso 42000 Error SR186: No permission to execute procedure",
        ))
    }));
    aikg()
        .args(["--endpoint", &store.url, "query", "funding"])
        .env("AIKG_ENDPOINT_RETRIES", "2")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(format!(
            "error: {}: HTTP 500: the server failed: the server says: Virtuoso 42000 Error SR186: No permission to execute procedure",
            store.url
        )))
        .stderr(predicate::str::contains("tried 3 times"));
    // The first request reads the manifest; it was tried three times.
    assert_eq!(store.requests().len(), 3);
}

#[test]
fn a_store_that_does_not_answer_times_out() {
    let store = FakeStore::start(Box::new(|_| None));
    let started = Instant::now();
    aikg()
        .args(["--endpoint", &store.url, "--endpoint-timeout", "1", "stats"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "error: {}: no answer within the timeout",
            store.url
        )))
        .stderr(predicate::str::contains("--endpoint-timeout SECONDS"));
    // One second, not the server's thirty.
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn an_answer_the_store_cut_short_is_not_shown() {
    // Virtuoso cuts results at ResultSetMaxRows and says so in a header only.
    let store = FakeStore::start(Box::new(|seen| {
        let results = if seen.body.contains("manifest") {
            r#"{"head":{"vars":["g","type","hash","n"]},"results":{"bindings":[]}}"#
        } else {
            r#"{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://e/a"}}]}}"#
        };
        Some(answer(
            "200 OK",
            &[
                "Content-Type: application/sparql-results+json",
                "X-SPARQL-MaxRows: 1",
            ],
            results,
        ))
    }));
    aikg()
        .args([
            "--endpoint",
            &store.url,
            "query",
            "SELECT ?s WHERE { ?s ?p ?o }",
            "--format",
            "tsv",
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "the store cut the answer at 1 rows",
        ))
        .stderr(predicate::str::contains("ResultSetMaxRows"));
}

#[test]
fn a_redirect_to_another_host_is_not_followed() {
    let elsewhere = FakeStore::start(Box::new(|_| Some(answer("200 OK", &[], ""))));
    let store = redirecting("307 Temporary Redirect", &elsewhere);
    // Same host, another port: another origin.
    aikg()
        .args(["--endpoint", &store.url, "stats"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "HTTP 307: redirected to {}, which is not followed",
            elsewhere.url
        )));
    assert!(elsewhere.requests().is_empty());
}

#[test]
fn a_service_redirect_off_the_allow_list_is_not_followed() {
    // Issue 17 item 10: an allowed SERVICE endpoint answering 303 to an
    // unlisted host made aikg send a GET there.
    let unlisted = answering(r#"{"head":{"vars":["s"]},"results":{"bindings":[]}}"#);
    let allowed = redirecting("303 See Other", &unlisted);
    aikg()
        .args([
            "query",
            "--allow-service",
            &allowed.url,
            &format!(
                "SELECT * WHERE {{ SERVICE <{}> {{ ?s ?p ?o }} }}",
                allowed.url
            ),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "SERVICE <{}>: redirected to {}, which is not followed",
            allowed.url, unlisted.url
        )));
    assert_eq!(allowed.requests().len(), 1);
    assert!(
        unlisted.requests().is_empty(),
        "aikg sent {:?} to an endpoint off the allow-list",
        unlisted.requests()
    );
}

#[test]
fn a_service_redirect_to_an_allowed_endpoint_is_followed() {
    let target = answering(
        r#"{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://e/found"}}]}}"#,
    );
    let first = redirecting("307 Temporary Redirect", &target);
    aikg()
        .args([
            "query",
            "--allow-service",
            &first.url,
            "--allow-service",
            &target.url,
            "--format",
            "tsv",
            &format!(
                "SELECT ?s WHERE {{ SERVICE <{}> {{ ?s ?p ?o }} }}",
                first.url
            ),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("<http://e/found>"));
    // A 307 keeps the method and the body: the query reached the target.
    let requests = target.requests();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].head.starts_with("POST "), "{:?}", requests[0]);
    assert!(requests[0].body.contains("SELECT"), "{:?}", requests[0]);
}
