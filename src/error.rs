//! The errors aikg reports, each with what to do next, and their exit codes
//! (0 ok, 1 the data has violations, 2 usage, input or I/O errors).

use crate::source::SourceError;
use std::fmt;

/// An error a user can act on.
#[derive(Debug)]
pub enum Error {
    /// A source file that cannot be read (syntax, encoding, empty...).
    Source(SourceError),
    /// Bad command-line usage or argument: what was wrong and what to do.
    Usage { message: String, hint: String },
    /// A SPARQL query that does not parse, with its position.
    QuerySyntax {
        origin: String,
        line: u32,
        column: u32,
        message: String,
        /// What to do next.
        hint: String,
    },
    /// A query that parsed but failed while running.
    QueryEvaluation(String),
    /// A query cancelled at its timeout.
    QueryTimeout { seconds: f64 },
    /// A query that returned more rows than allowed (`--max-results`, `--limit`).
    TooManyResults { limit: u64 },
    /// The store (RocksDB) failed.
    Storage(String),
    /// The store failed, with what to do for that cause.
    Store { message: String, hint: String },
    /// A file could not be read or written.
    Io { path: String, message: String },
    /// A remote SPARQL endpoint or graph store failed or refused: which URL,
    /// the HTTP status if there was an answer, the server's message.
    Remote {
        url: String,
        status: Option<u16>,
        message: String,
        hint: String,
    },
    /// Stopped by SIGTERM or SIGINT (a child process killed, nothing written).
    Interrupted { signal: i32 },
}

impl Error {
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn io(path: impl fmt::Display, error: impl fmt::Display) -> Self {
        Self::Io {
            path: path.to_string(),
            message: error.to_string(),
        }
    }

    /// A store error, with a hint for its cause: disk full, store in use by
    /// another process, corrupt, or not writable.
    pub fn storage(error: oxigraph::store::StorageError, dir: &std::path::Path) -> Self {
        let message = error.to_string();
        let lower = message.to_lowercase();
        let shown = dir.display();
        let hint = if lower.contains("no space left") {
            "the disk is full: free some space and run it again (nothing was written)".to_string()
        } else if lower.contains("lock") || lower.contains("resource temporarily unavailable") {
            format!("{shown} is in use by another process (a running `aikg load` or `aikg serve`?): wait for it to end, or stop it")
        } else if lower.contains("corrupt") || lower.contains("checksum") {
            format!(
                "{shown} is damaged: restore it from a backup, or load the data into a new store"
            )
        } else if lower.contains("permission denied")
            || lower.contains("read-only")
            || lower.contains("read only")
        {
            format!("{shown} cannot be written: check its permissions and the file system")
        } else {
            format!("is {shown} an aikg store, readable, and not used by another process?")
        };
        Self::Store {
            message: format!("store {shown}: {message}"),
            hint,
        }
    }

    /// Every error is a usage, input or I/O error: exit 2.
    /// Every error is a usage, input or I/O error (exit 2), except a stop
    /// by a signal: 128 + its number, as shells report it.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Interrupted { signal } => 128 + signal,
            _ => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Source(e) => e.fmt(f),
            Error::Usage { message, hint } => {
                write!(f, "{message}")?;
                if !hint.is_empty() {
                    write!(f, "\n  hint: {hint}")?;
                }
                Ok(())
            }
            Error::QuerySyntax {
                origin,
                line,
                column,
                message,
                hint,
            } => write!(f, "{origin}:{line}:{column}: {message}\n  hint: {hint}"),
            Error::QueryEvaluation(message) => write!(f, "the query failed: {message}"),
            Error::QueryTimeout { seconds } => write!(
                f,
                "the query ran longer than {seconds} s and was cancelled\n  hint: narrow the query (a more selective pattern, a LIMIT), or allow more time with --timeout"
            ),
            Error::TooManyResults { limit } => write!(
                f,
                "the query returns more than {limit} rows\n  hint: add LIMIT (and ORDER BY) to the query, or raise the cap (--max-results / --limit)"
            ),
            Error::Storage(message) => write!(
                f,
                "store error: {message}\n  hint: is the store directory readable and not used by another process?"
            ),
            Error::Store { message, hint } => write!(f, "store error: {message}\n  hint: {hint}"),
            Error::Io { path, message } => write!(f, "{path}: {message}"),
            Error::Remote {
                url,
                status,
                message,
                hint,
            } => {
                match status {
                    Some(status) => write!(f, "{url}: HTTP {status}: {message}")?,
                    None => write!(f, "{url}: {message}")?,
                }
                if !hint.is_empty() {
                    write!(f, "\n  hint: {hint}")?;
                }
                Ok(())
            }
            Error::Interrupted { signal } => write!(
                f,
                "stopped by signal {signal}: the drawing was cancelled and nothing was written"
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<SourceError> for Error {
    fn from(e: SourceError) -> Self {
        Self::Source(e)
    }
}

impl From<oxigraph::store::StorageError> for Error {
    fn from(e: oxigraph::store::StorageError) -> Self {
        Self::Storage(e.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
