//! Where the graph lives: the bundled (or working-copy) sources loaded in
//! memory, or a persistent RocksDB store filled by `aikg load`.

use crate::bundle::{self, BundledFile};
use crate::error::{Error, Result};
use crate::source::{self, LocatedQuad, SourceError, SourceFormat};
use oxigraph::model::{GraphName, NamedNode, Quad};
use oxigraph::store::Store;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The named graph that holds the ontology (`ontology/*.ttl`), kept apart
/// from the sources' facts.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/aikg/ontology";

/// One source file: its display path and its bytes.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: Arc<str>,
    pub bytes: Cow<'static, [u8]>,
}

/// The files a knowledge graph is built from: the ones bundled in the binary,
/// or those of a working copy (`--data DIR`), and what to infer from them.
#[derive(Debug, Clone)]
pub struct Sources {
    pub ontology: Vec<SourceFile>,
    pub data: Vec<SourceFile>,
    pub queries: Vec<SourceFile>,
    /// `--reasoning`: what the in-memory store materialises, what a
    /// persistent store is read with, what `aikg check` infers.
    pub reasoning: crate::reason::Reasoning,
}

impl Sources {
    /// The ontology, data and named queries embedded at build time.
    pub fn bundled() -> Self {
        let files = |list: &[BundledFile]| {
            list.iter()
                .map(|f| SourceFile {
                    path: f.path.into(),
                    bytes: Cow::Borrowed(f.text.as_bytes()),
                })
                .collect()
        };
        Self {
            ontology: files(bundle::ONTOLOGY),
            data: files(bundle::DATA),
            queries: files(bundle::QUERIES),
            reasoning: crate::reason::Reasoning::Default,
        }
    }

    /// A working copy. `dir` is either a repository root (with `data/`, and
    /// optionally `ontology/` and `queries/`) or a folder of data files; what
    /// it lacks comes from the bundle.
    pub fn from_dir(dir: &Path) -> Result<Self> {
        if !dir.is_dir() {
            return Err(Error::usage(
                format!("--data {}: not a directory", dir.display()),
                "give the root of a working copy (with data/ and ontology/) or a folder of .ttl/.trig files",
            ));
        }
        let mut sources = Self::bundled();
        let is_root = dir.join("data").is_dir() || dir.join("ontology").is_dir();
        if is_root {
            if dir.join("ontology").is_dir() {
                sources.ontology = read_dir_files(&dir.join("ontology"), &["ttl"])?;
            }
            if dir.join("data").is_dir() {
                sources.data = read_dir_files(&dir.join("data"), &["ttl", "trig"])?;
            }
            if dir.join("queries").is_dir() {
                sources.queries = read_dir_files(&dir.join("queries"), &["rq"])?;
            }
        } else {
            sources.data = read_dir_files(dir, &["ttl", "trig", "nt", "nq"])?;
        }
        Ok(sources)
    }

    /// `--data DIR` if given, else the bundle.
    pub fn open(data: Option<&Path>) -> Result<Self> {
        match data {
            Some(dir) => Self::from_dir(dir),
            None => Ok(Self::bundled()),
        }
    }

    /// The sources `aikg check` checks, and words saying which they are:
    /// `--data DIR` if given; else the working copy of aikg data that holds
    /// the current directory (a folder, or an ancestor, with `data/` and
    /// `ontology/aikg.ttl`), so that a change on disk is checked and never
    /// the copy built into the binary; else the bundle.
    pub fn for_check(data: Option<&Path>) -> Result<(Self, String)> {
        if let Some(dir) = data {
            return Ok((
                Self::from_dir(dir)?,
                format!("the data of {}", dir.display()),
            ));
        }
        let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
        for (up, dir) in cwd.ancestors().enumerate() {
            if dir.join("data").is_dir() && dir.join("ontology/aikg.ttl").is_file() {
                // Read through a path relative to the current directory, so
                // that errors and results name files as the user types them.
                let relative = match up {
                    0 => PathBuf::from("."),
                    _ => (0..up).map(|_| "..").collect(),
                };
                return Ok((
                    Self::from_dir(&relative)?,
                    format!(
                        "the working copy at {} (its data/ and ontology/ on disk)",
                        dir.display()
                    ),
                ));
            }
        }
        Ok((
            Self::bundled(),
            "the data bundled in aikg (no working copy here; --data DIR checks one)".into(),
        ))
    }

