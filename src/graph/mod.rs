//! The graph view of the knowledge graph: a projection of the RDF into
//! `petgraph` ([`projection`]), drawn as GraphViz DOT ([`dot`], then SVG or
//! PNG through `dot`: [`render`]), GraphML ([`graphml`]) or Cytoscape.js JSON
//! ([`cytoscape`]), and analysed ([`analytics`]: paths, neighbourhoods,
//! centrality, components). One projection serves every exporter and every
//! algorithm; [`build`] makes it from a store and a request,
//! [`build_from_files`] from RDF files read without a store.

pub mod analytics;
pub mod cytoscape;
pub mod dot;
pub mod graphml;
pub mod projection;
pub mod raw;
pub mod render;
pub mod snapshot;
pub mod style;
pub mod vocab;

pub use projection::{ClusterBy, Edge, Node, NodeKind, Options, Projection, Selection};

use crate::error::{Error, Result};
use crate::kg::Kg;
use crate::query::{self, Answer};
use raw::RawGraph;
use rustc_hash::FxHashSet;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use vocab::{short_name, Vocab};

/// What to project and keep, with names as users give them.
#[derive(Clone, Debug)]
pub struct Request {
    /// Language of labels: `en`, `fr`...
    pub lang: String,
    /// Keep fundings and quantities as nodes.
    pub reify: bool,
    /// `country`, or a property (name, prefixed name or IRI).
    pub cluster: Option<String>,
    /// The entity to centre on (label, acronym, prefixed name or IRI).
    pub focus: Option<String>,
    pub depth: usize,
    /// Walk on from the focus through hubs (countries, topics, nodes of
    /// many edges: [`projection::Hubs`]) instead of stopping at them.
    pub through_hubs: bool,
    /// Entities (names as for `focus`) whose neighbours are drawn too.
    pub expand: Vec<String>,
    /// Relations to keep (local names of the aikg ontology, prefixed names, IRIs).
    pub relations: Vec<String>,
    /// Classes to keep, with their subclasses.
    pub classes: Vec<String>,
    /// Classes to leave out, with their subclasses.
    pub without: Vec<String>,
    /// A CONSTRUCT query whose result is the graph to project: (text, origin).
    pub construct: Option<(String, String)>,
}

impl Default for Request {
    fn default() -> Self {
        Self {
            lang: "en".into(),
            reify: false,
            cluster: None,
            focus: None,
            depth: 1,
            through_hubs: false,
            expand: Vec::new(),
            relations: Vec::new(),
            classes: Vec::new(),
            without: Vec::new(),
            construct: None,
        }
    }
}

/// Splits `a,b c` lists as given on the command line.
pub fn split_list(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split([',', ' ']))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

pub(crate) use crate::timing;

fn language(request: &Request) -> Result<String> {
    let lang = request.lang.trim().to_ascii_lowercase();
    if lang.len() < 2 || lang.len() > 3 || !lang.chars().all(|c| c.is_ascii_lowercase()) {
        return Err(Error::usage(
            format!("--lang {:?}: not a language code", request.lang),
            "give a two-letter code such as en or fr",
        ));
    }
    Ok(lang)
}

/// Builds the projection a request asks for from RDF files, without a store
/// when it can: the files are read straight into the statements the
/// projection needs ([`RawGraph::from_files`]). A focus (whose name is
/// resolved by SPARQL) or a CONSTRUCT query needs a store: the files are then
/// loaded into one in memory, as `aikg load` would load them.
pub fn build_from_files(paths: &[PathBuf], request: &Request) -> Result<Projection> {
    let started = std::time::Instant::now();
    let lang = language(request)?;
    if request.focus.is_some() || request.construct.is_some() {
        let mut quads = Vec::new();
        for path in paths {
            quads.extend(crate::source::read_file(path, None)?);
        }
        let store = crate::store::in_memory(&quads)?;
        timing("load", started);
        return build(&store, request);
    }
    let raw = RawGraph::from_files(paths)?;
    timing("scan", started);
    let vocab = Vocab::for_files(&raw)?;
    timing("read", started);
    finish(raw, vocab, (None, Vec::new()), lang, request, None, started)
}

