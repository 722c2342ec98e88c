//! SPARQL: parsing (with the ontology's prefixes predeclared), binding
//! parameters as RDF terms, evaluating on the union of all graphs, and writing
//! results: a readable table, or the W3C formats through oxigraph's own
//! serialisers.

use crate::error::{Error, Result};
use crate::namespaces;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term, Triple, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolution, SparqlEvaluator,
};
use oxigraph::store::Store;
use spargebra::algebra::GraphPattern;
use spargebra::SparqlParser;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

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
    /// RDF/XML (graphs).
    RdfXml,
    /// TriG (graphs, in the default graph).
    TriG,
    /// N-Quads (graphs, in the default graph).
    NQuads,
}

impl OutputFormat {
    pub const NAMES: &'static str = "table, csv, tsv, json, xml, ttl, nt, jsonld, rdfxml, trig, nq";

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
            "rdfxml" | "rdf" | "rdf/xml" | "owl" => Self::RdfXml,
            "trig" => Self::TriG,
            "nq" | "nquads" | "n-quads" => Self::NQuads,
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
        let inner = parser.parse_query(text).map_err(|e| {
            if parse_update(text, origin).is_ok() {
                Error::usage(
                    format!("{origin}: this is a SPARQL UPDATE, not a query"),
                    "run it with `aikg update --store DIR` (aikg query only reads)",
                )
            } else {
                syntax_error(&e.to_string(), text, origin)
            }
        })?;
        Ok(Self { inner })
    }

    /// The query's spargebra algebra (for callers that run it themselves).
    pub fn algebra(&self) -> &spargebra::Query {
        &self.inner
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
    pub fn is_ordered(&self) -> bool {
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

    /// Whether the query returns a graph (CONSTRUCT, DESCRIBE) rather than
    /// solutions or a boolean (SELECT, ASK).
    pub fn returns_graph(&self) -> bool {
        matches!(
            self.inner,
            spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. }
        )
    }

    /// The query in canonical SPARQL (prefixes expanded): equal texts mean
    /// equal queries (the server's cache key).
    pub fn canonical(&self) -> String {
        self.inner.to_string()
    }

    pub fn uses_dataset_clause(&self) -> bool {
        match &self.inner {
            spargebra::Query::Select { dataset, .. }
            | spargebra::Query::Construct { dataset, .. }
            | spargebra::Query::Describe { dataset, .. }
            | spargebra::Query::Ask { dataset, .. } => dataset.is_some(),
        }
    }
}

/// Parses a SPARQL UPDATE with the aikg prefixes predeclared.
pub fn parse_update(text: &str, origin: &str) -> Result<spargebra::Update> {
    let mut parser = SparqlParser::new();
    for (prefix, namespace) in namespaces::PREFIXES {
        parser = parser
            .with_prefix(*prefix, *namespace)
            .expect("the predeclared prefixes are valid IRIs");
    }
    parser
        .parse_update(text)
        .map_err(|e| syntax_error(&e.to_string(), text, origin))
}

/// An undeclared prefix or a misspelt keyword is said as such, at its
/// position ([`crate::query_diagnosis`]); otherwise oxigraph's message
/// ("error at L:C: expected ..."), its position kept apart so that the
/// message can name the origin, and its character classes left out.
fn syntax_error(message: &str, text: &str, origin: &str) -> Error {
    if let Some(d) = crate::query_diagnosis::diagnose(text, namespaces::PREFIXES) {
        return Error::QuerySyntax {
            origin: origin.to_string(),
            line: d.line,
            column: d.column,
            message: d.message,
            hint: d.hint,
        };
    }
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
        message: format!(
            "SPARQL syntax error: {}",
            crate::query_diagnosis::plain_parser_message(&message)
        ),
        hint: "check the query at that position (the prefixes aikg:, id:, src:, rdfs:, skos:, xsd: ... are predeclared)".into(),
    }
}

/// What a query returned, fully read and sorted (for the library's own
/// queries; `aikg query` and the server stream through [`ResultWriter`]).
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

