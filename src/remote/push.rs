//! `aikg push`: the graph into a remote store, through the Graph Store
//! Protocol, laid out as [`super::layout`] says.
//!
//! - Each named graph of the sources is sent in one PUT (the protocol's
//!   replace; a request cut short by a client that dies is dropped by the
//!   server), so it is either as before or as pushed.
//! - The merge of everything, the triples outside any named graph and the
//!   names index are graphs named by their content (SHA-256): sent in
//!   batches of `--batch` triples (a PUT, then POSTs), they become what
//!   readers see only when the manifest, written last in one PUT, names
//!   them. A push that stops halfway leaves the previous manifest, so
//!   readers see the previous merge; pushing again finishes the job.
//! - Pushing what the store already holds sends nothing: each graph's
//!   SHA-256 is compared with the manifest's (idempotent, and cheap).
//! - `--replace` drops the named graphs the previous push listed and this
//!   one does not; without it they stay in the store, outside the aikg
//!   dataset (readers no longer see them), and push says which.

use super::gsp::GraphStore;
use super::layout;
use super::Remote;
use crate::error::{Error, Result};
use crate::namespaces;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use sha2::Digest as _;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Options of [`push`].
#[derive(Clone)]
pub struct PushOptions {
    /// Drop the named graphs the previous push listed that this one does not.
    pub replace: bool,
    /// Triples per request for the large graphs (merge, names).
    pub batch: usize,
    /// Called with the triples sent so far and the total to send.
    pub progress: Option<std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>>,
}

impl Default for PushOptions {
    fn default() -> Self {
        Self {
            replace: false,
            batch: 50_000,
            progress: None,
        }
    }
}

/// One graph to send: its canonical N-Triples lines (sorted, each once) and
/// their SHA-256.
#[derive(Clone, Debug)]
pub struct GraphContent {
    pub iri: NamedNode,
    pub lines: Vec<String>,
    pub sha256: String,
}

impl GraphContent {
    fn new(iri: NamedNode, mut lines: Vec<String>) -> Self {
        lines.sort_unstable();
        lines.dedup();
        let sha256 = sha256_of(&lines);
        Self { iri, lines, sha256 }
    }

    /// A graph of aikg's own, named by (the start of) its SHA-256.
    fn named_by_content(lines: Vec<String>, name: fn(&str) -> NamedNode) -> Self {
        let mut content = Self::new(NamedNode::new_unchecked("urn:x"), lines);
        content.iri = name(&content.sha256[..16]);
        content
    }

    fn triples(&self) -> u64 {
        self.lines.len() as u64
    }
}

