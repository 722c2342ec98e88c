//! The SPARQL 1.1 Protocol, client side: a query POSTed as a form
//! (`query=`, `default-graph-uri=`), the answer read in the W3C results
//! formats (JSON, XML) or as RDF (N-Triples, Turtle, RDF/XML) through
//! oxigraph's parsers. What a server does to an answer without saying so in
//! the format is caught from its headers: Virtuoso cuts results at
//! `ResultSetMaxRows` (header `X-SPARQL-MaxRows`) and returns partial
//! results when a query reaches `MaxQueryExecutionTime` ("anytime" queries,
//! header `X-SQL-State`); both are errors here, never a short answer.

use super::http::Client;
use crate::error::{Error, Result};
use oxhttp::model::header::{ACCEPT, CONTENT_TYPE};
use oxhttp::model::Method;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Term, Triple, Variable};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::QuerySolution;
use std::sync::Arc;
use url::Url;

/// A SPARQL query endpoint.
pub struct Endpoint {
    pub url: Url,
    client: Arc<Client>,
}

/// One row of solutions: a value (or none) per variable.
pub type Row = Vec<Option<Term>>;

/// What a query returned.
pub enum Reply {
    Solutions {
        variables: Vec<Variable>,
        rows: Vec<Row>,
    },
    Boolean(bool),
    Graph(Vec<Triple>),
}

/// The RDF dataset of a query, given with the protocol's
/// `default-graph-uri` and `named-graph-uri` (SPARQL 1.1 Protocol §2.1.4);
/// empty: the endpoint's own.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub default: Vec<String>,
    pub named: Vec<String>,
}

/// A result the server cut short without an error status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// At this many rows (Virtuoso's ResultSetMaxRows).
    MaxRows(u64),
    /// At the server's time limit.
    Time,
}

// XML first: Virtuoso writes it three times faster than JSON.
const SOLUTIONS_ACCEPT: &str =
    "application/sparql-results+xml, application/sparql-results+json;q=0.9";
const GRAPH_ACCEPT: &str =
    "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8, application/ld+json;q=0.5";

/// What kind of answer a query gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Solutions,
    Graph,
}

impl Endpoint {
    pub fn new(url: Url, client: Arc<Client>) -> Self {
        Self { url, client }
    }

    /// Runs a query; a result the server cut short is an error.
    pub fn query(&self, text: &str, form: Form, dataset: &Dataset) -> Result<Reply> {
        let (reply, cut) = self.query_allowing_cuts(text, form, dataset)?;
        match cut {
            None => Ok(reply),
            Some(cut) => Err(self.cut_error(cut)),
        }
    }

    /// The error for a result cut short.
    pub fn cut_error(&self, cut: Cut) -> Error {
        match cut {
            Cut::MaxRows(n) => Error::Remote {
                url: self.url.to_string(),
                status: Some(200),
                message: format!("the store cut the answer at {n} rows (its maximum result size): the answer is incomplete, so it is not shown"),
                hint: "raise the store's limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini), or ask for less (LIMIT and OFFSET, a narrower pattern)".into(),
            },
            Cut::Time => Error::Remote {
                url: self.url.to_string(),
                status: Some(200),
                message: "the store stopped the query at its time limit and sent partial results: the answer is incomplete, so it is not shown".into(),
                hint: "raise the store's limit (Virtuoso: MaxQueryExecutionTime in the [SPARQL] section of virtuoso.ini), or ask for less".into(),
            },
        }
    }

    /// Runs a query, telling whether the server cut the result short (for
    /// readers that page through a large result).
    pub fn query_allowing_cuts(
        &self,
        text: &str,
        form: Form,
        dataset: &Dataset,
    ) -> Result<(Reply, Option<Cut>)> {
        let mut form_body = url::form_urlencoded::Serializer::new(String::new());
        form_body.append_pair("query", text);
        for graph in &dataset.default {
            form_body.append_pair("default-graph-uri", graph);
        }
        for graph in &dataset.named {
            form_body.append_pair("named-graph-uri", graph);
        }
        let body = form_body.finish();
        let accept = match form {
            Form::Solutions => SOLUTIONS_ACCEPT,
            Form::Graph => GRAPH_ACCEPT,
        };
        let headers = [
            (ACCEPT, accept.to_string()),
            (
                CONTENT_TYPE,
                "application/x-www-form-urlencoded".to_string(),
            ),
        ];
        let started = std::time::Instant::now();
        let response = self
            .client
            .send(Method::POST, &self.url, &headers, body.as_bytes(), &[])
            .map_err(|e| refine_query_error(e, text))?;
        let cut = if response
            .header("x-sql-state")
            .is_some_and(|s| !s.is_empty())
            || response.header("x-sparql-anytime").is_some()
        {
            Some(Cut::Time)
        } else {
            response
                .header("x-sparql-maxrows")
                .and_then(|n| n.trim().parse().ok())
                .map(Cut::MaxRows)
        };
        let media_type = response
            .content_type()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let url = response.url.clone();
        let bytes = response.bytes()?;
        let reply = parse_reply(&url, &media_type, &bytes)?;
        crate::timing("remote query", started);
        if std::env::var_os("AIKG_TIMINGS").is_some_and(|v| v == "queries") {
            // Which query took that time (AIKG_TIMINGS=queries).
            let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            eprintln!("        {}", one_line.chars().take(400).collect::<String>());
        }
        Ok((reply, cut))
    }
}