/// Builds the projection a request asks for.
pub fn build(store: &dyn Kg, request: &Request) -> Result<Projection> {
    let started = std::time::Instant::now();
    let lang = language(request)?;
    let vocab = Vocab::load(store)?;
    let focus = match &request.focus {
        Some(name) => Some(
            crate::resolve::resolve(store, name)?
                .iri
                .as_str()
                .to_string(),
        ),
        None => None,
    };
    let expand = request
        .expand
        .iter()
        .map(|name| {
            Ok(crate::resolve::resolve(store, name)?
                .iri
                .as_str()
                .to_string())
        })
        .collect::<Result<Vec<String>>>()?;
    let raw = match &request.construct {
        Some((text, origin)) => {
            let q = query::Query::parse(text, origin)?;
            match store.evaluate(&q, &[], &query::EvalOptions::default())? {
                Answer::Graph(triples) => RawGraph::from_triples(store, &triples)?,
                _ => {
                    return Err(Error::usage(
                        format!("{origin}: --query needs a CONSTRUCT (or DESCRIBE) query, whose result is a graph"),
                        "e.g. CONSTRUCT { ?a aikg:funds ?b } WHERE { ?a aikg:funds ?b }",
                    ))
                }
            }
        }
        // With a focus, only its neighbourhood is read: the filters only
        // remove nodes and edges, so what they keep within reach of the
        // focus is in it.
        None => match &focus {
            // Each node opened reaches one hop further at most.
            Some(key) => RawGraph::neighbourhood(store, key, request.depth + expand.len())?,
            _ => RawGraph::whole_store(store)?,
        },
    };

    timing("read", started);
    finish(
        raw,
        vocab,
        (focus, expand),
        lang,
        request,
        Some(store),
        started,
    )
}

/// Beyond this many hops from each end, `paths_between` reads the whole
/// graph instead of growing the two neighbourhoods further.
const MEET_DEPTH: usize = 3;

/// The shortest paths between two entities, reading only what lies around
/// them: the neighbourhoods of both ends, one hop deeper at a time. Within
/// `d` hops of either end lie every node and edge of every path of at most
/// `2d + 1` hops (each node of such a path is within `d` of one end; each
/// edge is a statement of one of its ends, both read), so paths found that
/// short are the graph's shortest, all of them; when both neighbourhoods
/// stop growing, the ends' components are read whole. Past `MEET_DEPTH`
/// hops the whole graph is read. A two-hop path costs the same in a store
/// of ten thousand statements or of millions.
pub fn paths_between(
    store: &dyn Kg,
    request: &Request,
    from: &str,
    to: &str,
    limit: usize,
) -> Result<analytics::Paths> {
    let started = std::time::Instant::now();
    let lang = language(request)?;
    let vocab = Vocab::load(store)?;
    let ends = [
        crate::resolve::resolve(store, from)?,
        crate::resolve::resolve(store, to)?,
    ];
    let keys: Vec<String> = ends.iter().map(|e| e.iri.as_str().to_string()).collect();
    let node = |projection: &Projection, i: usize| {
        projection.find(&keys[i]).ok_or_else(|| {
            Error::usage(
                format!("{} ({}) is not a node of the graph", projection::node_id(&keys[i]), ends[i].label),
                "fundings and quantities are drawn as edges or notes (add --reify), and --classes / --relations may have left it out",
            )
        })
    };
    let mut read_before = 0;
    for depth in 0..=MEET_DEPTH {
        let raw = RawGraph::neighbourhood_of(store, &keys, depth)?;
        let read = raw.subjects.len();
        let projection = finish(
            raw,
            vocab.clone(),
            (None, Vec::new()),
            lang.clone(),
            request,
            Some(store),
            started,
        )?;
        let paths = analytics::shortest_paths(
            &projection,
            node(&projection, 0)?,
            node(&projection, 1)?,
            limit,
        );
        if paths.length.is_some_and(|hops| hops <= 2 * depth + 1) || read == read_before {
            return Ok(paths);
        }
        read_before = read;
    }
    let projection = finish(
        RawGraph::whole_store(store)?,
        vocab,
        (None, Vec::new()),
        lang,
        request,
        Some(store),
        started,
    )?;
    Ok(analytics::shortest_paths(
        &projection,
        node(&projection, 0)?,
        node(&projection, 1)?,
        limit,
    ))
}

