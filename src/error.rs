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
    },
    /// A query that parsed but failed while running.
    QueryEvaluation(String),
    /// The store (RocksDB) failed.
    Storage(String),
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

    /// Every error is a usage, input or I/O error: exit 2.
    pub fn exit_code(&self) -> i32 {
        2
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
            } => write!(
                f,
                "{origin}:{line}:{column}: SPARQL syntax error: {message}\n  hint: check the query at that position (the prefixes aikg:, id:, src:, rdfs:, skos:, xsd: ... are predeclared)"
            ),
            Error::QueryEvaluation(message) => write!(f, "the query failed: {message}"),
            Error::Storage(message) => write!(
                f,
                "store error: {message}\n  hint: is the store directory readable and not used by another process?"
            ),
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
