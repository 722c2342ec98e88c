//! Starts `aikg serve` on a free loopback port for a test, and stops it
//! (SIGTERM, then SIGKILL) when dropped; a small HTTP client over oxhttp's.

#![allow(dead_code)]

use oxhttp::model::{Body, HeaderName, Method, Request, Response};
use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    pub base: String,
    pub log: PathBuf,
    _dir: tempfile::TempDir,
}

/// A port free now on 127.0.0.1 (the OS picks it).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn aikg_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_aikg"))
}

impl Server {
    /// `aikg serve ARGS --bind 127.0.0.1:PORT`, once it answers.
    pub fn start(args: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("serve.log");
        let port = free_port();
        let child = Command::new(aikg_binary())
            .arg("serve")
            .args(args)
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
            _dir: dir,
        };
        let started = Instant::now();
        loop {
            if let Ok(stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                // A connect to a free port in the ephemeral range can be
                // answered by the very socket that asks (TCP self-connect,
                // when the OS picks that port as its source): that is not
                // the server, which may still be loading the graph.
                let itself = stream.local_addr().ok() == stream.peer_addr().ok();
                if !itself {
                    return server;
                }
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server exited ({status}): {}", server.log_text());
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server did not start: {}",
                server.log_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    pub fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Reply {
        let mut builder = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder
            .body(body.map(Body::from).unwrap_or_default())
            .unwrap();
        let response = oxhttp::Client::new()
            .with_global_timeout(Duration::from_secs(120))
            .request(request)
            .unwrap();
        Reply::read(response)
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        self.request(Method::GET, path, headers, None)
    }

    /// Runs `tests/SCRIPT` with the pinned venv's Python (`$AIKG_VENV`, made
    /// by `.ci/deps`), given this server's base URL, the aikg binary and
    /// `more`; it must exit 0 and print "N passed, 0 failed". Its output.
    pub fn run_python_test(&self, script: &str, more: &[&std::ffi::OsStr]) -> String {
        let venv = std::env::var("AIKG_VENV").unwrap_or_else(|_| "/var/tmp/aikg-venv".into());
        let python = std::path::Path::new(&venv).join("bin/python");
        assert!(
            python.exists(),
            "{} is missing: run `bash .ci/deps` (it makes the pinned venv)",
            python.display()
        );
        let output = Command::new(python)
            .arg(
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("tests")
                    .join(script),
            )
            .arg(&self.base)
            .arg(aikg_binary())
            .args(more)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "{stdout}\n{}\n{}",
            String::from_utf8_lossy(&output.stderr),
            self.log_text()
        );
        assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
        stdout
    }

    /// SIGTERM, and the exit status.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        unsafe { libc::kill(self.pid(), libc::SIGTERM) };
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            unsafe { libc::kill(self.pid(), libc::SIGTERM) };
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A response read whole.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    fn read(mut response: Response<Body>) -> Self {
        let mut body = Vec::new();
        response.body_mut().read_to_end(&mut body).unwrap();
        Self {
            status: response.status().as_u16(),
            headers: response
                .headers()
                .iter()
                .map(|(k, v): (&HeaderName, _)| {
                    (k.to_string(), v.to_str().unwrap_or("").to_string())
                })
                .collect(),
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// URL-encodes a query-string value.
pub fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
