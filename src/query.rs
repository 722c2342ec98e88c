//! SPARQL: parsing (with the ontology's prefixes predeclared), binding
//! parameters as RDF terms, evaluating on the union of all graphs, and writing
//! results: a readable table, or the W3C formats through oxigraph's own
//! serialisers.

use crate::error::{Error, Result};
use crate::namespaces;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, QuerySolution, SparqlEvaluator};
use oxigraph::store::Store;
use spargebra::algebra::GraphPattern;
use spargebra::SparqlParser;
use std::io::Write;

/// How to print results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// Aligned columns for people (SELECT, ASK); Turtle for graphs.
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
    /// Turtle (graphs).
    Turtle,
    /// N-Triples (graphs).
    NTriples,
    /// JSON-LD (graphs).
    JsonLd,
}

impl OutputFormat {
    pub const NAMES: &'static str = "table, csv, tsv, json, xml, ttl, nt, jsonld";

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "table" => Self::Table,
            "csv" => Self::Csv,
            "tsv" => Self::Tsv,
            "json" | "srj" => Self::Json,
            "xml" | "srx" => Self::Xml,
            "ttl" | "turtle" => Self::Turtle,
            "nt" | "ntriples" | "n-triples" => Self::NTriples,
            "jsonld" | "json-ld" => Self::JsonLd,
            _ => return None,
        })
    }
}

/// A parsed query, ready to run.
#[derive(Clone, Debug)]
pub struct Query {
    pub(crate) inner: spargebra::Query,
}

impl Query {
    /// Parses SPARQL with the aikg prefixes predeclared. `origin` names the
    /// query in error messages (a file, a named query, "argument").
    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        let mut parser = SparqlParser::new();
        for (prefix, namespace) in namespaces::PREFIXES {
            parser = parser
                .with_prefix(*prefix, *namespace)
                .expect("the predeclared prefixes are valid IRIs");
        }
        let inner = parser
            .parse_query(text)
            .map_err(|e| syntax_error(&e.to_string(), origin))?;
        Ok(Self { inner })
    }

    /// The variables the query mentions anywhere (to check parameter names).
    pub fn mentions_variable(&self, name: &str) -> bool {
        let text = self.inner.to_string();
        let needle = format!("?{name}");
        text.match_indices(&needle).any(|(i, _)| {
            !text[i + needle.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    }

    /// Whether the query fixes its row order (ORDER BY): if not, aikg sorts
    /// the rows so that output is deterministic.
    pub(crate) fn is_ordered(&self) -> bool {
        fn ordered(pattern: &GraphPattern) -> bool {
            match pattern {
                GraphPattern::OrderBy { .. } => true,
                GraphPattern::Project { inner, .. }
                | GraphPattern::Distinct { inner }
                | GraphPattern::Reduced { inner }
                | GraphPattern::Slice { inner, .. } => ordered(inner),
                _ => false,
            }
        }
        match &self.inner {
            spargebra::Query::Select { pattern, .. } => ordered(pattern),
            _ => true,
        }
    }

    fn uses_dataset_clause(&self) -> bool {
        match &self.inner {
            spargebra::Query::Select { dataset, .. }
            | spargebra::Query::Construct { dataset, .. }
            | spargebra::Query::Describe { dataset, .. }
            | spargebra::Query::Ask { dataset, .. } => dataset.is_some(),
        }
    }
}

/// oxigraph's syntax errors read "error at L:C: expected ..."; keep the
/// position apart so that the message can name the origin.
fn syntax_error(message: &str, origin: &str) -> Error {
    let position = message
        .strip_prefix("error at ")
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(pos, rest)| {
            let (line, column) = pos.split_once(':')?;
            Some((line.parse().ok()?, column.parse().ok()?, rest.to_string()))
        });
    let (line, column, message) = position.unwrap_or((1, 1, message.to_string()));
    Error::QuerySyntax {
        origin: origin.to_string(),
        line,
        column,
        message,
    }
}

/// What a query returned, fully read (aikg's graphs are small; persistent
/// stores stream through [`run`]).
pub enum Answer {
    Solutions {
        variables: Vec<Variable>,
        rows: Vec<QuerySolution>,
    },
    Boolean(bool),
    Graph(Vec<Triple>),
}

/// Evaluates a query on the store: the default graph is the merge of all
/// graphs (the bundled store holds it; persistent stores use oxigraph's
/// union default graph) unless the query names its dataset (FROM / FROM NAMED).
/// `bindings` are bound as RDF terms (never pasted into the query text; see
/// [`crate::bind`]).
pub fn evaluate(store: &Store, query: &Query, bindings: &[(Variable, Term)]) -> Result<Answer> {
    evaluate_with(store, query, bindings, &EvalOptions::default())
}

/// Options of [`evaluate_with`].
#[derive(Clone, Debug, Default)]
pub struct EvalOptions {
    /// Which endpoints `SERVICE` may call (see [`crate::federation`]).
    pub services: crate::federation::ServiceOptions,
}

/// [`evaluate`], with `SERVICE` calls limited to the allow-list of `options`.
pub fn evaluate_with(
    store: &Store,
    query: &Query,
    bindings: &[(Variable, Term)],
    options: &EvalOptions,
) -> Result<Answer> {
    let mut algebra = query.inner.clone();
    crate::bind::substitute(&mut algebra, bindings);
    let mut prepared = SparqlEvaluator::new()
        .with_default_service_handler(crate::federation::AllowListHandler::new(
            options.services.clone(),
        ))
        .for_query(algebra);
    if !query.uses_dataset_clause() {
        if crate::store::has_merged_graph(store)? {
            // The default graph is the merge of all graphs; GRAPH ?g ranges
            // over the data's own graphs (the passages), not the merge.
            let merged = NamedNode::new_unchecked(crate::store::MERGED_GRAPH);
            let named = store
                .named_graphs()
                .filter(|g| !matches!(g, Ok(NamedOrBlankNode::NamedNode(n)) if *n == merged))
                .collect::<Result<Vec<_>, _>>()?;
            let dataset = prepared.dataset_mut();
            dataset.set_default_graph(vec![merged.into()]);
            dataset.set_available_named_graphs(named);
        } else {
            prepared.dataset_mut().set_default_graph_as_union();
        }
    }
    let results = prepared
        .on_store(store)
        .execute()
        .map_err(|e| Error::QueryEvaluation(e.to_string()))?;
    Ok(match results {
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            let rows = solutions
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| Error::QueryEvaluation(e.to_string()))?;
            solutions_answer(query, variables, rows)
        }
        QueryResults::Boolean(b) => Answer::Boolean(b),
        QueryResults::Graph(triples) => {
            let triples = triples
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| Error::QueryEvaluation(e.to_string()))?;
            graph_answer(triples)
        }
    })
}