/// Options of [`evaluate_with`] and [`evaluate_stream`].
#[derive(Clone, Debug, Default)]
pub struct EvalOptions {
    /// Which endpoints `SERVICE` may call (see [`crate::federation`]).
    pub services: crate::federation::ServiceOptions,
    /// The dataset given beside the query (the SPARQL protocol's
    /// `default-graph-uri` and `named-graph-uri`): it replaces the query's
    /// own FROM / FROM NAMED, as the protocol says.
    pub dataset: Option<Dataset>,
    /// How long the evaluation may run and how many rows it may return.
    pub limits: Limits,
    /// Leave the inferred triples out of the default graph and of `GRAPH`
    /// (`--reasoning none`; the library's own lookups of stated facts).
    pub stated_only: bool,
}

/// The dataset of a query that names none (no FROM): the default graph is
/// the merge of the stated graphs (the in-memory store's merged graph, or
/// oxigraph's union of a persistent store's graphs) plus, unless
/// `stated_only`, the inferred graph ([`crate::reason`]); `GRAPH ?g` ranges
/// over the data's own graphs (the passages) and the inferred graph when it
/// is seen, never the merge.
fn set_default_dataset(
    store: &Store,
    stated_only: bool,
    dataset: &mut oxigraph::sparql::QueryDataset,
) -> Result<()> {
    let inferred = crate::reason::materialise::has_inferred_graph(store)?;
    let hidden = |g: &NamedOrBlankNode| match g {
        NamedOrBlankNode::NamedNode(n) => {
            n.as_str() == crate::store::MERGED_GRAPH
                || n.as_str().starts_with(crate::reason::RULES_GRAPH_PREFIX)
                || (stated_only && n.as_str() == crate::reason::INFERRED_GRAPH)
        }
        NamedOrBlankNode::BlankNode(_) => false,
    };
    if crate::store::has_merged_graph(store)? {
        let named = store
            .named_graphs()
            .filter(|g| !g.as_ref().is_ok_and(hidden))
            .collect::<Result<Vec<_>, _>>()?;
        let mut default = vec![NamedNode::new_unchecked(crate::store::MERGED_GRAPH).into()];
        if inferred && !stated_only {
            default.push(NamedNode::new_unchecked(crate::reason::INFERRED_GRAPH).into());
        }
        dataset.set_default_graph(default);
        dataset.set_available_named_graphs(named);
    } else if inferred && stated_only {
        let named = store
            .named_graphs()
            .filter(|g| !g.as_ref().is_ok_and(hidden))
            .collect::<Result<Vec<_>, _>>()?;
        let mut default = vec![oxigraph::model::GraphName::DefaultGraph];
        default.extend(named.iter().cloned().map(Into::into));
        dataset.set_default_graph(default);
        dataset.set_available_named_graphs(named);
    } else {
        dataset.set_default_graph_as_union();
    }
    Ok(())
}

/// A dataset named outside the query.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Dataset {
    /// The graphs merged into the default graph (`GraphName::DefaultGraph`
    /// is the store's own default graph).
    pub default_graphs: Vec<GraphName>,
    pub named_graphs: Vec<NamedNode>,
}

/// What one evaluation may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Cancel the evaluation after this long (oxigraph checks its
    /// cancellation token at every quad it reads).
    pub timeout: Option<Duration>,
    /// At most this many rows (or triples); one more is an
    /// [`Error::TooManyResults`], or with `stop_at_max` the end of the rows
    /// ([`ResultWriter::truncated`] says so).
    pub max_rows: Option<u64>,
    pub stop_at_max: bool,
}