fn sha256_of(lines: &[String]) -> String {
    let mut hasher = sha2::Sha256::new();
    for line in lines {
        hasher.update(line.as_bytes());
    }
    let mut hex = String::with_capacity(64);
    for b in hasher.finalize() {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// What a push sends: the sources' named graphs, the merge, the triples
/// outside any named graph (when kept apart), the names index.
#[derive(Debug)]
pub struct Plan {
    pub graphs: Vec<GraphContent>,
    pub merged: GraphContent,
    pub default_holder: Option<GraphContent>,
    pub names: GraphContent,
}

/// A triple as one canonical N-Triples line, blank nodes skolemised.
fn line(subject: &NamedOrBlankNode, predicate: &NamedNode, object: &Term) -> String {
    let subject = match subject {
        NamedOrBlankNode::BlankNode(b) => layout::skolemize(b).to_string(),
        other => other.to_string(),
    };
    format!(
        "{subject} {predicate} {} .\n",
        layout::skolemize_term(object)
    )
}

impl Plan {
    /// Lays out the quads of the sources.
    pub fn new(quads: impl IntoIterator<Item = Quad>) -> Self {
        let mut by_graph: BTreeMap<NamedNode, Vec<String>> = BTreeMap::new();
        // Statements outside any named graph are kept once, in the merge;
        // which they are is remembered by position.
        let mut in_default = Vec::new();
        let mut merged = Vec::new();
        let mut names = Names::default();
        for quad in quads {
            let text = line(&quad.subject, &quad.predicate, &quad.object);
            names.see(&quad.subject, &quad.predicate, &quad.object);
            match quad.graph_name {
                GraphName::NamedNode(g) => by_graph.entry(g).or_default().push(text.clone()),
                GraphName::BlankNode(b) => by_graph
                    .entry(layout::skolemize(&b))
                    .or_default()
                    .push(text.clone()),
                GraphName::DefaultGraph => in_default.push(merged.len()),
            }
            merged.push(text);
        }
        let default_holder = (!by_graph.is_empty() && !in_default.is_empty()).then(|| {
            let lines = in_default.iter().map(|&i| merged[i].clone()).collect();
            GraphContent::named_by_content(lines, layout::default_graph)
        });
        drop(in_default);
        let merged = GraphContent::named_by_content(merged, layout::merged_graph);
        let names = GraphContent::named_by_content(names.lines(), layout::names_graph);
        Self {
            graphs: by_graph
                .into_iter()
                .map(|(iri, lines)| GraphContent::new(iri, lines))
                .collect(),
            merged,
            default_holder,
            names,
        }
    }

    /// The manifest of this plan, push number `sequence` made at `when`:
    /// a graph named by its content, and the line that lists it.
    pub fn manifest(&self, when: &str, sequence: u64) -> ManifestGraph {
        let mut lines = Vec::new();
        let a = oxigraph::model::vocab::rdf::TYPE.into_owned();
        let mut add = |s: &NamedNode, p: NamedNode, o: Term| {
            lines.push(line(&s.clone().into(), &p, &o));
        };
        let mut describe = |g: &GraphContent, kinds: &[&str]| {
            for kind in kinds {
                add(&g.iri, a.clone(), layout::term(kind).into());
            }
            add(
                &g.iri,
                layout::term("sha256"),
                Literal::new_simple_literal(&g.sha256).into(),
            );
            add(
                &g.iri,
                layout::term("triples"),
                Literal::from(g.triples() as i64).into(),
            );
        };
        for g in &self.graphs {
            if g.iri.as_str() == crate::store::ONTOLOGY_GRAPH {
                describe(g, &["NamedGraph"]);
            } else {
                describe(g, &["NamedGraph", "DataGraph"]);
            }
        }
        match &self.default_holder {
            Some(d) => describe(d, &["DefaultGraph", "DataGraph"]),
            None if self.graphs.is_empty() => describe(&self.merged, &["Merge", "DataGraph"]),
            None => {}
        }
        if !self.graphs.is_empty() || self.default_holder.is_some() {
            describe(&self.merged, &["Merge"]);
        }
        describe(&self.names, &["Names"]);
        // The manifest describes itself once its name is known: the name
        // comes from what it lists and when.
        let iri = layout::manifest_graph(&sha256_of(&[lines.concat(), when.to_string()])[..16]);
        let modified = NamedNode::new_unchecked("http://purl.org/dc/terms/modified");
        let when = Literal::new_typed_literal(
            when,
            NamedNode::new_unchecked(format!("{}dateTime", namespaces::XSD)),
        );
        let mut add = |s: &NamedNode, p: NamedNode, o: Term| {
            lines.push(line(&s.clone().into(), &p, &o));
        };
        add(&iri, a.clone(), layout::term("Manifest").into());
        add(&iri, modified.clone(), when.clone().into());
        add(
            &iri,
            layout::term("tool"),
            Literal::new_simple_literal(concat!("aikg ", env!("CARGO_PKG_VERSION"))).into(),
        );
        lines.sort();
        // What a reader counts to know the manifest is whole: its typed
        // entries (`?g a ?kind`), the manifest's own included.
        let type_predicate = format!(" <{}> ", namespaces::RDF_TYPE);
        let entries = lines.iter().filter(|l| l.contains(&type_predicate)).count() as u64;
        let listing = vec![
            line(
                &iri.clone().into(),
                &layout::term("sequence"),
                &Literal::from(sequence as i64).into(),
            ),
            line(
                &iri.clone().into(),
                &layout::term("entries"),
                &Literal::from(entries as i64).into(),
            ),
            line(&iri.clone().into(), &modified, &when.into()),
        ];
        ManifestGraph {
            iri,
            lines,
            listing,
        }
    }
}

/// One push's manifest: its graph, and the line that lists it in
/// [`layout::MANIFEST_GRAPH`], added once the graph is whole.
pub struct ManifestGraph {
    pub iri: NamedNode,
    pub lines: Vec<String>,
    pub listing: Vec<String>,
}

/// The names people use for entities, normalised as
/// [`crate::resolve::normalize`] compares them: labels, acronyms, and the
/// local names of typed `id:` entities.
#[derive(Default)]
struct Names(Vec<(NamedNode, String)>);

impl Names {
    fn see(&mut self, subject: &NamedOrBlankNode, predicate: &NamedNode, object: &Term) {
        let NamedOrBlankNode::NamedNode(entity) = subject else {
            return;
        };
        let p = predicate.as_str();
        let is_name = p == format!("{}label", namespaces::RDFS)
            || p == format!("{}prefLabel", namespaces::SKOS)
            || p == format!("{}altLabel", namespaces::SKOS)
            || p == format!("{}acronym", namespaces::AIKG);
        if is_name {
            if let Term::Literal(l) = object {
                self.0
                    .push((entity.clone(), crate::resolve::normalize(l.value())));
            }
        } else if p == namespaces::RDF_TYPE {
            if let Some(local) = entity.as_str().strip_prefix(namespaces::ID) {
                self.0
                    .push((entity.clone(), crate::resolve::normalize(local)));
                self.0.push((
                    entity.clone(),
                    crate::resolve::normalize(&local.replace(['-', '_'], " ")),
                ));
            }
        }
    }

    fn lines(self) -> Vec<String> {
        let key = layout::term("key");
        self.0
            .into_iter()
            .map(|(e, k)| line(&e.into(), &key, &Literal::new_simple_literal(k).into()))
            .collect()
    }
}

/// What a push did.
#[derive(Debug, Default)]
pub struct PushReport {
    /// Named graphs sent (new or changed).
    pub sent: Vec<String>,
    /// Named graphs the store already held as they are.
    pub unchanged: usize,
    /// Triples sent, all graphs together.
    pub triples_sent: u64,
    /// Graphs of the previous push dropped (`--replace`, and aikg's own).
    pub dropped: Vec<String>,
    /// Graphs of the previous push not in this one, kept (no `--replace`).
    pub kept_unlisted: Vec<String>,
    /// The merge readers now see, and its size.
    pub merged: String,
    pub merged_triples: u64,
}

/// Sends `plan` to the remote store.
pub fn push(remote: &Remote, plan: &Plan, options: &PushOptions) -> Result<PushReport> {
    let graph_store_url = remote.options.graph_store.clone().ok_or_else(|| {
        Error::usage(
            "aikg push needs the store's Graph Store Protocol endpoint",
            "give it with --graph-store URL (Virtuoso: http://HOST:8890/sparql-graph-crud, or /sparql-graph-crud-auth with credentials; Fuseki: http://HOST:3030/DATASET/data; GraphDB: http://HOST:7200/repositories/ID/rdf-graphs/service)",
        )
    })?;
    let store = GraphStore::new(graph_store_url, remote.client().clone());
    let previous = super::read_manifest(remote.endpoint())?.unwrap_or_default();
    let mut report = PushReport {
        merged: plan.merged.iri.as_str().to_string(),
        merged_triples: plan.merged.triples(),
        ..Default::default()
    };
    let changed: Vec<&GraphContent> = plan
        .graphs
        .iter()
        .filter(|g| {
            previous
                .graphs
                .get(g.iri.as_str())
                .is_none_or(|(hash, _)| *hash != g.sha256)
        })
        .collect();
    report.unchanged = plan.graphs.len() - changed.len();
    let owned_known = |g: &GraphContent| {
        previous.merged.as_ref() == Some(&g.iri)
            || previous.names.as_ref() == Some(&g.iri)
            || previous.default_holder.as_ref() == Some(&g.iri)
    };
    let large: Vec<&GraphContent> = [
        Some(&plan.merged),
        plan.default_holder.as_ref(),
        Some(&plan.names),
    ]
    .into_iter()
    .flatten()
    .filter(|g| !owned_known(g))
    .collect();
    let manifest_changes = !changed.is_empty()
        || !large.is_empty()
        || plan.graphs.len() != previous.graphs.len()
        || previous.merged.is_none();
    let total: u64 = changed.iter().chain(&large).map(|g| g.triples()).sum();
    let progress = |sent: u64| {
        if let Some(p) = &options.progress {
            p(sent, total)
        }
    };
    let stopped = |error: Error, at: &str, report: &PushReport| -> Error {
        stopped_error(error, at, report, changed.len(), &store.url)
    };
    // 1. The sources' named graphs, each in one request.
    for g in &changed {
        store
            .put(&g.iri, g.lines.concat().as_bytes())
            .map_err(|e| stopped(e, g.iri.as_str(), &report))?;
        report.sent.push(g.iri.as_str().to_string());
        report.triples_sent += g.triples();
        progress(report.triples_sent);
    }
    // 2. The graphs named by their content, in batches.
    for g in &large {
        for (i, batch) in g.lines.chunks(options.batch.max(1)).enumerate() {
            let body = batch.concat();
            let sent = if i == 0 {
                store.put(&g.iri, body.as_bytes())
            } else {
                store.post(&g.iri, body.as_bytes())
            };
            sent.map_err(|e| stopped(e, g.iri.as_str(), &report))?;
            report.triples_sent += batch.len() as u64;
            progress(report.triples_sent);
        }
        if g.lines.is_empty() {
            store
                .put(&g.iri, b"")
                .map_err(|e| stopped(e, g.iri.as_str(), &report))?;
        }
    }
    // 3. The manifest, in a graph of its own, then the line that lists it
    // (appended: the list is never rewritten, so that no reader finds it
    // empty or half-written while a store replaces a graph). From that line
    // on, readers see this push.
    let mut written_manifest = None;
    if manifest_changes {
        let manifest = plan.manifest(&now(), previous.sequence + 1);
        store
            .put(&manifest.iri, manifest.lines.concat().as_bytes())
            .map_err(|e| stopped(e, manifest.iri.as_str(), &report))?;
        store
            .post(
                &NamedNode::new_unchecked(layout::MANIFEST_GRAPH),
                manifest.listing.concat().as_bytes(),
            )
            .map_err(|e| stopped(e, layout::MANIFEST_GRAPH, &report))?;
        written_manifest = Some(manifest.iri);
    }
    remote.forget_layout();
    // 4. What the previous push had and this one does not.
    let now_own: Vec<&NamedNode> = [
        Some(&plan.merged),
        plan.default_holder.as_ref(),
        Some(&plan.names),
    ]
    .into_iter()
    .flatten()
    .map(|g| &g.iri)
    .collect();
    // The previous manifest goes too once a new one is listed (its line
    // stays, naming a graph no longer there: readers pass over it).
    let previous_manifest = previous.iri.as_ref().filter(|_| written_manifest.is_some());
    for old in [&previous.merged, &previous.names, &previous.default_holder]
        .into_iter()
        .flatten()
        .chain(previous_manifest)
    {
        if !now_own.contains(&old) {
            store.delete(old)?;
            report.dropped.push(old.as_str().to_string());
        }
    }
    let listed: std::collections::BTreeSet<&str> =
        plan.graphs.iter().map(|g| g.iri.as_str()).collect();
    for old in previous.graphs.keys() {
        if listed.contains(old.as_str()) {
            continue;
        }
        if options.replace {
            store.delete(&NamedNode::new_unchecked(old.as_str()))?;
            report.dropped.push(old.clone());
        } else {
            report.kept_unlisted.push(old.clone());
        }
    }
    Ok(report)
}

/// The error of a push that stopped: what failed, and which graphs were
/// sent before (each as pushed) and which not (each as before).
fn stopped_error(
    error: Error,
    at: &str,
    report: &PushReport,
    to_send: usize,
    graph_store: &url::Url,
) -> Error {
    let (status, message) = match &error {
        Error::Remote {
            status, message, ..
        } => (*status, message.clone()),
        other => (None, other.to_string()),
    };
    let sent = if report.sent.is_empty() {
        "none".to_string()
    } else {
        report
            .sent
            .iter()
            .map(|g| namespaces::compact(g).unwrap_or_else(|| format!("<{g}>")))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let underlying_hint = match &error {
        Error::Remote { hint, .. } | Error::Usage { hint, .. } => hint.clone(),
        _ => String::new(),
    };
    Error::Remote {
        url: graph_store.to_string(),
        status,
        message: format!(
            "the push stopped while sending {}: {message}\n  graphs sent before it ({} of {to_send}, each now as pushed): {sent}\n  the others are as they were; readers still see the previous push (its manifest is unchanged)",
            namespaces::compact(at).unwrap_or_else(|| format!("<{at}>")),
            report.sent.len(),
        ),
        hint: if underlying_hint.is_empty() {
            "push again to finish: what was sent is not sent twice".into()
        } else {
            format!("{underlying_hint}; then push again to finish: what was sent is not sent twice")
        },
    }
}

/// The current time as an `xsd:dateTime`, UTC.
fn now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        crate::link::today(),
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// Triples of the plan's graphs, parsed back (for tests).
pub fn parse_lines(lines: &[String]) -> Vec<Triple> {
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
        .for_slice(lines.concat().as_bytes())
        .filter_map(|q| q.ok().map(Triple::from))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quad(s: &str, p: &str, o: Term, g: Option<&str>) -> Quad {
        Quad::new(
            NamedNode::new_unchecked(s),
            NamedNode::new_unchecked(p),
            o,
            g.map_or(GraphName::DefaultGraph, |g| {
                NamedNode::new_unchecked(g).into()
            }),
        )
    }

    #[test]
    fn a_plan_keeps_graphs_and_merges_them() {
        let fact = |g| {
            quad(
                "https://w3id.org/aikg/id/ETRI",
                "https://w3id.org/aikg/ontology#locatedIn",
                NamedNode::new_unchecked("https://w3id.org/aikg/id/Daejeon").into(),
                g,
            )
        };
        let plan = Plan::new([
            fact(Some("https://w3id.org/aikg/source/kr-1")),
            fact(Some("https://w3id.org/aikg/source/kr-2")),
            quad(
                "https://w3id.org/aikg/id/ETRI",
                "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                NamedNode::new_unchecked("https://w3id.org/aikg/ontology#ResearchInstitute").into(),
                None,
            ),
        ]);
        assert_eq!(plan.graphs.len(), 2);
        // The fact stated twice is one triple of the merge.
        assert_eq!(plan.merged.triples(), 2);
        assert_eq!(plan.default_holder.as_ref().unwrap().triples(), 1);
        // Names: the local name, with and without hyphens (the same here).
        assert!(plan.names.lines.iter().any(|l| l.contains("\"etri\"")));
        // Same content, same IRIs: pushing again is recognised.
        let again = Plan::new([
            fact(Some("https://w3id.org/aikg/source/kr-2")),
            fact(Some("https://w3id.org/aikg/source/kr-1")),
            quad(
                "https://w3id.org/aikg/id/ETRI",
                "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                NamedNode::new_unchecked("https://w3id.org/aikg/ontology#ResearchInstitute").into(),
                None,
            ),
        ]);
        assert_eq!(plan.merged.iri, again.merged.iri);
        assert_eq!(plan.graphs[0].sha256, again.graphs[0].sha256);
        let manifest = plan.manifest("2026-01-01T00:00:00Z", 1);
        let triples = parse_lines(&manifest.lines);
        assert!(triples.len() > 10, "{:?}", manifest.lines);
        // The entries a reader counts are the typed ones, its own included.
        let typed = triples
            .iter()
            .filter(|t| t.predicate.as_str() == namespaces::RDF_TYPE)
            .count();
        let listing = parse_lines(&manifest.listing);
        let entries = listing
            .iter()
            .find(|t| t.predicate.as_str().ends_with("#entries"))
            .unwrap();
        assert_eq!(
            entries.object.to_string(),
            format!("\"{typed}\"^^<http://www.w3.org/2001/XMLSchema#integer>")
        );
        assert!(listing
            .iter()
            .all(|t| t.subject.to_string() == manifest.iri.to_string()));
        // Another time, another manifest graph: a push never rewrites one.
        assert_ne!(plan.manifest("2026-01-01T00:00:01Z", 2).iri, manifest.iri);
    }

    #[test]
    fn blank_nodes_travel_as_skolem_iris() {
        let plan = Plan::new([Quad::new(
            oxigraph::model::BlankNode::new_unchecked("fabc"),
            NamedNode::new_unchecked("http://e/p"),
            Term::from(oxigraph::model::BlankNode::new_unchecked("fdef")),
            GraphName::DefaultGraph,
        )]);
        let line = &plan.merged.lines[0];
        assert!(
            line.starts_with("<https://w3id.org/aikg/.well-known/genid/fabc>")
                && line.contains("/genid/fdef>"),
            "{line}"
        );
    }

    #[test]
    fn dates_are_utc_xsd_date_times() {
        let now = now();
        assert_eq!(now.len(), 20, "{now}");
        assert!(now.starts_with("20") && now.ends_with('Z'), "{now}");
    }
}