    /// The same files, reasoned with `reasoning`.
    pub fn with_reasoning(mut self, reasoning: crate::reason::Reasoning) -> Self {
        self.reasoning = reasoning;
        self
    }

    /// Parses the ontology (into [`ONTOLOGY_GRAPH`]) and the data, keeping
    /// every quad's position.
    pub fn read_quads(&self) -> Result<Vec<LocatedQuad>> {
        let ontology_graph = GraphName::from(NamedNode::new_unchecked(ONTOLOGY_GRAPH));
        let mut quads = Vec::new();
        for file in &self.ontology {
            for mut q in read_source_file(file)? {
                if q.quad.graph_name.is_default_graph() {
                    q.quad.graph_name = ontology_graph.clone();
                }
                quads.push(q);
            }
        }
        for file in &self.data {
            quads.extend(read_source_file(file)?);
        }
        Ok(quads)
    }
}

fn read_source_file(file: &SourceFile) -> Result<Vec<LocatedQuad>> {
    let format = SourceFormat::from_path(Path::new(&*file.path)).ok_or_else(|| {
        Error::usage(
            format!("{}: not an RDF file extension", file.path),
            format!("use one of: {}", SourceFormat::NAMES),
        )
    })?;
    Ok(source::read_bytes(file.path.clone(), &file.bytes, format)?)
}

fn read_dir_files(dir: &Path, extensions: &[&str]) -> Result<Vec<SourceFile>> {
    let mut paths = Vec::new();
    collect_files(dir, extensions, &mut paths)?;
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).map_err(|e| Error::io(path.display(), e))?;
            // Named as the user would type it: `data/x.trig`, not
            // `./data/x.trig` (the name `aikg load data/x.trig` shows).
            let name = path.strip_prefix(".").unwrap_or(&path);
            Ok(SourceFile {
                path: name.display().to_string().into(),
                bytes: Cow::Owned(bytes),
            })
        })
        .collect()
}