/// [`evaluate`], with `SERVICE` calls limited to the allow-list of `options`,
/// every row read and unordered results sorted.
pub fn evaluate_with(
    store: &Store,
    query: &Query,
    bindings: &[(Variable, Term)],
    options: &EvalOptions,
) -> Result<Answer> {
    Ok(match evaluate_stream(store, query, bindings, options)? {
        Stream::Solutions { variables, rows } => {
            let rows = rows.collect::<Result<Vec<_>>>()?;
            solutions_answer(query, variables, rows)
        }
        Stream::Boolean(b) => Answer::Boolean(b),
        Stream::Graph(triples) => graph_answer(triples.collect::<Result<Vec<_>>>()?),
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
        sort_rows(&variables, &mut rows);
    }
    Answer::Solutions { variables, rows }
}

/// Triples as an answer: sorted, each once.
pub(crate) fn graph_answer(mut triples: Vec<Triple>) -> Answer {
    triples.sort_by_cached_key(ToString::to_string);
    triples.dedup();
    Answer::Graph(triples)
}

fn sort_rows(variables: &[Variable], rows: &mut [QuerySolution]) {
    rows.sort_by_cached_key(|row| {
        variables
            .iter()
            .map(|v| row.get(v).map(ToString::to_string).unwrap_or_default())
            .collect::<Vec<_>>()
    });
}

/// A query's results as they are evaluated: rows are computed when they are
/// pulled, under the limits of the evaluation (timeout, row cap).
pub enum Stream {
    Solutions {
        variables: Vec<Variable>,
        rows: Rows<QuerySolution>,
    },
    Boolean(bool),
    Graph(Rows<Triple>),
}

/// Rows (or triples) pulled from a running evaluation. Dropping it stops the
/// evaluation; its deadline cancels it.
pub struct Rows<T> {
    inner: Box<dyn Iterator<Item = Result<T, QueryEvaluationError>>>,
    cancellation: Cancellation,
    max_rows: Option<u64>,
    stop_at_max: bool,
    pulled: u64,
    done: bool,
    truncated: bool,
}

impl<T> Rows<T> {
    fn new(
        inner: Box<dyn Iterator<Item = Result<T, QueryEvaluationError>>>,
        cancellation: Cancellation,
        limits: Limits,
    ) -> Self {
        Self {
            inner,
            cancellation,
            max_rows: limits.max_rows,
            stop_at_max: limits.stop_at_max,
            pulled: 0,
            done: false,
            truncated: false,
        }
    }

    /// Whether rows were left out at the row cap (`stop_at_max`).
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// How many rows were pulled so far.
    pub fn pulled(&self) -> u64 {
        self.pulled
    }

    /// Pulls up to `count` rows.
    fn first(&mut self, count: usize) -> Result<Vec<T>> {
        self.by_ref().take(count).collect()
    }
}

impl<T> Iterator for Rows<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if self.done {
            return None;
        }
        if self.cancellation.timed_out() {
            self.done = true;
            return Some(Err(self.cancellation.timeout_error()));
        }
        let item = self.inner.next();
        match item {
            None => {
                self.done = true;
                None
            }
            Some(Err(e)) => {
                self.done = true;
                Some(Err(self.cancellation.evaluation_error(e)))
            }
            Some(Ok(_)) if self.max_rows.is_some_and(|max| self.pulled >= max) => {
                self.done = true;
                if self.stop_at_max {
                    self.truncated = true;
                    return None;
                }
                Some(Err(Error::TooManyResults { limit: self.pulled }))
            }
            Some(Ok(row)) => {
                self.pulled += 1;
                Some(Ok(row))
            }
        }
    }
}

/// Starts evaluating a query (see [`evaluate`] for the default graph); the
/// rows come as they are pulled. `options.limits` bound the time (the
/// evaluation is cancelled at its deadline, wherever it is) and the rows.
pub fn evaluate_stream(
    store: &Store,
    query: &Query,
    bindings: &[(Variable, Term)],
    options: &EvalOptions,
) -> Result<Stream> {
    let cancellation = Cancellation::new(options.limits.timeout);
    let mut algebra = query.inner.clone();
    crate::bind::substitute(&mut algebra, bindings);
    let evaluator = SparqlEvaluator::new()
        .with_default_service_handler(crate::federation::AllowListHandler::new(
            options.services.clone(),
        ))
        .with_cancellation_token(cancellation.token());
    // Search from SPARQL: SERVICE aikg:search, aikg:searchScore, aikg:matches.
    let evaluator = crate::search::sparql::register(evaluator, store);
    let mut prepared = evaluator.for_query(algebra);
    if let Some(dataset) = &options.dataset {
        let spec = prepared.dataset_mut();
        spec.set_default_graph(dataset.default_graphs.clone());
        spec.set_available_named_graphs(
            dataset
                .named_graphs
                .iter()
                .cloned()
                .map(Into::into)
                .collect(),
        );
    } else if !query.uses_dataset_clause() {
        set_default_dataset(store, options.stated_only, prepared.dataset_mut())?;
    }
    let results = prepared
        .on_store(store)
        .execute()
        .map_err(|e| cancellation.evaluation_error(e))?;
    let limits = options.limits;
    Ok(match results {
        QueryResults::Solutions(solutions) => Stream::Solutions {
            variables: solutions.variables().to_vec(),
            rows: Rows::new(Box::new(solutions), cancellation, limits),
        },
        QueryResults::Boolean(b) => Stream::Boolean(b),
        QueryResults::Graph(triples) => {
            Stream::Graph(Rows::new(Box::new(triples), cancellation, limits))
        }
    })
}

