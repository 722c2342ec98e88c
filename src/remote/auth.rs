//! Credentials for a remote store: from `--auth-file FILE` or the
//! environment, never from the command line (where `ps` and shell history
//! would show them), and the HTTP authentication schemes that carry them:
//! Basic and Digest (RFC 7617, RFC 7616: Virtuoso's `/sparql-auth` asks for
//! Digest), or a Bearer token (RFC 6750).
//!
//! The auth file holds one line: `USER:PASSWORD`, or `Bearer TOKEN`. Lines
//! starting with `#` and blank lines are skipped. The environment variables
//! are `AIKG_ENDPOINT_USER` + `AIKG_ENDPOINT_PASSWORD`, or
//! `AIKG_ENDPOINT_TOKEN`.
//!
//! User and password are sent only when the server asks for them (a 401
//! with `WWW-Authenticate`), in the scheme it asks for, and only to the
//! host they were given for: a password never goes in clear to a server
//! that wanted Digest, nor to another host a redirect points at.

use crate::error::{Error, Result};
use sha2::Digest as _;
use std::fmt::Write as _;
use std::path::Path;

/// What to authenticate with, and where it came from (for messages).
#[derive(Clone)]
pub struct Credentials {
    pub secret: Secret,
    /// `--auth-file F` or the environment variables' names.
    pub origin: String,
}

#[derive(Clone)]
pub enum Secret {
    UserPassword { user: String, password: String },
    Bearer(String),
}

impl std::fmt::Debug for Credentials {
    // Never print a secret, even in a debug dump.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.secret {
            Secret::UserPassword { user, .. } => write!(f, "user {user:?} from {}", self.origin),
            Secret::Bearer(_) => write!(f, "a bearer token from {}", self.origin),
        }
    }
}

impl Credentials {
    /// `--auth-file` if given, else the environment, else none.
    pub fn find(auth_file: Option<&Path>) -> Result<Option<Self>> {
        if let Some(path) = auth_file {
            return Self::from_file(path).map(Some);
        }
        Ok(Self::from_env(|name| std::env::var(name).ok()))
    }

    pub fn from_file(path: &Path) -> Result<Self> {
        let origin = format!("--auth-file {}", path.display());
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::usage(
                format!("--auth-file {}: {e}", path.display()),
                "give a readable file holding one line: USER:PASSWORD or Bearer TOKEN",
            )
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(meta) = std::fs::metadata(path) {
                if meta.permissions().mode() & 0o077 != 0 {
                    eprintln!(
                        "warning: {} can be read by other users: `chmod 600 {}`",
                        path.display(),
                        path.display()
                    );
                }
            }
        }
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .ok_or_else(|| {
                Error::usage(
                    format!("--auth-file {}: no credentials in the file", path.display()),
                    "write one line: USER:PASSWORD or Bearer TOKEN",
                )
            })?;
        Self::parse_line(line, origin.clone()).ok_or_else(|| {
            Error::usage(
                format!(
                    "--auth-file {}: cannot read the credentials line",
                    path.display()
                ),
                "write one line: USER:PASSWORD or Bearer TOKEN",
            )
        })
    }

    fn parse_line(line: &str, origin: String) -> Option<Self> {
        let secret = if let Some(token) = line
            .strip_prefix("Bearer ")
            .or_else(|| line.strip_prefix("bearer "))
        {
            let token = token.trim();
            if token.is_empty() {
                return None;
            }
            Secret::Bearer(token.to_string())
        } else {
            let (user, password) = line.split_once(':')?;
            if user.is_empty() {
                return None;
            }
            Secret::UserPassword {
                user: user.to_string(),
                password: password.to_string(),
            }
        };
        Some(Self { secret, origin })
    }

    /// From `AIKG_ENDPOINT_TOKEN`, or `AIKG_ENDPOINT_USER` and
    /// `AIKG_ENDPOINT_PASSWORD` (`var` reads a variable).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Option<Self> {
        if let Some(token) = var("AIKG_ENDPOINT_TOKEN").filter(|t| !t.is_empty()) {
            return Some(Self {
                secret: Secret::Bearer(token),
                origin: "AIKG_ENDPOINT_TOKEN".into(),
            });
        }
        let user = var("AIKG_ENDPOINT_USER").filter(|u| !u.is_empty())?;
        Some(Self {
            secret: Secret::UserPassword {
                user,
                password: var("AIKG_ENDPOINT_PASSWORD").unwrap_or_default(),
            },
            origin: "AIKG_ENDPOINT_USER / AIKG_ENDPOINT_PASSWORD".into(),
        })
    }

    /// The user named in messages (never the password).
    pub fn who(&self) -> String {
        match &self.secret {
            Secret::UserPassword { user, .. } => format!("user {user:?} from {}", self.origin),
            Secret::Bearer(_) => format!("the token from {}", self.origin),
        }
    }
}

