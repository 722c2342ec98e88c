//! The SPARQL 1.1 Graph Store HTTP Protocol, client side: a named graph is
//! replaced (PUT), added to (POST) or dropped (DELETE), identified as
//! `?graph=IRI` (indirect identification, §4.2), in N-Triples.
//!
//! Bodies are always sent with a `Content-Length`, never chunked: a server
//! then knows when a request is incomplete (a client killed halfway) and
//! drops it, where Virtuoso applies a cut chunked body as far as it goes
//! (the graph emptied or half-written; see docs/SCALING.md).

use super::http::Client;
use crate::error::Result;
use oxhttp::model::header::CONTENT_TYPE;
use oxhttp::model::Method;
use oxigraph::model::NamedNode;
use std::sync::Arc;
use url::Url;

/// A Graph Store Protocol endpoint.
pub struct GraphStore {
    pub url: Url,
    client: Arc<Client>,
}

impl GraphStore {
    pub fn new(url: Url, client: Arc<Client>) -> Self {
        Self { url, client }
    }

    fn graph_url(&self, graph: &NamedNode) -> Url {
        let mut url = self.url.clone();
        url.query_pairs_mut().append_pair("graph", graph.as_str());
        url
    }

    /// Replaces the graph with these N-Triples.
    pub fn put(&self, graph: &NamedNode, ntriples: &[u8]) -> Result<()> {
        self.send(Method::PUT, graph, ntriples)
    }

    /// Adds these N-Triples to the graph.
    pub fn post(&self, graph: &NamedNode, ntriples: &[u8]) -> Result<()> {
        self.send(Method::POST, graph, ntriples)
    }

    fn send(&self, method: Method, graph: &NamedNode, ntriples: &[u8]) -> Result<()> {
        let headers = [(CONTENT_TYPE, "application/n-triples".to_string())];
        self.client
            .send(method, &self.graph_url(graph), &headers, ntriples, &[])?;
        Ok(())
    }

    /// Drops the graph; a graph already absent (404) is fine.
    pub fn delete(&self, graph: &NamedNode) -> Result<()> {
        self.client
            .send(Method::DELETE, &self.graph_url(graph), &[], &[], &[404])?;
        Ok(())
    }
}