/// The projection of what was read, whatever it was read from: names
/// resolved, clusters assigned, the selection applied. `store` is where to
/// read what a neighbourhood read left out (cluster targets).
fn finish(
    mut raw: RawGraph,
    vocab: Vocab,
    (focus, expand): (Option<String>, Vec<String>),
    lang: String,
    request: &Request,
    store: Option<&dyn Kg>,
    started: std::time::Instant,
) -> Result<Projection> {
    let cluster_name = request
        .cluster
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    // Names of classes and properties: the vocabulary's and the data's.
    let descriptions = || raw.subjects.values();
    let types = distinct(descriptions().flat_map(|d| &d.types));
    let links = distinct(descriptions().flat_map(|d| d.links.iter().map(|(p, _)| p)));
    let literals = distinct(descriptions().flat_map(|d| d.literals.iter().map(|(p, _)| p)));
    let class_names = names(vocab.classes(), &[&types]);
    let relation_names = names(vocab.properties(), &[&links]);
    let property_names = names(vocab.properties(), &[&links, &literals]);
    let resolve_names = |names: &[String],
                         what: &str,
                         candidates: &BTreeMap<String, ()>|
     -> Result<Vec<String>> {
        split_list(names)
            .iter()
            .map(|name| {
                let iri = vocab::resolve_term(name, candidates).filter(|iri| candidates.contains_key(iri));
                iri.ok_or_else(|| {
                    let wanted = name.to_lowercase();
                    let mut near: Vec<String> = candidates
                        .keys()
                        .map(|c| short_name(c))
                        .filter(|s| {
                            let s = s.to_lowercase();
                            s.contains(&wanted) || crate::named_query::edit_distance(&s, &wanted) <= (wanted.chars().count() / 3).max(1)
                        })
                        .collect();
                    near.sort();
                    near.dedup();
                    near.truncate(8);
                    Error::usage(
                        format!("unknown {what} {name:?}: neither the ontology nor the data has it"),
                        if near.is_empty() {
                            "name it by its local name in the aikg ontology (funds, partnersWith, University...), a prefixed name or an IRI; `aikg stats` lists what the graph uses".to_string()
                        } else {
                            format!("did you mean: {}", near.join(", "))
                        },
                    )
                })
            })
            .collect()
    };
    let relations = resolve_names(&request.relations, "relation", &relation_names)?;
    let classes = resolve_names(&request.classes, "class", &class_names)?;
    let without = resolve_names(&request.without, "class", &class_names)?;
    let cluster = match cluster_name {
        None => None,
        Some(c) if c.eq_ignore_ascii_case("country") => Some(ClusterBy::Country),
        Some(c) => Some(ClusterBy::Property(
            resolve_names(&[c.to_string()], "property", &property_names)?.remove(0),
        )),
    };
    if let (Some(by), Some(store)) = (&cluster, store) {
        // Read what cluster links point at (up the locatedIn chain), when
        // only a neighbourhood was read.
        for _ in 0..4 {
            let missing = projection::cluster_targets(&raw, by);
            if missing.is_empty() {
                break;
            }
            for key in missing {
                raw.ensure(store, &key)?;
            }
        }
    }
    timing("names", started);
    let options = Options {
        lang: lang.clone(),
        reify: request.reify,
        cluster,
    };
    let projection = projection::project(&raw, vocab, &options);
    timing("project", started);
    if let Some(key) = &focus {
        if projection.find(key).is_none() {
            let hint = if raw.subjects.get(key.as_str()).is_some_and(raw::is_nary) {
                "it is a funding or a quantity, drawn as an edge or a note: add --reify to draw it as a node"
            } else {
                "only typed entities are drawn (not passages, documents, link annotations, dataset descriptions or untyped resources)"
            };
            return Err(Error::usage(
                format!("{} is not a node of the graph", projection::node_id(key)),
                hint,
            ));
        }
    }
    let selected = projection.select(&Selection {
        focus,
        depth: request.depth,
        through_hubs: request.through_hubs,
        expand,
        relations,
        classes,
        without,
    });
    timing("select", started);
    discard(raw);
    Ok(selected)
}