/// Rows as an answer: sorted when the query leaves their order open, so
/// that output is the same wherever the query ran.
pub(crate) fn solutions_answer(
    query: &Query,
    variables: Vec<Variable>,
    mut rows: Vec<QuerySolution>,
) -> Answer {
    if !query.is_ordered() {
        rows.sort_by_cached_key(|row| {
            variables
                .iter()
                .map(|v| row.get(v).map(ToString::to_string).unwrap_or_default())
                .collect::<Vec<_>>()
        });
    }
    Answer::Solutions { variables, rows }
}

/// Triples as an answer: sorted, each once.
pub(crate) fn graph_answer(mut triples: Vec<Triple>) -> Answer {
    triples.sort_by_cached_key(ToString::to_string);
    triples.dedup();
    Answer::Graph(triples)
}

/// Runs a SELECT and returns its rows (for the library's own queries).
pub fn select(store: &Store, sparql: &str) -> Result<Vec<QuerySolution>> {
    match evaluate(store, &Query::parse(sparql, "aikg")?, &[])? {
        Answer::Solutions { rows, .. } => Ok(rows),
        _ => Err(Error::QueryEvaluation("expected a SELECT query".into())),
    }
}

/// The W3C results format for a SELECT or ASK answer (`None` for the table).
fn results_format(format: OutputFormat, what: &str) -> Result<Option<QueryResultsFormat>> {
    Ok(Some(match format {
        OutputFormat::Table => return Ok(None),
        OutputFormat::Csv => QueryResultsFormat::Csv,
        OutputFormat::Tsv => QueryResultsFormat::Tsv,
        OutputFormat::Json => QueryResultsFormat::Json,
        OutputFormat::Xml => QueryResultsFormat::Xml,
        OutputFormat::Turtle | OutputFormat::NTriples | OutputFormat::JsonLd => {
            return Err(Error::usage(
                format!("{what}, not a graph"),
                "use --format table, csv, tsv, json or xml (or write a CONSTRUCT query)",
            ))
        }
    }))
}