fn collect_files(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir.display(), e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir.display(), e))?.path();
        if path.is_dir() {
            collect_files(&path, extensions, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// The named graph of the in-memory store that holds the RDF merge of all
/// its graphs: queries use it as their default graph (see [`in_memory`]);
/// readers of quads skip it ([`is_internal_graph`]).
pub const MERGED_GRAPH: &str = "https://w3id.org/aikg/merged";

/// An in-memory store holding the given quads, each in its graph, plus
/// [`MERGED_GRAPH`], the merge of all of them: a fact stated by two passages
/// is one triple there, where oxigraph's union default graph would return it
/// once per graph.
pub fn in_memory(quads: &[LocatedQuad]) -> Result<Store> {
    in_memory_with(quads, Vec::new())
}

/// [`in_memory`], with `more` quads loaded as they are (the inferred graph).
fn in_memory_with(quads: &[LocatedQuad], more: Vec<Quad>) -> Result<Store> {
    let store = Store::new()?;
    let merged = GraphName::from(NamedNode::new_unchecked(MERGED_GRAPH));
    let mut loader = store.bulk_loader();
    loader.load_quads(
        quads
            .iter()
            .flat_map(|q| {
                let copy = Quad::new(
                    q.quad.subject.clone(),
                    q.quad.predicate.clone(),
                    q.quad.object.clone(),
                    merged.clone(),
                );
                [q.quad.clone(), copy]
            })
            .chain(more),
    )?;
    loader.commit()?;
    Ok(store)
}

/// The sources in memory, with what `sources.reasoning` infers from them in
/// the inferred graph (see [`crate::reason`]).
pub fn in_memory_reasoned(sources: &Sources) -> Result<Store> {
    let quads = sources.read_quads()?;
    let inferred = crate::reason::materialise::inferred_quads(&quads, sources.reasoning);
    let store = in_memory_with(&quads, inferred.quads)?;
    if let Some(record) = inferred.record {
        store.insert_named_graph(record.as_ref())?;
    }
    Ok(store)
}

/// Whether the store holds [`MERGED_GRAPH`] (the bundled or --data store).
pub fn has_merged_graph(store: &Store) -> Result<bool> {
    Ok(store.contains_named_graph(NamedNode::new_unchecked(MERGED_GRAPH).as_ref())?)
}

/// Graphs that are aikg's own bookkeeping, not data: readers of quads skip
/// them (the merge of the graphs, and what reasoning infers: drawings,
/// statistics and dumps show what the sources state).
pub fn is_internal_graph(graph: &GraphName) -> bool {
    matches!(graph, GraphName::NamedNode(g) if g.as_str() == MERGED_GRAPH)
        || crate::reason::is_reasoning_graph(graph.as_ref())
}

/// The store a reading command works on: `--store DIR` (opened read-only, so
/// several readers can share it), else the sources in memory with what
/// `sources.reasoning` infers from them (see [`crate::reason`]).
pub fn open(store_dir: Option<&Path>, sources: &Sources) -> Result<Store> {
    match store_dir {
        Some(dir) => {
            require_store(dir)?;
            let store = Store::open_read_only(dir).map_err(|e| Error::storage(e, dir))?;
            // Its search index lives beside it (src/search/).
            crate::search::note_store_dir(dir);
            Ok(store)
        }
        None => in_memory_reasoned(sources),
    }
}

/// Fails with a hint unless `dir` holds a store.
pub fn require_store(dir: &Path) -> Result<()> {
    if dir.join("CURRENT").is_file() {
        return Ok(());
    }
    Err(Error::usage(
        format!("--store {}: no aikg store there", dir.display()),
        format!(
            "create it with `aikg load --store {} FILE...`",
            dir.display()
        ),
    ))
}

/// What a load did.
#[derive(Debug, Clone)]
pub struct LoadReport {
    /// Quads read per file, in the order given.
    pub files: Vec<(String, u64)>,
    /// The search index built after the load (see [`crate::search`]).
    pub search_index: Option<crate::search::IndexOutcome>,
    /// What reasoning inferred from the loaded quads (with `reasoning`).
    pub reasoning: Option<crate::reason::Summary>,
    /// Literals the store keeps in another form, or not as values.
    pub literals: crate::stored_literals::LiteralNotes,
}

/// Options of [`load`].
#[derive(Default)]
pub struct LoadOptions {
    /// Format of every file; else each file's extension.
    pub format: Option<SourceFormat>,
    /// Base IRI of every file; else each file's own `file://` IRI.
    pub base: Option<String>,
    /// Named graph for triples outside any graph (default: the default graph).
    pub graph: Option<NamedNode>,
    /// Called from time to time with the number of quads read so far.
    pub progress: Option<Box<dyn Fn(u64) + Send + Sync>>,
    /// Materialise what the loaded quads imply, in the same commit
    /// ([`crate::reason::incremental`]); `None`: leave the inferred graph be.
    pub reasoning: Option<crate::reason::Reasoning>,
}

/// Bulk-loads RDF files into the persistent store at `dir` (created if
/// missing), atomically: either every quad of every file is in the store, or
/// the store is as it was (a store this call created is removed, an empty
/// directory it filled is emptied again).
///
/// `dir` must be missing, empty, or an aikg (oxigraph) store: an ordinary
/// directory or a file is refused before anything is written, and so is a
/// store of an older oxigraph, which opening for writing would migrate in
/// place (the older tool could no longer read it).
pub fn load(dir: &Path, files: &[PathBuf], options: LoadOptions) -> Result<LoadReport> {
    // Check every file before touching the store.
    let mut formats = Vec::new();
    for path in files {
        source::check_readable(path)?;
        let format = source::format_of(path, options.format)?;
        formats.push(format);
    }
    if let Some(graph) = &options.graph {
        if graph.as_str() == MERGED_GRAPH || graph.as_str() == ONTOLOGY_GRAPH {
            return Err(Error::usage(
                format!("--graph {graph}: that graph is aikg's own"),
                "name another graph: aikg keeps this one for its merged view or its ontology",
            ));
        }
    }
    let state = StoreDir::inspect(dir)?;
    // The search index beside the store, made from the quads as they are read.
    let mut index = crate::search::LoadObserver::new(dir);
    let store_is_new = !matches!(state, StoreDir::Store);
    let result = load_into(dir, files, &formats, options, store_is_new, &mut index);
    if result.is_err() {
        match state {
            StoreDir::Missing => {
                let _ = std::fs::remove_dir_all(dir);
            }
            StoreDir::Empty => empty_directory(dir),
            StoreDir::Store => {}
        }
    }
    // The store is closed: its read-optimised copy can be stamped.
    let (mut report, snapshot) = result?;
    if let Some(snapshot) = snapshot {
        snapshot.finish()?;
    }
    report.search_index = Some(index.finish(dir));
    Ok(report)
}

/// What `--store DIR` names before a load.
enum StoreDir {
    Missing,
    Empty,
    Store,
}

impl StoreDir {
    fn inspect(dir: &Path) -> Result<Self> {
        let shown = dir.display().to_string();
        let metadata = match std::fs::metadata(dir) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::Missing),
            Err(e) => return Err(Error::io(&shown, e)),
        };
        if !metadata.is_dir() {
            return Err(Error::usage(
                format!("--store {shown}: a file, not a store directory"),
                "name a directory: a new one is created, an existing aikg store is added to",
            ));
        }
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(&shown, e))?;
        if entries.next().is_none() {
            return Ok(Self::Empty);
        }
        if !dir.join("CURRENT").is_file() || !dir.join("IDENTITY").is_file() {
            return Err(Error::usage(
                format!("--store {shown}: a directory that is not an aikg store, and not empty"),
                "aikg will not write its files among others: name a new or empty directory",
            ));
        }
        // Opened read-only first: an older store is refused (not migrated),
        // a corrupt one reported, before anything is written.
        match Store::open_read_only(dir) {
            Ok(_) => Ok(Self::Store),
            Err(e) => {
                let message = e.to_string();
                if message.contains("migrat") || message.contains("outdated") {
                    Err(Error::usage(
                        format!("--store {shown}: a store of an older oxigraph ({message})"),
                        "aikg does not migrate it in place, where the older tool could no longer read it: dump it with that tool and load the dump into a new store",
                    ))
                } else {
                    Err(Error::storage(e, dir))
                }
            }
        }
    }
}

