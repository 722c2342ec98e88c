//! aikg: a knowledge graph of national AI ecosystems, and the library behind
//! the `aikg` command. Each module does one stage (see ARCHITECTURE.md):
//!
//! - [`source`]: parsing RDF files, every quad with its file:line:col;
//! - [`store`]: the bundled sources in memory, or a persistent RocksDB store;
//! - [`kg`]: the one way in for reading, local store or remote endpoint;
//! - [`remote`]: a remote SPARQL 1.1 store (queries, `aikg push`);
//! - [`query`]: SPARQL with predeclared prefixes, results in every W3C format;
//! - [`named_query`]: `queries/*.rq` and their typed parameters;
//! - [`resolve`]: naming entities by label, acronym or IRI;
//! - [`search`]: finding entities by name, in any language and script;
//! - [`explain`] and [`stats`]: what the graph says, with its sources;
//! - [`shacl`] and [`check`]: SHACL Core validation and the ontology checks,
//!   with located diagnostics (`aikg check`, `aikg validate`);
//! - [`readings`]: the editor's readings left unmarked in a passage's graph;
//! - [`graph`]: the projection into petgraph, its exports (DOT, SVG, GraphML,
//!   Cytoscape.js JSON) and analytics (paths, neighbours, centrality);
//! - [`reason`]: RDFS and OWL 2 RL entailment from the ontology, inferred
//!   triples in their own graph, explained and checked;
//! - [`link`], [`federation`] and [`dump`]: links to ROR, GeoNames and
//!   Wikidata, SERVICE with an allow-list, publishing with VoID/DCAT;
//! - [`serve`]: the SPARQL 1.1 Protocol and Graph Store endpoint (`aikg serve`);
//! - [`update`]: SPARQL UPDATE on a persistent store, checked by shapes first;
//! - [`terminal`]: errors, warnings and notes on stderr (`-q`, `-v`, `--color`).

pub mod algebra;
pub mod bind;
pub mod bundle;
pub mod check;
pub mod dump;
pub mod error;
pub mod explain;
pub mod federation;
pub mod graph;
pub mod kg;
pub mod link;
pub mod mapped;
pub mod named_query;
pub mod namespaces;
pub mod output;
pub mod query;
pub mod query_diagnosis;
pub mod readings;
pub mod reason;
pub mod remote;
pub mod resolve;
pub mod search;
pub mod serve;
pub mod shacl;
pub mod source;
pub mod stats;
pub mod store;
pub mod stored_literals;
pub mod terminal;
pub mod update;

/// With `AIKG_TIMINGS` set (or `-v`), prints on stderr how long the work
/// since `since` took, under the name of its stage: what the benchmark
/// scripts print to show where the time goes.
pub fn timing(stage: &str, since: std::time::Instant) {
    if std::env::var_os("AIKG_TIMINGS").is_some() || terminal::is_verbose() {
        eprintln!(
            "timing: {stage:<16} {:>8.1} ms",
            since.elapsed().as_secs_f64() * 1e3
        );
    }
}

/// The threads to share a large job between: one per core, up to 8 (beyond,
/// reading and merging the parts costs more than it saves).
pub fn cores() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
}