/// A 400 from the endpoint is about the query: say so. Errors of known
/// engines get the hint their maintainers give.
fn refine_query_error(error: Error, text: &str) -> Error {
    if let Error::Remote {
        url,
        status,
        message,
        ..
    } = &error
    {
        if message.contains("The estimated execution time") {
            return Error::Remote {
                url: url.clone(),
                status: *status,
                message: message.clone(),
                hint: "Virtuoso refused the query on its own cost estimate, which is often wrong (negative or huge for queries with many OPTIONALs); its maintainers advise removing MaxQueryCostEstimationTime from the [SPARQL] section of virtuoso.ini (github.com/openlink/virtuoso-opensource issues 535, 1395)".into(),
            };
        }
    }
    match error {
        Error::Remote {
            url,
            status: Some(400),
            message,
            ..
        } => Error::Remote {
            url,
            status: Some(400),
            message: format!("the store refused the query: {message}"),
            hint: format!(
                "aikg checked the query before sending it; the store's SPARQL differs (see docs/SCALING.md on engine quirks). The query sent was:\n{}",
                text.lines().take(12).collect::<Vec<_>>().join("\n")
            ),
        },
        other => other,
    }
}

fn parse_reply(url: &Url, media_type: &str, bytes: &[u8]) -> Result<Reply> {
    let bad = |what: String| Error::Remote {
        url: url.to_string(),
        status: Some(200),
        message: what,
        hint: "the store answered in a form aikg cannot read; is this a SPARQL 1.1 endpoint?"
            .into(),
    };
    if let Some(format) = QueryResultsFormat::from_media_type(media_type) {
        let parsed = QueryResultsParser::from_format(format)
            .for_slice(bytes)
            .map_err(|e| bad(format!("unreadable results: {e}")))?;
        return Ok(match parsed {
            oxigraph::sparql::results::SliceQueryResultsParserOutput::Boolean(b) => {
                Reply::Boolean(b)
            }
            oxigraph::sparql::results::SliceQueryResultsParserOutput::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                let mut rows = Vec::new();
                for solution in solutions {
                    let solution = solution.map_err(|e| bad(format!("unreadable results: {e}")))?;
                    rows.push(variables.iter().map(|v| solution.get(v).cloned()).collect());
                }
                Reply::Solutions { variables, rows }
            }
        });
    }
    if let Some(format) = RdfFormat::from_media_type(media_type) {
        let mut triples = Vec::new();
        for quad in RdfParser::from_format(format).for_slice(bytes) {
            let quad = quad.map_err(|e| bad(format!("unreadable graph: {e}")))?;
            triples.push(Triple::from(quad));
        }
        return Ok(Reply::Graph(triples));
    }
    // A reader-based fallback for servers that label results loosely.
    if bytes.first() == Some(&b'{') {
        if let Ok(ReaderQueryResultsParserOutput::Solutions(solutions)) =
            QueryResultsParser::from_format(QueryResultsFormat::Json).for_reader(bytes)
        {
            let variables = solutions.variables().to_vec();
            let rows: std::result::Result<Vec<Row>, _> = solutions
                .map(|s| s.map(|s| variables.iter().map(|v| s.get(v).cloned()).collect()))
                .collect();
            if let Ok(rows) = rows {
                return Ok(Reply::Solutions { variables, rows });
            }
        }
    }
    Err(bad(format!(
        "an answer of type {media_type:?}, neither SPARQL results nor RDF"
    )))
}

/// Rows as `QuerySolution`s.
pub fn solutions(variables: &[Variable], rows: Vec<Row>) -> Vec<QuerySolution> {
    let shared: Arc<[Variable]> = variables.into();
    rows.into_iter()
        .map(|values| QuerySolution::from((shared.clone(), values)))
        .collect()
}
