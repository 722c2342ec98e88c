//! SPARQL `SERVICE` calls to remote endpoints, allowed only for the
//! endpoints of an allow-list, with a timeout.
//!
//! The allow-list is, in order: the default (Wikidata's endpoint,
//! <https://query.wikidata.org/sparql>), the endpoints of the
//! `AIKG_ALLOW_SERVICE` environment variable (space- or comma-separated; the
//! value `none` empties the list), and those given with `--allow-service URL`.
//! The timeout is 30 s, or `AIKG_SERVICE_TIMEOUT` seconds. An endpoint
//! matches if the SERVICE IRI equals it, ignoring a trailing slash. A
//! redirect is followed only to an endpoint of the list.

use oxigraph::model::NamedNode;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{DefaultServiceHandler, QueryEvaluationError, QuerySolutionIter};
use oxiri::Iri;
use spargebra::algebra::GraphPattern;
use std::time::Duration;

pub const WIKIDATA_SPARQL: &str = "https://query.wikidata.org/sparql";

/// Which endpoints `SERVICE` may call, and for how long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceOptions {
    pub allow: Vec<String>,
    pub timeout: Duration,
}

impl Default for ServiceOptions {
    fn default() -> Self {
        Self {
            allow: vec![WIKIDATA_SPARQL.to_string()],
            timeout: Duration::from_secs(30),
        }
    }
}

impl ServiceOptions {
    /// The default, then the environment, then `extra` (from `--allow-service`).
    pub fn from_env(extra: &[String]) -> Self {
        let mut options = Self::default();
        if let Ok(list) = std::env::var("AIKG_ALLOW_SERVICE") {
            for item in list
                .split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                if item == "none" {
                    options.allow.clear();
                } else {
                    options.allow.push(item.to_string());
                }
            }
        }
        if let Some(seconds) = std::env::var("AIKG_SERVICE_TIMEOUT")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
        {
            if seconds > 0.0 {
                options.timeout = Duration::from_secs_f64(seconds);
            }
        }
        options.allow.extend(extra.iter().cloned());
        options
    }

    pub fn allows(&self, endpoint: &str) -> bool {
        let endpoint = endpoint.trim_end_matches('/');
        self.allow
            .iter()
            .any(|a| a.trim_end_matches('/') == endpoint)
    }
}

/// The `SERVICE` handler: refuses endpoints off the list, calls the others
/// over HTTP(S) with the timeout. A redirect is followed only to an
/// endpoint of the list too (else an allowed endpoint could send aikg's
/// request, or a GET, anywhere).
pub struct AllowListHandler {
    options: ServiceOptions,
    client: crate::remote::http::Client,
}

impl AllowListHandler {
    pub fn new(options: ServiceOptions) -> Self {
        let patience = crate::remote::http::Patience {
            timeout: options.timeout,
            retries: 0,
            ..Default::default()
        };
        let allowed = options.clone();
        let client = crate::remote::http::Client::new(patience, None)
            .with_redirect_check(Box::new(move |_, to| allowed.allows(to.as_str())));
        Self { options, client }
    }
}

/// The error for a `SERVICE` endpoint off the allow-list.
pub fn refused(endpoint: &str, options: &ServiceOptions) -> crate::error::Error {
    crate::error::Error::QueryEvaluation(refusal(endpoint, options))
}

fn refusal(endpoint: &str, options: &ServiceOptions) -> String {
    format!(
        "SERVICE <{endpoint}> refused: the endpoint is not on the allow-list ({}); allow it with --allow-service {endpoint} or the AIKG_ALLOW_SERVICE environment variable",
        if options.allow.is_empty() {
            "empty".to_string()
        } else {
            options.allow.join(", ")
        }
    )
}

fn service_error(message: String) -> QueryEvaluationError {
    QueryEvaluationError::Service(message.into())
}

impl DefaultServiceHandler for AllowListHandler {
    type Error = QueryEvaluationError;

    fn handle(
        &self,
        service_name: &NamedNode,
        pattern: &GraphPattern,
        base_iri: Option<&Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, Self::Error> {
        let endpoint = service_name.as_str();
        if !self.options.allows(endpoint) {
            return Err(service_error(refusal(endpoint, &self.options)));
        }
        let query = spargebra::Query::Select {
            dataset: None,
            pattern: pattern.clone(),
            base_iri: base_iri.cloned(),
        }
        .to_string();
        let url = url::Url::parse(endpoint)
            .map_err(|e| service_error(format!("SERVICE <{endpoint}>: not a URL ({e})")))?;
        let headers = [
            (
                oxhttp::model::header::ACCEPT,
                "application/sparql-results+json, application/sparql-results+xml".to_string(),
            ),
            (
                oxhttp::model::header::CONTENT_TYPE,
                "application/sparql-query".to_string(),
            ),
        ];
        let response = self
            .client
            .send(
                oxhttp::model::Method::POST,
                &url,
                &headers,
                query.as_bytes(),
                &[],
            )
            .map_err(|e| match e {
                crate::error::Error::Remote {
                    status: None,
                    message,
                    ..
                } if !message.starts_with("redirected") => service_error(format!(
                    "SERVICE <{endpoint}> unreachable: {message} (no network, or no answer within {} s; set AIKG_SERVICE_TIMEOUT to wait longer)",
                    self.options.timeout.as_secs_f64()
                )),
                crate::error::Error::Remote {
                    status: Some(status),
                    message,
                    ..
                } => service_error(format!("SERVICE <{endpoint}> answered HTTP {status}: {message}")),
                crate::error::Error::Remote { message, .. } => {
                    service_error(format!("SERVICE <{endpoint}>: {message}"))
                }
                other => service_error(format!("SERVICE <{endpoint}>: {other}")),
            })?;
        let content_type = response.content_type().to_string();
        let format = QueryResultsFormat::from_media_type(&content_type).ok_or_else(|| {
            service_error(format!(
                "SERVICE <{endpoint}> answered with an unsupported content type {content_type:?}"
            ))
        })?;
        let ReaderQueryResultsParserOutput::Solutions(reader) =
            QueryResultsParser::from_format(format)
                .for_reader(response.body)
                .map_err(|e| service_error(format!("SERVICE <{endpoint}>: bad results: {e}")))?
        else {
            return Err(service_error(format!(
                "SERVICE <{endpoint}> returned a boolean, not solutions"
            )));
        };
        Ok(QuerySolutionIter::new(
            reader.variables().into(),
            Box::new(reader.map(|t| t.map_err(|e| QueryEvaluationError::Service(Box::new(e))))),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allow_list_matches_whole_endpoints() {
        let options = ServiceOptions::default();
        assert!(options.allows("https://query.wikidata.org/sparql"));
        assert!(options.allows("https://query.wikidata.org/sparql/"));
        assert!(!options.allows("https://query.wikidata.org/sparql-evil"));
        assert!(!options.allows("https://evil.example.org/sparql"));
    }
}