/// A `WWW-Authenticate` challenge the client can answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Challenge {
    Basic,
    Digest(DigestChallenge),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestChallenge {
    pub realm: String,
    pub nonce: String,
    pub opaque: Option<String>,
    /// `auth` when the server offers it (RFC 7616 §3.3), else none (RFC 2069).
    pub qop_auth: bool,
    pub algorithm: DigestAlgorithm,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigestAlgorithm {
    Md5,
    Sha256,
}

/// The challenge to answer among those of the `WWW-Authenticate` headers:
/// Digest (SHA-256, then MD5) before Basic.
pub fn pick_challenge<'a>(headers: impl Iterator<Item = &'a str>) -> Option<Challenge> {
    let mut basic = false;
    let mut digests = Vec::new();
    for header in headers {
        let trimmed = header.trim_start();
        let (scheme, rest) = trimmed.split_once(' ').unwrap_or((trimmed, ""));
        if scheme.eq_ignore_ascii_case("basic") {
            basic = true;
        } else if scheme.eq_ignore_ascii_case("digest") {
            if let Some(d) = parse_digest(rest) {
                digests.push(d);
            }
        }
    }
    digests.sort_by_key(|d| d.algorithm != DigestAlgorithm::Sha256);
    digests
        .into_iter()
        .next()
        .map(Challenge::Digest)
        .or(basic.then_some(Challenge::Basic))
}

/// `key=value` and `key="quoted, value"` pairs of a challenge.
fn parameters(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else {
            break;
        };
        let key = key
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        let after = after.trim_start();
        let (value, remaining) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, next)) = chars.next() {
                            value.push(next);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => value.push(c),
                }
            }
            (value, &quoted[end..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_string(), &after[end..])
        };
        out.push((key, value));
        rest = remaining.trim_start().trim_start_matches(',').trim_start();
    }
    out
}