/// Runs a SELECT on the stated facts and returns its rows (for the
/// library's own queries: what the sources say, never what is inferred).
pub fn select(store: &Store, sparql: &str) -> Result<Vec<QuerySolution>> {
    let options = EvalOptions {
        stated_only: true,
        ..EvalOptions::default()
    };
    match evaluate_with(store, &Query::parse(sparql, "aikg")?, &[], &options)? {
        Answer::Solutions { rows, .. } => Ok(rows),
        _ => Err(Error::QueryEvaluation("expected a SELECT query".into())),
    }
}

/// The cancellation of one evaluation: oxigraph's token, cancelled at the
/// deadline by the process's one timer thread ([`deadlines`]).
pub struct Cancellation {
    token: CancellationToken,
    timeout: Option<Duration>,
    deadline: Option<(Instant, u64)>,
}

impl Cancellation {
    /// A cancellation that fires after `timeout` (never without one).
    pub fn new(timeout: Option<Duration>) -> Self {
        let token = CancellationToken::new();
        let deadline = timeout.map(|t| deadlines().register(Instant::now() + t, token.clone()));
        Self {
            token,
            timeout,
            deadline,
        }
    }

    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    /// Whether the deadline has passed.
    pub fn timed_out(&self) -> bool {
        self.deadline.is_some_and(|(at, _)| Instant::now() >= at)
    }

    fn timeout_error(&self) -> Error {
        Error::QueryTimeout {
            seconds: self.timeout.map_or(0.0, |t| t.as_secs_f64()),
        }
    }

    fn evaluation_error(&self, error: QueryEvaluationError) -> Error {
        if matches!(error, QueryEvaluationError::Cancelled) || self.timed_out() {
            self.timeout_error()
        } else {
            Error::QueryEvaluation(error.to_string())
        }
    }
}

impl Drop for Cancellation {
    fn drop(&mut self) {
        if let Some(key) = self.deadline {
            deadlines().unregister(key);
        }
    }
}

/// The deadlines of the running evaluations, and the thread that cancels
/// each at its time (one thread for the process, however many queries run).
pub struct Deadlines {
    pending: Mutex<BTreeMap<(Instant, u64), CancellationToken>>,
    wake: Condvar,
    next_id: AtomicU64,
}

/// The process's deadlines (the timer thread starts on first use).
pub fn deadlines() -> &'static Deadlines {
    static DEADLINES: OnceLock<&'static Deadlines> = OnceLock::new();
    DEADLINES.get_or_init(|| {
        let deadlines: &'static Deadlines = Box::leak(Box::new(Deadlines {
            pending: Mutex::new(BTreeMap::new()),
            wake: Condvar::new(),
            next_id: AtomicU64::new(0),
        }));
        std::thread::Builder::new()
            .name("aikg query deadlines".into())
            .spawn(move || deadlines.cancel_when_due())
            .expect("cannot start the query timer thread");
        deadlines
    })
}

impl Deadlines {
    fn register(&self, at: Instant, token: CancellationToken) -> (Instant, u64) {
        let key = (at, self.next_id.fetch_add(1, Ordering::Relaxed));
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let first = pending.first_key_value().is_none_or(|(k, _)| key < *k);
        pending.insert(key, token);
        if first {
            self.wake.notify_one();
        }
        key
    }

