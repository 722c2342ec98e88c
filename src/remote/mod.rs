//! A remote SPARQL 1.1 store as a [`Kg`]: every reading command runs
//! against it through the SPARQL 1.1 Protocol ([`protocol`]) as it runs on
//! the local store, and `aikg push` writes to it through the Graph Store
//! Protocol ([`gsp`], [`push`]). Nothing here depends on one engine beyond
//! those standards; the quirks of Virtuoso that aikg meets are handled where
//! they are met and listed in docs/SCALING.md.
//!
//! - [`http`]: timeouts, retries with back-off, authentication, redirects,
//!   errors naming the URL, the status and the server's message;
//! - [`auth`]: credentials from `--auth-file` or the environment;
//! - [`layout`]: where `aikg push` puts what (named graphs per passage, the
//!   merge, the manifest, skolem IRIs for blank nodes);
//! - [`rewrite`]: queries read the aikg dataset on a pushed store;
//! - [`order`]: rows sorted as SPARQL says, whatever the store's sorting.

pub mod auth;
pub mod gsp;
pub mod http;
pub mod layout;
pub mod order;
pub mod protocol;
pub mod push;
pub mod rewrite;

use crate::error::{Error, Result};
use crate::kg::{Kg, PartReader, Pattern, Scope};
use crate::query::{Answer, EvalOptions, Query};
use http::{Client, Patience};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term, Triple, Variable};
use protocol::{Cut, Dataset, Endpoint, Form, Reply, Row};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use url::Url;

/// Where a remote store is and how to reach it.
#[derive(Clone, Debug)]
pub struct RemoteOptions {
    /// The SPARQL 1.1 query endpoint (`--endpoint`).
    pub endpoint: Url,
    /// The Graph Store Protocol endpoint (`--graph-store`), for `push`.
    pub graph_store: Option<Url>,
    /// On a store aikg did not fill: the graph to read as the default graph
    /// (`--default-graph`, the protocol's `default-graph-uri`).
    pub default_graph: Option<NamedNode>,
    pub credentials: Option<auth::Credentials>,
    pub patience: Patience,
    /// Rows asked for at a time when reading a whole graph.
    pub page_size: usize,
}

/// Parses a URL given on the command line, refusing credentials in it.
pub fn parse_url(option: &str, text: &str) -> Result<Url> {
    let url = Url::parse(text).map_err(|e| {
        Error::usage(
            format!("{option} {text:?}: not a URL ({e})"),
            "give the full address, e.g. http://localhost:8890/sparql",
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::usage(
            format!("{option} {text:?}: not an http(s) URL"),
            "give the full address, e.g. http://localhost:8890/sparql",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::usage(
            format!("{option}: the URL holds credentials"),
            "never put credentials on the command line (ps and shell history show them): use --auth-file FILE, or AIKG_ENDPOINT_USER and AIKG_ENDPOINT_PASSWORD",
        ));
    }
    Ok(url)
}

impl RemoteOptions {
    pub fn new(endpoint: Url) -> Self {
        Self {
            endpoint,
            graph_store: None,
            default_graph: None,
            credentials: None,
            patience: Patience::from_env(),
            page_size: std::env::var("AIKG_ENDPOINT_PAGE")
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|&n| n > 0)
                .unwrap_or(100_000),
        }
    }
}

/// What `aikg push` recorded in the store's manifest.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    /// The graph holding this manifest (`…/push/manifest/HASH`).
    pub iri: Option<NamedNode>,
    /// The push's number: one more than the manifest it follows.
    pub sequence: u64,
    /// The current merge of all graphs.
    pub merged: Option<NamedNode>,
    /// The graph of normalised names.
    pub names: Option<NamedNode>,
    /// The source's named graphs, by IRI: SHA-256 of the content and size.
    pub graphs: BTreeMap<String, (String, u64)>,
    /// The graphs holding the data (the source's named graphs but the
    /// ontology's, and the triples outside any): what whole-graph reads read.
    pub data_graphs: Vec<NamedNode>,
    /// The graph of triples outside any named graph, if kept apart.
    pub default_holder: Option<NamedNode>,
    /// Triples in the merge.
    pub merged_triples: u64,
}

impl Manifest {
    /// The graph this manifest is in.
    pub fn graph(&self) -> NamedNode {
        self.iri
            .clone()
            .unwrap_or_else(|| NamedNode::new_unchecked(layout::MANIFEST_GRAPH))
    }