fn parse_digest(text: &str) -> Option<DigestChallenge> {
    let params = parameters(text);
    let get = |k: &str| {
        params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let algorithm = match get("algorithm").as_deref().map(str::to_ascii_uppercase) {
        None => DigestAlgorithm::Md5,
        Some(a) if a == "MD5" => DigestAlgorithm::Md5,
        Some(a) if a == "SHA-256" => DigestAlgorithm::Sha256,
        Some(_) => return None, // -sess variants and others: not answered
    };
    let qop = get("qop");
    if qop
        .as_deref()
        .is_some_and(|q| !q.split(',').any(|q| q.trim() == "auth"))
    {
        return None; // only auth-int offered
    }
    Some(DigestChallenge {
        realm: get("realm").unwrap_or_default(),
        nonce: get("nonce")?,
        opaque: get("opaque"),
        qop_auth: qop.is_some(),
        algorithm,
    })
}

fn hex_digest(algorithm: DigestAlgorithm, text: &str) -> String {
    let bytes: Vec<u8> = match algorithm {
        DigestAlgorithm::Md5 => md5::Md5::digest(text.as_bytes()).to_vec(),
        DigestAlgorithm::Sha256 => sha2::Sha256::digest(text.as_bytes()).to_vec(),
    };
    let mut hex = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// The `Authorization` header answering a Digest challenge for one request
/// (`uri` is the request target: path and query), the `count`-th with this
/// nonce.
pub fn digest_authorization(
    challenge: &DigestChallenge,
    user: &str,
    password: &str,
    method: &str,
    uri: &str,
    count: u32,
    cnonce: &str,
) -> String {
    let algorithm = challenge.algorithm;
    let ha1 = hex_digest(algorithm, &format!("{user}:{}:{password}", challenge.realm));
    let ha2 = hex_digest(algorithm, &format!("{method}:{uri}"));
    let nc = format!("{count:08x}");
    let response = if challenge.qop_auth {
        hex_digest(
            algorithm,
            &format!("{ha1}:{}:{nc}:{cnonce}:auth:{ha2}", challenge.nonce),
        )
    } else {
        hex_digest(algorithm, &format!("{ha1}:{}:{ha2}", challenge.nonce))
    };
    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut header = format!(
        "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", response=\"{response}\", algorithm={}",
        quote(user),
        quote(&challenge.realm),
        quote(&challenge.nonce),
        quote(uri),
        match algorithm {
            DigestAlgorithm::Md5 => "MD5",
            DigestAlgorithm::Sha256 => "SHA-256",
        }
    );
    if challenge.qop_auth {
        let _ = write!(header, ", qop=auth, nc={nc}, cnonce=\"{cnonce}\"");
    }
    if let Some(opaque) = &challenge.opaque {
        let _ = write!(header, ", opaque=\"{}\"", quote(opaque));
    }
    header
}

/// `Basic base64(user:password)`.
pub fn basic_authorization(user: &str, password: &str) -> String {
    format!("Basic {}", base64(format!("{user}:{password}").as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_is_rfc_7617() {
        // RFC 7617 §2's example.
        assert_eq!(
            basic_authorization("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
    }

    #[test]
    fn digest_answers_rfc_7616_examples() {
        // RFC 7616 §3.9.1: the same request with MD5 and SHA-256.
        let header = r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
        let md5 = header.replace("SHA-256", "MD5");
        let Some(Challenge::Digest(sha)) = pick_challenge([header, md5.as_str()].into_iter())
        else {
            panic!("no digest challenge")
        };
        assert_eq!(sha.algorithm, DigestAlgorithm::Sha256);
        // RFC 7616's user, password, request and client nonce.
        let answer_to = |challenge: &DigestChallenge| {
            digest_authorization(
                challenge,
                "Mufasa",
                "Circle of Life",
                "GET",
                "/dir/index.html",
                1,
                "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
            )
        };
        let answer = answer_to(&sha);
        assert!(
            answer.contains(
                r#"response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1""#
            ),
            "{answer}"
        );
        let Some(Challenge::Digest(md5)) = pick_challenge([md5.as_str()].into_iter()) else {
            panic!("no digest challenge")
        };
        let answer = answer_to(&md5);
        assert!(
            answer.contains(r#"response="8ca523f5e9506fed4657c9700eebdbec""#),
            "{answer}"
        );
        assert!(answer.contains("nc=00000001"), "{answer}");
    }

    #[test]
    fn credentials_lines() {
        let c = Credentials::parse_line("dba:se:cret", "t".into()).unwrap();
        assert!(
            matches!(c.secret, Secret::UserPassword { ref user, ref password } if user == "dba" && password == "se:cret")
        );
        let c = Credentials::parse_line("Bearer abc", "t".into()).unwrap();
        assert!(matches!(c.secret, Secret::Bearer(ref t) if t == "abc"));
        assert!(Credentials::parse_line("no colon", "t".into()).is_none());
        assert!(!format!("{c:?}").contains("abc"));
        let env = |name: &str| match name {
            "AIKG_ENDPOINT_USER" => Some("u".to_string()),
            "AIKG_ENDPOINT_PASSWORD" => Some("p".to_string()),
            _ => None,
        };
        assert!(matches!(
            Credentials::from_env(env).unwrap().secret,
            Secret::UserPassword { .. }
        ));
        assert!(Credentials::from_env(|_| None).is_none());
    }
}