    fn unregister(&self, key: (Instant, u64)) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.remove(&key);
    }

    /// How many evaluations have a deadline now (for tests and the server's
    /// memory accounting).
    pub fn pending(&self) -> usize {
        self.pending.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    fn cancel_when_due(&self) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let now = Instant::now();
            while let Some(entry) = pending.first_entry() {
                if entry.key().0 > now {
                    break;
                }
                entry.remove().cancel();
            }
            pending = match pending.first_key_value().map(|(k, _)| k.0) {
                Some(next) => {
                    self.wake
                        .wait_timeout(pending, next.saturating_duration_since(now))
                        .unwrap_or_else(|e| e.into_inner())
                        .0
                }
                None => self.wake.wait(pending).unwrap_or_else(|e| e.into_inner()),
            };
        }
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
        _ => {
            return Err(Error::usage(
                format!("{what}, not a graph"),
                "use --format table, csv, tsv, json or xml (or write a CONSTRUCT query)",
            ))
        }
    }))
}

/// The RDF syntax for a CONSTRUCT or DESCRIBE answer.
fn graph_format(format: OutputFormat) -> Result<RdfFormat> {
    Ok(match format {
        OutputFormat::Table | OutputFormat::Turtle => RdfFormat::Turtle,
        OutputFormat::NTriples => RdfFormat::NTriples,
        OutputFormat::JsonLd => RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        },
        OutputFormat::RdfXml => RdfFormat::RdfXml,
        OutputFormat::TriG => RdfFormat::TriG,
        OutputFormat::NQuads => RdfFormat::NQuads,
        OutputFormat::Csv | OutputFormat::Tsv | OutputFormat::Json | OutputFormat::Xml => {
            return Err(Error::usage(
                "a CONSTRUCT or DESCRIBE query returns a graph",
                "use --format ttl, nt, jsonld, rdfxml, trig or nq",
            ))
        }
    })
}

/// Writes an answer in the requested format.
pub fn write_answer(answer: &Answer, format: OutputFormat, out: &mut dyn Write) -> Result<()> {
    let io = |e: std::io::Error| Error::io("<stdout>", e);
    match answer {
        Answer::Solutions { variables, rows } => {
            match results_format(format, "a SELECT query returns a table")? {
                None => {
                    let table = Table::new(variables.to_vec(), rows);
                    table.header(out).map_err(io)?;
                    for row in rows {
                        table.row(row, out).map_err(io)?;
                    }
                    table.footer(rows.len() as u64, out).map_err(io)?;
                }
                Some(results_format) => {
                    let mut serializer = QueryResultsSerializer::from_format(results_format)
                        .serialize_solutions_to_writer(out, variables.clone())
                        .map_err(io)?;
                    for row in rows {
                        serializer.serialize(row).map_err(io)?;
                    }
                    end_line(results_format, serializer.finish().map_err(io)?).map_err(io)?;
                }
            }
        }
        Answer::Boolean(value) => write_boolean(*value, format, out)?,
        Answer::Graph(triples) => {
            let rdf_format = graph_format(format)?;
            let mut writer = graph_serializer(rdf_format).for_writer(out);
            for triple in triples {
                writer.serialize_triple(triple).map_err(io)?;
            }
            end_graph_line(rdf_format, writer.finish().map_err(io)?).map_err(io)?;
        }
    }
    Ok(())
}

fn write_boolean(value: bool, format: OutputFormat, out: &mut dyn Write) -> Result<()> {
    let io = |e: std::io::Error| Error::io("<stdout>", e);
    match results_format(format, "an ASK query returns true or false")? {
        None => writeln!(out, "{value}").map_err(io),
        Some(results_format) => {
            let out = QueryResultsSerializer::from_format(results_format)
                .serialize_boolean_to_writer(out, value)
                .map_err(io)?;
            // No format ends a boolean with a newline.
            end_line_if(true, out).map_err(io)
        }
    }
}

/// Ends the JSON and XML results, which oxigraph leaves without a final
/// newline, with one (as every text file; CSV and TSV have theirs).
fn end_line(format: QueryResultsFormat, out: impl Write) -> std::io::Result<()> {
    end_line_if(
        matches!(format, QueryResultsFormat::Json | QueryResultsFormat::Xml),
        out,
    )
}