/// Writes an answer in the requested format.
pub fn write_answer(answer: &Answer, format: OutputFormat, out: &mut dyn Write) -> Result<()> {
    let io = |e: std::io::Error| Error::io("<stdout>", e);
    match answer {
        Answer::Solutions { variables, rows } => {
            match results_format(format, "a SELECT query returns a table")? {
                None => write_table(variables, rows, out).map_err(io)?,
                Some(results_format) => {
                    let mut serializer = QueryResultsSerializer::from_format(results_format)
                        .serialize_solutions_to_writer(out, variables.clone())
                        .map_err(io)?;
                    for row in rows {
                        serializer.serialize(row).map_err(io)?;
                    }
                    serializer.finish().map_err(io)?;
                }
            }
        }
        Answer::Boolean(value) => {
            match results_format(format, "an ASK query returns true or false")? {
                None => writeln!(out, "{value}").map_err(io)?,
                Some(results_format) => {
                    QueryResultsSerializer::from_format(results_format)
                        .serialize_boolean_to_writer(out, *value)
                        .map_err(io)?;
                }
            }
        }
        Answer::Graph(triples) => {
            let rdf_format = match format {
                OutputFormat::Table | OutputFormat::Turtle => RdfFormat::Turtle,
                OutputFormat::NTriples => RdfFormat::NTriples,
                OutputFormat::JsonLd => RdfFormat::JsonLd {
                    profile: oxigraph::io::JsonLdProfileSet::empty(),
                },
                OutputFormat::Csv | OutputFormat::Tsv | OutputFormat::Json | OutputFormat::Xml => {
                    return Err(Error::usage(
                        "a CONSTRUCT or DESCRIBE query returns a graph",
                        "use --format ttl, nt or jsonld",
                    ))
                }
            };
            let mut serializer = RdfSerializer::from_format(rdf_format);
            if rdf_format == RdfFormat::Turtle {
                for (prefix, namespace) in namespaces::PREFIXES {
                    serializer = serializer
                        .with_prefix(*prefix, *namespace)
                        .expect("the predeclared prefixes are valid IRIs");
                }
            }
            let mut writer = serializer.for_writer(out);
            for triple in triples {
                writer.serialize_triple(triple).map_err(io)?;
            }
            writer.finish().map_err(io)?;
        }
    }
    Ok(())
}

/// A term as people read it: prefixed names, bare literal values.
pub fn display_term(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => {
            namespaces::compact(n.as_str()).unwrap_or_else(|| format!("<{}>", n.as_str()))
        }
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => l.value().to_string(),
        #[allow(unreachable_patterns)]
        _ => term.to_string(),
    }
}

fn write_table(
    variables: &[Variable],
    rows: &[QuerySolution],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            variables
                .iter()
                .map(|v| {
                    row.get(v)
                        .map(display_term)
                        .unwrap_or_default()
                        .replace('\n', " ")
                })
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = variables
        .iter()
        .map(|v| v.as_str().chars().count())
        .collect();
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                text.push_str(" │ ");
            }
            text.push_str(cell);
            if i + 1 < cells.len() {
                text.push_str(&" ".repeat(width - cell.chars().count()));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    let header: Vec<String> = variables.iter().map(|v| v.as_str().to_string()).collect();
    line(out, &header)?;
    let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    writeln!(out, "{}", rule.join("─┼─"))?;
    for row in &cells {
        line(out, row)?;
    }
    writeln!(
        out,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_carry_the_query_position() {
        let err = Query::parse("SELECT * WHERE {\n  ?s ?p \n}", "q.rq").unwrap_err();
        match err {
            Error::QuerySyntax { origin, line, .. } => {
                assert_eq!(origin, "q.rq");
                assert_eq!(line, 3);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn prefixes_are_predeclared() {
        assert!(Query::parse("SELECT * WHERE { ?s a aikg:Ministry ; rdfs:label ?l }", "t").is_ok());
    }

    #[test]
    fn mentions_variable_matches_whole_names() {
        let q = Query::parse("SELECT ?funder WHERE { ?funder aikg:funds ?x }", "t").unwrap();
        assert!(q.mentions_variable("funder"));
        assert!(!q.mentions_variable("fund"));
    }
}