/// Removes what a failed load put in a directory that was empty.
fn empty_directory(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
}

/// `bulk-*.sst` files that an interrupted load left in the store (the bulk
/// loader writes them, then moves them into RocksDB; killed in between, they
/// stay). Only called with the store open for writing, so no other load is
/// running.
fn remove_stale_bulk_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("bulk-") && name.ends_with(".sst") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn load_into(
    dir: &Path,
    files: &[PathBuf],
    formats: &[SourceFormat],
    options: LoadOptions,
    store_is_new: bool,
    index: &mut crate::search::LoadObserver,
) -> Result<(LoadReport, Option<crate::graph::snapshot::Writer>)> {
    let started = std::time::Instant::now();
    let store = Store::open(dir).map_err(|e| Error::storage(e, dir))?;
    remove_stale_bulk_files(dir);
    // Reasoning hook: sees the store before, each quad loaded, adds its own.
    let mut reasoner = match options.reasoning {
        Some(r) => Some(crate::reason::incremental::Incremental::begin(&store, r)?),
        None => None,
    };
    // What is loaded is also copied for fast whole-graph reads.
    let mut snapshot = crate::graph::snapshot::Writer::start(dir, store_is_new)?;
    let mut copy_error = None;
    let mut loader = store.bulk_loader();
    let mut report = LoadReport {
        files: Vec::new(),
        search_index: None,
        reasoning: None,
        literals: Default::default(),
    };
    let mut literals = crate::stored_literals::LiteralNotes::default();
    let mut total = 0u64;
    for (path, format) in files.iter().zip(formats) {
        let name: Arc<str> = source::input::display_name(path).into();
        let read = source::ReadOptions {
            format: Some(*format),
            base: options.base.clone(),
            allow_empty: true,
        };
        let base = read.base_for(&name);
        let mut count = 0u64;
        let mut counted = |quad: &Result<Quad, SourceError>| {
            if let Ok(quad) = quad {
                if let oxigraph::model::Term::Literal(literal) = &quad.object {
                    literals.see(literal.as_ref());
                }
                index.see(quad);
                if let Some(reasoner) = &mut reasoner {
                    reasoner.add(quad.as_ref());
                }
                if let Some(copy) = &mut snapshot {
                    if let Err(e) = copy.add(quad.as_ref()) {
                        copy_error.get_or_insert(e);
                    }
                }
            }
            count += 1;
            total += 1;
            if total.is_multiple_of(65_536) {
                if let Some(progress) = &options.progress {
                    progress(total);
                }
            }
        };
        // A regular file is mapped and parsed whole (no limit on a line's
        // length); standard input and compressed files are streamed.
        let mapped;
        let quads: Box<dyn Iterator<Item = Result<Quad, SourceError>>> =
            if source::input::is_stream(path) {
                Box::new(source::stream(
                    name.clone(),
                    source::input::open(path)?,
                    *format,
                    base.as_deref(),
                    options.graph.clone(),
                )?)
            } else {
                mapped = crate::mapped::read(path).map_err(|e| source::unreadable(path, e))?;
                Box::new(source::stream_slice(
                    name.clone(),
                    &mapped,
                    *format,
                    base.as_deref(),
                    options.graph.clone(),
                )?)
            };
        let quads = quads.inspect(|q| counted(q));
        loader
            .load_ok_quads::<SourceError, LoadError>(quads)
            .map_err(|e| match e {
                LoadError::Parse(e) => Error::Source(source::with_snippet(e, path)),
                LoadError::Storage(e) => Error::storage(e, dir),
            })?;
        report.files.push((name.to_string(), count));
    }
    report.literals = literals;
    crate::timing("load: read", started);
    // What the index is made of is all seen: it is built while the store commits.
    index.input_read();
    let pending = match reasoner {
        Some(reasoner) => {
            let mut pending = reasoner.finish(&store)?;
            loader
                .load_quads(std::mem::take(&mut pending.quads))
                .map_err(|e| Error::storage(e, dir))?;
            Some(pending)
        }
        None => None,
    };
    loader.commit().map_err(|e| Error::storage(e, dir))?;
    crate::timing("load: committed", started);
    if let Some(pending) = pending {
        report.reasoning = Some(pending.complete(&store)?);
    }
    if let Some(e) = copy_error {
        snapshot = None;
        eprintln!("warning: the read-optimised copy of the store was not written ({e}); whole-graph reads will read the store");
    }
    Ok((report, snapshot))
}

enum LoadError {
    Parse(SourceError),
    Storage(oxigraph::store::StorageError),
}

impl From<SourceError> for LoadError {
    fn from(e: SourceError) -> Self {
        Self::Parse(e)
    }
}

impl From<oxigraph::store::StorageError> for LoadError {
    fn from(e: oxigraph::store::StorageError) -> Self {
        Self::Storage(e)
    }
}

/// Every quad of the store, sorted, as N-Quads lines (for tests and diffs).
pub fn sorted_nquads(store: &Store) -> Result<Vec<String>> {
    let mut lines = store
        .iter()
        .map(|q| q.map(|q: Quad| format!("{q} .")))
        .collect::<Result<Vec<_>, _>>()?;
    lines.sort();
    Ok(lines)
}