    /// A graph's name as readers see it: the merge and the default holder
    /// are the default graph.
    fn graph_name(&self, g: &NamedNode) -> GraphName {
        if Some(g) == self.merged.as_ref() || Some(g) == self.default_holder.as_ref() {
            GraphName::DefaultGraph
        } else {
            g.clone().into()
        }
    }
}

/// How the store is laid out.
#[derive(Clone, Debug)]
enum Layout {
    /// Filled by `aikg push`.
    Pushed(Arc<Manifest>),
    /// Anything else: the endpoint's default dataset.
    Plain,
}

/// A remote store.
pub struct Remote {
    pub options: RemoteOptions,
    client: Arc<Client>,
    endpoint: Endpoint,
    layout: Mutex<Option<Layout>>,
}

/// Above this many named graphs, the dataset goes in the query's algebra
/// rather than in the request's parameters.
const MAX_NAMED: usize = 2_000;

/// `subject predicate object graph` variables of whole-graph reads.
const SPOG: &str = "?s ?p ?o ?g";

impl Remote {
    pub fn new(options: RemoteOptions) -> Self {
        let client = Arc::new(Client::new(options.patience, options.credentials.clone()));
        let endpoint = Endpoint::new(options.endpoint.clone(), client.clone());
        Self {
            options,
            client,
            endpoint,
            layout: Mutex::new(None),
        }
    }