/// Set by a process that ends once its command is done: see
/// [`release_memory_at_exit`].
static RELEASE_AT_EXIT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Tells the graph pipeline that the process ends once its command is done
/// (the `aikg` command line): the large values it is finished with (the
/// statements read, the projection) are then left for the operating system
/// to take back with the rest of the process, all at once, rather than freed
/// a string at a time, which took a tenth of the time of an export and one
/// core while the DOT was being written. rustc leaves its arenas the same
/// way. Library users that keep running leave this off: values are then
/// freed on another thread.
pub fn release_memory_at_exit(yes: bool) {
    RELEASE_AT_EXIT.store(yes, std::sync::atomic::Ordering::Relaxed);
}

/// Whether a core is busy freeing while the rest of an export runs.
pub(crate) fn frees_in_background() -> bool {
    !RELEASE_AT_EXIT.load(std::sync::atomic::Ordering::Relaxed)
}

/// Disposes of a large value the pipeline is finished with: freed on
/// another thread (nothing waits for it), or left to the end of the process
/// ([`release_memory_at_exit`]).
pub fn discard<T: Send + 'static>(value: T) {
    if frees_in_background() {
        std::thread::spawn(move || drop(value));
    } else {
        std::mem::forget(value);
    }
}

/// The distinct texts of names. A name is shared by the statements that use
/// it, so most repeats are the same allocation: they are told apart by
/// address, without hashing their text (a million statements name a few
/// dozen classes and properties).
fn distinct<'a>(names: impl Iterator<Item = &'a raw::Name>) -> FxHashSet<&'a str> {
    let mut addresses = FxHashSet::default();
    let mut texts = FxHashSet::default();
    for name in names {
        if addresses.insert(std::sync::Arc::as_ptr(name) as *const u8 as usize) {
            texts.insert(&**name);
        }
    }
    texts
}

/// The names a user may give: those the vocabulary declares and those the
/// data uses.
fn names<'a>(
    declared: impl Iterator<Item = &'a str>,
    used: &[&FxHashSet<&'a str>],
) -> BTreeMap<String, ()> {
    declared
        .chain(used.iter().flat_map(|u| u.iter().copied()))
        .map(|t| (t.to_string(), ()))
        .collect()
}

/// The formats `aikg export` writes.
pub const EXPORT_FORMATS: &str = "dot, svg, png, graphml, json";

/// Writes a projection in an export format, into memory.
pub fn export(projection: &Projection, format: &str) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    export_to(projection, format, &mut out)?;
    Ok(out)
}

/// Writes a projection in an export format to `out`, as it is made: the
/// text of a large graph (tens of megabytes) is never held twice.
pub fn export_to(projection: &Projection, format: &str, out: &mut dyn Write) -> Result<()> {
    let started = std::time::Instant::now();
    let io = |e: std::io::Error| Error::io("<output>", e);
    match format {
        "dot" | "gv" => dot::write_dot(projection, out).map_err(io)?,
        "svg" | "png" => {
            let mut text = Vec::new();
            dot::write_dot(projection, &mut text).map_err(io)?;
            out.write_all(&render::render(&text, format)?).map_err(io)?;
        }
        "graphml" => graphml::write_graphml(projection, out).map_err(io)?,
        "json" | "cytoscape" => {
            serde_json::to_writer_pretty(&mut *out, &cytoscape::to_cytoscape(projection))
                .map_err(|e| Error::io("<output>", e))?;
            out.write_all(b"\n").map_err(io)?;
        }
        other => {
            return Err(Error::usage(
                format!("unknown export format {other:?}"),
                format!("use one of: {EXPORT_FORMATS}"),
            ))
        }
    }
    timing("write", started);
    Ok(())
}

/// The node an entity name designates in a projection (for `path`,
/// `neighbors`).
pub fn node_of(
    store: &dyn Kg,
    projection: &Projection,
    name: &str,
) -> Result<petgraph::graph::NodeIndex> {
    let entity = crate::resolve::resolve(store, name)?;
    projection.find(entity.iri.as_str()).ok_or_else(|| {
        Error::usage(
            format!("{} ({}) is not a node of the graph", projection::node_id(entity.iri.as_str()), entity.label),
            "fundings and quantities are drawn as edges or notes (add --reify), and --classes / --relations may have left it out",
        )
    })
}