/// The same for graphs: JSON-LD and RDF/XML end without a newline.
fn end_graph_line(format: RdfFormat, out: impl Write) -> std::io::Result<()> {
    end_line_if(
        matches!(format, RdfFormat::JsonLd { .. } | RdfFormat::RdfXml),
        out,
    )
}

fn end_line_if(missing: bool, mut out: impl Write) -> std::io::Result<()> {
    if missing {
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn graph_serializer(format: RdfFormat) -> RdfSerializer {
    let mut serializer = RdfSerializer::from_format(format);
    if matches!(
        format,
        RdfFormat::Turtle | RdfFormat::TriG | RdfFormat::RdfXml
    ) {
        for (prefix, namespace) in namespaces::PREFIXES {
            serializer = serializer
                .with_prefix(*prefix, *namespace)
                .expect("the predeclared prefixes are valid IRIs");
        }
    }
    serializer
}

/// At most this many rows are held in memory, to sort unordered results
/// (deterministic output) and to size the columns of the table; beyond,
/// rows are written in the store's order as they come (see [`ResultWriter`]).
pub const SORT_BOUND: usize = 100_000;

/// Writes a [`Stream`] in a format a little at a time, so that results of any
/// size flow through a bounded amount of memory: the first [`SORT_BOUND`]
/// rows are read at once (sorted if the query has no ORDER BY and they are
/// all the rows), the rest as they come.
pub struct ResultWriter<W: Write> {
    state: WriterState<W>,
    buffered: std::vec::IntoIter<Buffered>,
    written: u64,
    /// Whether the rows were sorted by aikg (all fit under [`SORT_BOUND`]).
    pub sorted: bool,
    /// Whether rows were left out at the row cap (`Limits::stop_at_max`).
    pub truncated: bool,
}

enum Buffered {
    Row(QuerySolution),
    Triple(Triple),
}

// One per answer being written: its size does not matter.
#[allow(clippy::large_enum_variant)]
enum WriterState<W: Write> {
    Solutions {
        serializer: oxigraph::sparql::results::WriterSolutionsSerializer<W>,
        format: QueryResultsFormat,
        rows: Rows<QuerySolution>,
    },
    Table {
        table: Table,
        out: W,
        rows: Rows<QuerySolution>,
    },
    Graph {
        serializer: oxigraph::io::WriterQuadSerializer<W>,
        format: RdfFormat,
        triples: Rows<Triple>,
    },
    Finished,
}

/// What [`ResultWriter::write_some`] says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    More,
    Finished,
}

impl<W: Write> ResultWriter<W> {
    /// Reads the first rows (evaluation errors and the row cap met there are
    /// reported now, before anything is written) and writes the header.
    /// `sort` says whether unordered rows that fit under [`SORT_BOUND`] are
    /// sorted.
    pub fn new(
        stream: Stream,
        query: &Query,
        format: OutputFormat,
        mut out: W,
        sort: bool,
    ) -> Result<Self> {
        let io = |e: std::io::Error| Error::io("<output>", e);
        match stream {
            Stream::Boolean(value) => {
                write_boolean(value, format, &mut out)?;
                Ok(Self {
                    state: WriterState::Finished,
                    buffered: Vec::new().into_iter(),
                    written: 1,
                    sorted: true,
                    truncated: false,
                })
            }
            Stream::Solutions {
                variables,
                mut rows,
            } => {
                let results_format = results_format(format, "a SELECT query returns a table")?;
                let mut first = rows.first(SORT_BOUND)?;
                let complete = first.len() < SORT_BOUND;
                let sorted = sort && complete && !query.is_ordered();
                if sorted {
                    sort_rows(&variables, &mut first);
                }
                let state = match results_format {
                    None => {
                        let table = Table::new(variables, &first);
                        table.header(&mut out).map_err(io)?;
                        WriterState::Table { table, out, rows }
                    }
                    Some(results_format) => WriterState::Solutions {
                        serializer: QueryResultsSerializer::from_format(results_format)
                            .serialize_solutions_to_writer(out, variables)
                            .map_err(io)?,
                        format: results_format,
                        rows,
                    },
                };
                Ok(Self {
                    state,
                    buffered: first
                        .into_iter()
                        .map(Buffered::Row)
                        .collect::<Vec<_>>()
                        .into_iter(),
                    written: 0,
                    sorted,
                    truncated: false,
                })
            }
            Stream::Graph(mut triples) => {
                let rdf_format = graph_format(format)?;
                let mut first = triples.first(SORT_BOUND)?;
                let sorted = sort && first.len() < SORT_BOUND;
                if sorted {
                    first.sort_by_cached_key(ToString::to_string);
                    first.dedup();
                }
                Ok(Self {
                    state: WriterState::Graph {
                        serializer: graph_serializer(rdf_format).for_writer(out),
                        format: rdf_format,
                        triples,
                    },
                    buffered: first
                        .into_iter()
                        .map(Buffered::Triple)
                        .collect::<Vec<_>>()
                        .into_iter(),
                    written: 0,
                    sorted,
                    truncated: false,
                })
            }
        }
    }

    /// Rows (or triples) written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Writes up to `count` more rows; at the end, the footer. An error
    /// (timeout, row cap, evaluation) leaves the output unfinished: the
    /// caller says so (a cut HTTP response, a message on stderr).
    pub fn write_some(&mut self, count: usize) -> Result<Progress> {
        let io = |e: std::io::Error| Error::io("<output>", e);
        for _ in 0..count {
            let next = match self.buffered.next() {
                Some(b) => Some(Ok(b)),
                None => match &mut self.state {
                    WriterState::Solutions { rows, .. } | WriterState::Table { rows, .. } => {
                        rows.next().map(|r| r.map(Buffered::Row))
                    }
                    WriterState::Graph { triples, .. } => {
                        triples.next().map(|t| t.map(Buffered::Triple))
                    }
                    WriterState::Finished => return Ok(Progress::Finished),
                },
            };
            match (next.transpose()?, &mut self.state) {
                (Some(Buffered::Row(row)), WriterState::Solutions { serializer, .. }) => {
                    serializer.serialize(&row).map_err(io)?
                }
                (Some(Buffered::Row(row)), WriterState::Table { table, out, .. }) => {
                    table.row(&row, out).map_err(io)?
                }
                (Some(Buffered::Triple(t)), WriterState::Graph { serializer, .. }) => {
                    serializer.serialize_triple(&t).map_err(io)?
                }
                (Some(_), _) => unreachable!("rows and triples come from their own stream"),
                (None, _) => {
                    self.finish()?;
                    return Ok(Progress::Finished);
                }
            }
            self.written += 1;
        }
        Ok(Progress::More)
    }

    fn finish(&mut self) -> Result<()> {
        let io = |e: std::io::Error| Error::io("<output>", e);
        match std::mem::replace(&mut self.state, WriterState::Finished) {
            WriterState::Solutions {
                serializer,
                format,
                rows,
            } => {
                self.truncated = rows.truncated();
                end_line(format, serializer.finish().map_err(io)?).map_err(io)?
            }
            WriterState::Table {
                table,
                mut out,
                rows,
            } => {
                self.truncated = rows.truncated();
                table.footer(self.written, &mut out).map_err(io)?
            }
            WriterState::Graph {
                serializer,
                format,
                triples,
            } => {
                self.truncated = triples.truncated();
                end_graph_line(format, serializer.finish().map_err(io)?).map_err(io)?
            }
            WriterState::Finished => {}
        }
        Ok(())
    }
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

/// The widest a table may be, in characters (`None`: as wide as its
/// cells), for the whole process: the command line sets it from the
/// terminal's width unless `--wide`.
static TABLE_WIDTH: AtomicU64 = AtomicU64::new(0);

/// Sets the widest a table may be (`None`: no limit).
pub fn set_table_width(width: Option<usize>) {
    TABLE_WIDTH.store(width.map_or(0, |w| w as u64), Ordering::Relaxed);
}

fn table_width() -> Option<usize> {
    match TABLE_WIDTH.load(Ordering::Relaxed) {
        0 => None,
        w => Some(w as usize),
    }
}

/// The narrowest a column is cut to, to fit the table's width.
const MIN_COLUMN: usize = 6;

/// The aligned table: column widths from the rows at hand (the first
/// [`SORT_BOUND`] when streaming; a longer cell later widens its line only).
/// If the table is wider than [`set_table_width`] allows, the widest
/// columns are narrowed and their long cells cut with an ellipsis.
struct Table {
    variables: Vec<Variable>,
    widths: Vec<usize>,
    /// Whether cells are cut to their column's width.
    cut: bool,
}

impl Table {
    fn new(variables: Vec<Variable>, rows: &[QuerySolution]) -> Self {
        let mut widths: Vec<usize> = variables
            .iter()
            .map(|v| v.as_str().chars().count())
            .collect();
        for row in rows {
            for (w, cell) in widths.iter_mut().zip(Self::cells(&variables, row)) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let cut = match table_width() {
            Some(limit) => fit_widths(&mut widths, limit),
            None => false,
        };
        Self {
            variables,
            widths,
            cut,
        }
    }

    fn cells(variables: &[Variable], row: &QuerySolution) -> Vec<String> {
        variables
            .iter()
            .map(|v| {
                row.get(v)
                    .map(display_term)
                    .unwrap_or_default()
                    .replace('\n', " ")
            })
            .collect()
    }

    fn line(&self, cells: &[String], out: &mut (impl Write + ?Sized)) -> std::io::Result<()> {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(&self.widths).enumerate() {
            if i > 0 {
                text.push_str(" │ ");
            }
            let length = cell.chars().count();
            if self.cut && length > *width {
                text.extend(cell.chars().take(width - 1));
                text.push('…');
            } else {
                text.push_str(cell);
                if i + 1 < cells.len() {
                    text.push_str(&" ".repeat(width.saturating_sub(length)));
                }
            }
        }
        writeln!(out, "{}", text.trim_end())
    }

    fn header(&self, out: &mut (impl Write + ?Sized)) -> std::io::Result<()> {
        let header: Vec<String> = self
            .variables
            .iter()
            .map(|v| v.as_str().to_string())
            .collect();
        self.line(&header, out)?;
        let rule: Vec<String> = self.widths.iter().map(|w| "─".repeat(*w)).collect();
        writeln!(out, "{}", rule.join("─┼─"))
    }

    fn row(&self, row: &QuerySolution, out: &mut (impl Write + ?Sized)) -> std::io::Result<()> {
        self.line(&Self::cells(&self.variables, row), out)
    }

    fn footer(&self, rows: u64, out: &mut (impl Write + ?Sized)) -> std::io::Result<()> {
        writeln!(out, "({} row{})", rows, if rows == 1 { "" } else { "s" })
    }
}

/// Narrows the widest columns until the table (with its ` │ ` separators)
/// fits in `limit` characters, none below [`MIN_COLUMN`] (a table of many
/// columns may stay wider). Returns whether a column was narrowed.
fn fit_widths(widths: &mut [usize], limit: usize) -> bool {
    let separators = 3 * widths.len().saturating_sub(1);
    let total = |cap: usize, widths: &[usize]| -> usize {
        widths.iter().map(|w| (*w).min(cap)).sum::<usize>() + separators
    };
    let widest = widths.iter().copied().max().unwrap_or(0);
    if total(widest, widths) <= limit {
        return false;
    }
    // The largest cap that fits: every column wider than it is cut to it.
    let mut cap = widest;
    while cap > MIN_COLUMN && total(cap, widths) > limit {
        cap -= 1;
    }
    for w in widths.iter_mut() {
        *w = (*w).min(cap);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widest_columns_are_narrowed_to_fit() {
        let mut widths = vec![10, 50, 30];
        assert!(fit_widths(&mut widths, 60));
        assert_eq!(widths, vec![10, 22, 22]);
        assert_eq!(widths.iter().sum::<usize>() + 6, 60);
        let mut narrow = vec![4, 5];
        assert!(!fit_widths(&mut narrow, 60));
        assert_eq!(narrow, vec![4, 5]);
        let mut many = vec![20; 10];
        fit_widths(&mut many, 30);
        assert_eq!(many, vec![MIN_COLUMN; 10]);
    }

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