    pub fn client(&self) -> &Arc<Client> {
        &self.client
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The dataset of the library's own queries: those that name their
    /// graphs read the endpoint's default dataset (in which every graph of
    /// the store is a named graph); on a store aikg did not fill, the
    /// `--default-graph` if given.
    fn own_dataset(&self) -> Dataset {
        Dataset {
            default: self
                .options
                .default_graph
                .iter()
                .map(|g| g.as_str().to_string())
                .collect(),
            named: Vec::new(),
        }
    }

    /// The manifest `aikg push` left, if any (read once).
    pub fn manifest(&self) -> Result<Option<Arc<Manifest>>> {
        Ok(match self.layout()? {
            Layout::Pushed(m) => Some(m),
            Layout::Plain => None,
        })
    }

    /// Forgets the manifest read (after a push changed it).
    pub fn forget_layout(&self) {
        *self.layout.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn layout(&self) -> Result<Layout> {
        if let Some(layout) = self
            .layout
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
        {
            return Ok(layout);
        }
        let layout = match read_manifest(&self.endpoint)? {
            Some(manifest) if self.options.default_graph.is_none() => {
                Layout::Pushed(Arc::new(manifest))
            }
            _ => Layout::Plain,
        };
        *self.layout.lock().unwrap_or_else(|e| e.into_inner()) = Some(layout.clone());
        Ok(layout)
    }

    /// Sends a query of the library's own (already in the dataset's terms).
    fn ask_rows(&self, text: &str) -> Result<(Vec<Variable>, Vec<Row>)> {
        match self
            .endpoint
            .query(text, Form::Solutions, &self.own_dataset())?
        {
            Reply::Solutions { variables, rows } => Ok((variables, rows)),
            _ => Err(self.unexpected("solutions")),
        }
    }

    fn unexpected(&self, what: &str) -> Error {
        Error::Remote {
            url: self.endpoint.url.to_string(),
            status: Some(200),
            message: format!("expected {what}, the store sent something else"),
            hint: "is this a SPARQL 1.1 query endpoint?".into(),
        }
    }

    /// The graph pattern of the data's quads (with the ontology's, for
    /// [`Scope::WithOntology`]), binding `?s ?p ?o ?g` (no `?g` on a store
    /// aikg did not fill: its default graph).
    fn data_pattern(&self, scope: Scope) -> Result<String> {
        Ok(match self.layout()? {
            Layout::Pushed(m) => {
                let ontology = m.graphs.contains_key(crate::store::ONTOLOGY_GRAPH);
                match (m.data_graphs.as_slice(), scope) {
                    ([one], Scope::Data) => format!("GRAPH {one} {{ ?s ?p ?o }} BIND({one} AS ?g)"),
                    ([one], Scope::WithOntology) if !ontology => {
                        format!("GRAPH {one} {{ ?s ?p ?o }} BIND({one} AS ?g)")
                    }
                    (_, Scope::Data) => format!(
                        "GRAPH {} {{ ?g a <{}DataGraph> }} GRAPH ?g {{ ?s ?p ?o }}",
                        m.graph(),
                        layout::NS
                    ),
                    (_, Scope::WithOntology) => format!(
                        "{{ SELECT DISTINCT ?g WHERE {{ GRAPH {m} {{ ?g a ?kind FILTER(?kind IN (<{ns}DataGraph>, <{ns}NamedGraph>)) }} }} }} GRAPH ?g {{ ?s ?p ?o }}",
                        m = m.graph(),
                        ns = layout::NS
                    ),
                }
            }
            Layout::Plain => "?s ?p ?o".to_string(),
        })
    }

    fn quad_of(&self, manifest: Option<&Manifest>, row: Row) -> Option<Quad> {
        let mut row = row.into_iter();
        let s = row.next().flatten()?;
        let p = row.next().flatten()?;
        let o = row.next().flatten()?;
        let g = row.next().flatten();
        let subject = match layout::unskolemize_term(s) {
            Term::NamedNode(n) => NamedOrBlankNode::from(n),
            Term::BlankNode(b) => b.into(),
            _ => return None,
        };
        let Term::NamedNode(predicate) = p else {
            return None;
        };
        let graph = match (g, manifest) {
            (Some(Term::NamedNode(g)), Some(m)) => m.graph_name(&g),
            (Some(Term::NamedNode(g)), None) => g.into(),
            _ => GraphName::DefaultGraph,
        };
        Some(Quad::new(
            subject,
            predicate,
            layout::unskolemize_term(o),
            graph,
        ))
    }

    /// Every row of a query whose result may be larger than the store
    /// answers at once: asked page by page (`LIMIT`/`OFFSET`), checked
    /// against a count made first, so that a page the store cut short or an
    /// order that changed between pages is an error, never a missing row.
    /// `body` is the query after `SELECT`: `?vars WHERE { ... }`.
    fn paged(
        &self,
        variables: &str,
        pattern: &str,
        each_page: &mut dyn FnMut(Vec<Row>) -> Result<()>,
    ) -> Result<u64> {
        let (_, rows) = self.ask_rows(&format!("SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"))?;
        let total = count_of(rows).ok_or_else(|| self.unexpected("a count"))?;
        let mut page = self.options.page_size.max(1);
        let mut received = 0u64;
        let mut seen = rustc_hash::FxHashSet::default();
        while received < total {
            let text =
                format!("SELECT {variables} WHERE {{ {pattern} }} LIMIT {page} OFFSET {received}");
            let (reply, cut) =
                self.endpoint
                    .query_allowing_cuts(&text, Form::Solutions, &self.own_dataset())?;
            let Reply::Solutions { rows, .. } = reply else {
                return Err(self.unexpected("solutions"));
            };
            match cut {
                // The store answers at most `max` rows: ask for that many.
                Some(Cut::MaxRows(max)) if (max as usize) < page && max > 0 => {
                    page = max as usize;
                    continue;
                }
                // Asked for no more than the store's maximum, a full page
                // carries the header too; the count checks the rest.
                Some(Cut::MaxRows(_)) | None => {}
                Some(cut @ Cut::Time) => return Err(self.endpoint.cut_error(cut)),
            }
            let expected = (total - received).min(page as u64);
            if (rows.len() as u64) < expected {
                return Err(self.unstable(total, received + rows.len() as u64));
            }
            for row in &rows {
                let mut hasher = rustc_hash::FxHasher::default();
                std::hash::Hash::hash(row, &mut hasher);
                if !seen.insert(std::hash::Hasher::finish(&hasher)) {
                    return Err(self.unstable(total, received));
                }
            }
            received += rows.len() as u64;
            each_page(rows)?;
        }
        Ok(total)
    }

    fn unstable(&self, total: u64, got: u64) -> Error {
        Error::Remote {
            url: self.endpoint.url.to_string(),
            status: Some(200),
            message: format!("reading page by page gave {got} distinct rows where the store counts {total}: the store cut a page short or changed the order between pages, so the read is refused"),
            hint: "is the store being written to? try again once it is quiet, or raise the store's maximum result size so one page holds everything".into(),
        }
    }

    /// Rows of a SELECT on the data (`pattern` binds what `variables`
    /// names), all of them, page by page if the store cuts the answer.
    fn data_rows(&self, variables: &str, pattern: &str) -> Result<Vec<Row>> {
        let text = format!("SELECT DISTINCT {variables} WHERE {{ {pattern} }}");
        let (reply, cut) =
            self.endpoint
                .query_allowing_cuts(&text, Form::Solutions, &self.own_dataset())?;
        match (reply, cut) {
            (Reply::Solutions { rows, .. }, None) => Ok(rows),
            (_, Some(Cut::MaxRows(_))) => {
                let mut all = Vec::new();
                self.paged(
                    variables,
                    &format!("SELECT DISTINCT {variables} WHERE {{ {pattern} }}"),
                    &mut |rows| {
                        all.extend(rows);
                        Ok(())
                    },
                )?;
                Ok(all)
            }
            (_, Some(cut)) => Err(self.endpoint.cut_error(cut)),
            _ => Err(self.unexpected("solutions")),
        }
    }

    /// The predicates of the statements whose object `values` (a `VALUES
    /// ?o` list) names, in any graph of a pushed store (a superset of the
    /// data's: the caller's query keeps to the data). Virtuoso answers an
    /// object with an unbound predicate inside one graph from its graph
    /// index, scanning the graph (0.25-0.3 s on a 1M-triple store, whatever
    /// the object), but across graphs from its object index (a few ms);
    /// with the predicates listed, the look-up in the graph is an index
    /// look-up too. Any engine gives the same statements either way.
    fn predicates_to(&self, values: &str) -> Result<Vec<NamedNode>> {
        let open = match self.layout()? {
            Layout::Pushed(_) => "GRAPH ?g { ?s ?p ?o }".to_string(),
            Layout::Plain => self.data_pattern(Scope::Data)?,
        };
        Ok(first_iris(
            self.data_rows("?p", &format!("{values}{open}"))?,
        ))
    }

    /// The entities whose name (label, acronym, local name), normalised as
    /// [`crate::resolve::normalize`] does, is `key`: one look-up in the
    /// names graph of a pushed store; None when the store has none.
    fn names_lookup(&self, key: &str) -> Result<Option<Vec<NamedNode>>> {
        let Layout::Pushed(manifest) = self.layout()? else {
            return Ok(None);
        };
        let Some(names) = &manifest.names else {
            return Ok(None);
        };
        let text = format!(
            "SELECT DISTINCT ?e WHERE {{ GRAPH {names} {{ ?e <{}key> {} }} }}",
            layout::NS,
            oxigraph::model::Literal::new_simple_literal(key)
        );
        let (_, rows) = self.ask_rows(&text)?;
        Ok(Some(first_iris(rows)))
    }
}

/// The IRIs of the rows' first column, sorted, each once.
fn first_iris(rows: Vec<Row>) -> Vec<NamedNode> {
    let mut out: Vec<NamedNode> = rows
        .into_iter()
        .filter_map(|row| match row.into_iter().next().flatten() {
            Some(Term::NamedNode(n)) => Some(n),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn count_of(rows: Vec<Row>) -> Option<u64> {
    match rows.into_iter().next()?.into_iter().next()?? {
        Term::Literal(l) => l.value().parse().ok(),
        _ => None,
    }
}

/// Reads the manifest of a pushed store; None if there is none.
pub fn read_manifest(endpoint: &Endpoint) -> Result<Option<Manifest>> {
    // The listed manifests and their entries, in one request: the list is
    // only appended to, each manifest graph is written whole before its
    // line, and its line says how many entries make it whole.
    let text = format!(
        "SELECT ?m ?seq ?entries ?g ?type ?hash ?n WHERE {{ GRAPH <{list}> {{ ?m <{ns}sequence> ?seq ; <{ns}entries> ?entries }} GRAPH ?m {{ ?g a ?type OPTIONAL {{ ?g <{ns}sha256> ?hash }} OPTIONAL {{ ?g <{ns}triples> ?n }} }} }}",
        list = layout::MANIFEST_GRAPH,
        ns = layout::NS
    );
    let Reply::Solutions { rows, .. } =
        endpoint.query(&text, Form::Solutions, &Dataset::default())?
    else {
        return Ok(None);
    };
    let broken = |message: String| Error::Remote {
        url: endpoint.url.to_string(),
        status: None,
        message,
        hint: "push again with `aikg push --replace` to write a whole manifest".into(),
    };
    match newest_whole_manifest(rows) {
        Ok(Some(manifest)) => Ok(Some(manifest)),
        Err(message) => Err(broken(message)),
        Ok(None) => {
            // No manifest listed: a store aikg did not fill, unless the list
            // holds something else (a store pushed by an older aikg, whose
            // manifest was one graph rewritten in place).
            let Reply::Boolean(listed) = endpoint.query(
                &format!(
                    "ASK {{ GRAPH <{}> {{ ?s ?p ?o }} }}",
                    layout::MANIFEST_GRAPH
                ),
                Form::Solutions,
                &Dataset::default(),
            )?
            else {
                return Ok(None);
            };
            if listed {
                return Err(broken(format!(
                    "the store's list of manifests <{}> names no whole manifest (it was written by an older aikg, or damaged)",
                    layout::MANIFEST_GRAPH
                )));
            }
            Ok(None)
        }
    }
}

/// Of the rows `?m ?seq ?entries ?g ?type ?hash ?n`, the manifest with the
/// highest sequence number whose entries are all there (a manifest graph
/// being dropped, or one a store has not finished writing, is passed over);
/// Err when manifests are listed but none is whole, or the newest whole one
/// names no merge.
fn newest_whole_manifest(rows: Vec<Row>) -> std::result::Result<Option<Manifest>, String> {
    // Manifest → (sequence, entries it should have, its rows).
    type Entry = (NamedNode, NamedNode, String, u64);
    let mut by_manifest: BTreeMap<NamedNode, (u64, u64, Vec<Entry>)> = BTreeMap::new();
    let number = |t: Option<Term>| match t {
        Some(Term::Literal(l)) => l.value().parse::<u64>().ok(),
        _ => None,
    };
    for row in rows {
        let mut row = row.into_iter();
        let (Some(Term::NamedNode(m)), Some(seq), Some(entries)) = (
            row.next().flatten(),
            number(row.next().flatten()),
            number(row.next().flatten()),
        ) else {
            continue;
        };
        let (Some(Term::NamedNode(g)), Some(Term::NamedNode(kind))) =
            (row.next().flatten(), row.next().flatten())
        else {
            continue;
        };
        let hash = match row.next().flatten() {
            Some(Term::Literal(l)) => l.value().to_string(),
            _ => String::new(),
        };
        let triples = number(row.next().flatten()).unwrap_or(0);
        let slot = by_manifest.entry(m).or_insert((seq, entries, Vec::new()));
        slot.0 = slot.0.max(seq);
        slot.1 = slot.1.max(entries);
        slot.2.push((g, kind, hash, triples));
    }
    if by_manifest.is_empty() {
        return Ok(None);
    }
    let mut candidates: Vec<_> = by_manifest.into_iter().collect();
    // Newest first; the same number twice (two pushes at once) is settled
    // by name, so that every reader picks the same.
    candidates.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(b.0.cmp(&a.0)));
    let seen = candidates.len();
    let Some((iri, (sequence, _, mut entries))) =
        candidates.into_iter().find(|(_, (_, want, rows))| {
            let mut typed: Vec<(&NamedNode, &NamedNode)> =
                rows.iter().map(|(g, k, _, _)| (g, k)).collect();
            typed.sort();
            typed.dedup();
            typed.len() as u64 == *want
        })
    else {
        return Err(format!(
            "the store lists {seen} manifest(s) under <{}>, none of them whole",
            layout::MANIFEST_GRAPH
        ));
    };
    entries.sort();
    let mut manifest = Manifest {
        iri: Some(iri),
        sequence,
        ..Manifest::default()
    };
    for (g, kind, hash, triples) in entries {
        match kind.as_str().strip_prefix(layout::NS) {
            Some("NamedGraph") => {
                manifest
                    .graphs
                    .insert(g.as_str().to_string(), (hash, triples));
            }
            Some("DataGraph") => manifest.data_graphs.push(g),
            Some("Merge") => {
                manifest.merged = Some(g);
                manifest.merged_triples = triples;
            }
            Some("Names") => manifest.names = Some(g),
            Some("DefaultGraph") => manifest.default_holder = Some(g),
            _ => {}
        }
    }
    manifest.data_graphs.sort();
    manifest.data_graphs.dedup();
    if manifest.merged.is_none() {
        return Err(format!(
            "the manifest <{}> names no merged graph",
            manifest.iri.as_ref().map_or("", |i| i.as_str())
        ));
    }
    Ok(Some(manifest))
}

/// A term in SPARQL syntax, blank nodes sent as their skolem IRIs.
fn sparql_term(term: &Term) -> String {
    layout::skolemize_term(term).to_string()
}

impl Kg for Remote {
    fn location(&self) -> String {
        format!("the store at {}", self.endpoint.url)
    }

    fn evaluate(
        &self,
        query: &Query,
        bindings: &[(Variable, Term)],
        options: &EvalOptions,
    ) -> Result<Answer> {
        let mut algebra = query.inner.clone();
        crate::bind::substitute(&mut algebra, bindings);
        // On a pushed store the query reads the aikg dataset: the merge as
        // its default graph, the graphs aikg pushed as its named graphs,
        // stated in the query (FROM, FROM NAMED: standard, and the form
        // Virtuoso evaluates best; not the protocol's parameters, which
        // Virtuoso echoes in one response header each, past what a client
        // reads). Past MAX_NAMED graphs the list would make each request
        // huge, and the algebra says it instead.
        let mut dataset = self.own_dataset();
        let mut wrap = None;
        let names_dataset = rewrite::names_dataset(&algebra);
        if let (Some(manifest), false) = (self.manifest()?, names_dataset) {
            if let Some(merged) = &manifest.merged {
                // No named graph at all is said in the algebra too: an
                // empty FROM NAMED list is no list to Virtuoso, whose
                // `GRAPH ?g` then ranges over every graph of the store.
                if (1..=MAX_NAMED).contains(&manifest.graphs.len()) {
                    rewrite::set_dataset(
                        &mut algebra,
                        merged,
                        manifest
                            .graphs
                            .keys()
                            .map(|g| NamedNode::new_unchecked(g.as_str()))
                            .collect(),
                    );
                } else {
                    wrap = Some(merged.clone());
                }
                dataset = Dataset::default();
            }
        }
        if names_dataset {
            dataset = Dataset::default();
        }
        let manifest_graph = self.manifest()?.map(|m| m.graph());
        let target = wrap.as_ref().zip(manifest_graph.as_ref());
        for service in rewrite::rewrite(&mut algebra, target) {
            // SERVICE obeys the same allow-list wherever the query runs.
            if !options.services.allows(service.as_str()) {
                return Err(crate::federation::refused(
                    service.as_str(),
                    &options.services,
                ));
            }
        }
        let order = order::take_order(&mut algebra);
        let form = match algebra {
            spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. } => Form::Graph,
            _ => Form::Solutions,
        };
        let text = algebra.to_string();
        match self.endpoint.query(&text, form, &dataset)? {
            Reply::Boolean(b) => Ok(Answer::Boolean(b)),
            Reply::Solutions { variables, rows } => {
                let mut rows: Vec<Row> = rows
                    .into_iter()
                    .map(|row| {
                        row.into_iter()
                            .map(|t| t.map(layout::unskolemize_term))
                            .collect()
                    })
                    .collect();
                if let Some(order) = &order {
                    rows = order::apply(order, &variables, rows)?;
                }
                Ok(crate::query::solutions_answer(
                    query,
                    variables.clone(),
                    protocol::solutions(&variables, rows),
                ))
            }
            Reply::Graph(triples) => Ok(crate::query::graph_answer(
                triples
                    .into_iter()
                    .map(layout::unskolemize_triple)
                    .collect(),
            )),
        }
    }

    fn has_ontology_graph(&self) -> Result<bool> {
        match self.layout()? {
            Layout::Pushed(m) => Ok(m.graphs.contains_key(crate::store::ONTOLOGY_GRAPH)),
            Layout::Plain => {
                let text = format!(
                    "ASK {{ GRAPH <{}> {{ ?s ?p ?o }} }}",
                    crate::store::ONTOLOGY_GRAPH
                );
                match self
                    .endpoint
                    .query(&text, Form::Solutions, &Dataset::default())?
                {
                    Reply::Boolean(b) => Ok(b),
                    _ => Err(self.unexpected("true or false")),
                }
            }
        }
    }

    fn statements(&self, pattern: Pattern<'_>) -> Result<Vec<Triple>> {
        // VALUES lists of at most this many terms per request.
        const CHUNK: usize = 200;
        // ...and of at most this many (predicate, object) pairs.
        const MAX_PAIRS: usize = 2_000;
        let data = self.data_pattern(Scope::Data)?;
        let manifest = self.manifest()?;
        let subjects: Vec<Term> = pattern
            .subjects
            .map(|l| l.iter().map(|s| Term::from(s.clone())).collect())
            .unwrap_or_default();
        let objects: Vec<Term> = pattern.objects.map(<[Term]>::to_vec).unwrap_or_default();
        let (fixed, fixed_var, list) = if pattern.subjects.is_some() {
            (&subjects, "?s", true)
        } else if pattern.objects.is_some() {
            (&objects, "?o", true)
        } else {
            (&subjects, "?s", false)
        };
        let mut predicates = String::new();
        if let Some(list) = pattern.predicates {
            if list.is_empty() {
                return Ok(Vec::new());
            }
            predicates.push_str("VALUES ?p {");
            for p in list {
                let _ = write!(predicates, " {p}");
            }
            predicates.push_str(" } ");
        }
        let mut both = String::new();
        if pattern.subjects.is_some() && pattern.objects.is_some() {
            both.push_str("VALUES ?o {");
            for o in &objects {
                let _ = write!(both, " {}", sparql_term(o));
            }
            both.push_str(" } ");
        }
        let chunks: Vec<&[Term]> = if list {
            if fixed.is_empty() {
                return Ok(Vec::new());
            }
            fixed.chunks(CHUNK).collect()
        } else {
            vec![&[]]
        };
        let mut out = Vec::new();
        for chunk in chunks {
            let mut values = String::new();
            if list {
                let _ = write!(values, "VALUES {fixed_var} {{");
                for t in chunk {
                    let _ = write!(values, " {}", sparql_term(t));
                }
                values.push_str(" } ");
            }
            let mut predicates = predicates.clone();
            if list && fixed_var == "?o" {
                // Objects with any predicate: the predicates first (see
                // `predicates_to`); then the statements of each (predicate,
                // object) pair, a look-up by the whole key (Virtuoso, given
                // the two lists apart, scans the graph's statements of each
                // predicate for the objects: 40-60 ms a wave against 10-20).
                let found = match pattern.predicates {
                    Some(list) => list.to_vec(),
                    None => self.predicates_to(&values)?,
                };
                if found.is_empty() {
                    continue;
                }
                predicates.clear();
                if found.len() * chunk.len() <= MAX_PAIRS {
                    values = "VALUES (?p ?o) {".to_string();
                    for p in &found {
                        for o in chunk {
                            let _ = write!(values, " ({p} {})", sparql_term(o));
                        }
                    }
                    values.push_str(" } ");
                } else {
                    predicates.push_str("VALUES ?p {");
                    for p in &found {
                        let _ = write!(predicates, " {p}");
                    }
                    predicates.push_str(" } ");
                }
            }
            if let (true, Some(manifest)) = (list && fixed_var == "?o", &manifest) {
                // Asked across graphs and kept to the data's graphs here:
                // with the graph named in the query, Virtuoso may start
                // from its graph index (its estimate for a graph of a
                // million statements is 0.26 rows) and walk the whole
                // graph, 11-19 s on some instances for five pairs.
                let rows = self.data_rows(
                    "?s ?p ?o ?g",
                    &format!("{values}{predicates}GRAPH ?g {{ ?s ?p ?o }}"),
                )?;
                for row in rows {
                    let in_data = matches!(row.get(3), Some(Some(Term::NamedNode(g))) if manifest.data_graphs.contains(g));
                    if let Some(quad) = self.quad_of(None, row).filter(|_| in_data) {
                        out.push(Triple::from(quad));
                    }
                }
                continue;
            }
            let rows = self.data_rows("?s ?p ?o", &format!("{values}{both}{predicates}{data}"))?;
            for row in rows {
                if let Some(quad) = self.quad_of(None, row) {
                    out.push(Triple::from(quad));
                }
            }
        }
        out.sort_by_cached_key(ToString::to_string);
        out.dedup();
        Ok(out)
    }

    fn scan(&self, scope: Scope, each: &PartReader<'_>) -> Result<()> {
        let manifest = self.manifest()?;
        let pattern = self.data_pattern(scope)?;
        let variables = if manifest.is_some() { SPOG } else { "?s ?p ?o" };
        self.paged(variables, &pattern, &mut |rows| {
            let mut quads = rows
                .into_iter()
                .filter_map(|row| self.quad_of(manifest.as_deref(), row))
                .map(Ok);
            each(&mut quads)
        })?;
        Ok(())
    }

    fn entities_named(&self, key: &str) -> Result<Option<Vec<NamedNode>>> {
        self.names_lookup(key)
    }

    fn approximate_len(&self) -> Result<usize> {
        if let Layout::Pushed(m) = self.layout()? {
            return Ok(m.merged_triples as usize);
        }
        let (_, rows) = self.ask_rows(&format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ {} }}",
            self.data_pattern(Scope::Data)?
        ))?;
        Ok(count_of(rows).unwrap_or(0) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;

    /// A row of the manifest query: manifest, sequence, entries, graph, kind.
    fn row(m: &str, seq: u64, entries: u64, g: &str, kind: &str) -> Row {
        vec![
            Some(
                NamedNode::new_unchecked(format!("https://w3id.org/aikg/push/manifest/{m}")).into(),
            ),
            Some(Literal::from(seq as i64).into()),
            Some(Literal::from(entries as i64).into()),
            Some(NamedNode::new_unchecked(g).into()),
            Some(NamedNode::new_unchecked(format!("{}{kind}", layout::NS)).into()),
            Some(Literal::new_simple_literal("abc").into()),
            Some(Literal::from(3).into()),
        ]
    }

    /// A whole manifest: itself, a merge, names, `graphs` named graphs.
    fn manifest_rows(m: &str, seq: u64, graphs: usize) -> Vec<Row> {
        let entries = 3 + 2 * graphs as u64;
        let mut rows = vec![
            row(
                m,
                seq,
                entries,
                &format!("https://w3id.org/aikg/push/manifest/{m}"),
                "Manifest",
            ),
            row(m, seq, entries, &format!("http://m/merged-{m}"), "Merge"),
            row(m, seq, entries, &format!("http://m/names-{m}"), "Names"),
        ];
        for i in 0..graphs {
            let g = format!("http://g/{m}/{i}");
            rows.push(row(m, seq, entries, &g, "NamedGraph"));
            rows.push(row(m, seq, entries, &g, "DataGraph"));
        }
        rows
    }

    #[test]
    fn readers_take_the_newest_whole_manifest() {
        let mut rows = manifest_rows("old", 1, 3);
        rows.extend(manifest_rows("new", 2, 4));
        let m = newest_whole_manifest(rows).unwrap().unwrap();
        assert_eq!(m.sequence, 2);
        assert_eq!(m.merged.as_ref().unwrap().as_str(), "http://m/merged-new");
        assert_eq!(m.graphs.len(), 4);
        assert_eq!(m.data_graphs.len(), 4);
        assert!(m.graph().as_str().ends_with("/manifest/new"));
    }

    #[test]
    fn a_manifest_read_half_written_or_half_dropped_is_passed_over() {
        // The newest lacks two of its entries (a store still writing it, or
        // dropping it): the previous whole one is read, never the half.
        let mut rows = manifest_rows("old", 1, 3);
        let mut half = manifest_rows("new", 2, 4);
        half.truncate(half.len() - 2);
        rows.extend(half);
        let m = newest_whole_manifest(rows).unwrap().unwrap();
        assert_eq!(m.sequence, 1);
        assert_eq!(m.graphs.len(), 3);
        // Only half ones: an error, not a short dataset, nor the whole store.
        let mut half = manifest_rows("new", 2, 4);
        half.pop();
        let error = newest_whole_manifest(half).unwrap_err();
        assert!(error.contains("none of them whole"), "{error}");
        // Nothing listed: a store aikg did not fill.
        assert!(newest_whole_manifest(Vec::new()).unwrap().is_none());
    }

    #[test]
    fn a_whole_manifest_without_a_merge_is_an_error() {
        let rows: Vec<Row> = manifest_rows("m", 1, 1)
            .into_iter()
            .filter(|r| !matches!(&r[4], Some(Term::NamedNode(k)) if k.as_str().ends_with("Merge")))
            .map(|mut r| {
                r[2] = Some(Literal::from(4).into());
                r
            })
            .collect();
        let error = newest_whole_manifest(rows).unwrap_err();
        assert!(error.contains("names no merged graph"), "{error}");
    }
}
