//! Where the graph lives: the bundled (or working-copy) sources loaded in
//! memory, or a persistent RocksDB store filled by `aikg load`.

use crate::bundle::{self, BundledFile};
use crate::error::{Error, Result};
use crate::source::{self, LocatedQuad, Position, SourceError, SourceErrorKind, SourceFormat};
use oxigraph::io::{RdfParseError, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad};
use oxigraph::store::Store;
use std::borrow::Cow;
use std::io::BufReader;
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
/// or those of a working copy (`--data DIR`).
#[derive(Debug, Clone)]
pub struct Sources {
    pub ontology: Vec<SourceFile>,
    pub data: Vec<SourceFile>,
    pub queries: Vec<SourceFile>,
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
            Ok(SourceFile {
                path: path.display().to_string().into(),
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
    let store = Store::new()?;
    let merged = GraphName::from(NamedNode::new_unchecked(MERGED_GRAPH));
    let mut loader = store.bulk_loader();
    loader.load_quads(quads.iter().flat_map(|q| {
        let copy = Quad::new(
            q.quad.subject.clone(),
            q.quad.predicate.clone(),
            q.quad.object.clone(),
            merged.clone(),
        );
        [q.quad.clone(), copy]
    }))?;
    loader.commit()?;
    Ok(store)
}

/// Whether the store holds [`MERGED_GRAPH`] (the bundled or --data store).
pub fn has_merged_graph(store: &Store) -> Result<bool> {
    Ok(store.contains_named_graph(NamedNode::new_unchecked(MERGED_GRAPH).as_ref())?)
}

/// Graphs that are aikg's own bookkeeping, not data: readers of quads skip them.
pub fn is_internal_graph(graph: &GraphName) -> bool {
    matches!(graph, GraphName::NamedNode(g) if g.as_str() == MERGED_GRAPH)
}

/// The store a reading command works on: `--store DIR` (opened read-only, so
/// several readers can share it), else the sources in memory.
pub fn open(store_dir: Option<&Path>, sources: &Sources) -> Result<Store> {
    match store_dir {
        Some(dir) => {
            if !dir.join("CURRENT").is_file() {
                return Err(Error::usage(
                    format!("--store {}: no aikg store there", dir.display()),
                    format!(
                        "create it with `aikg load --store {} FILE...`",
                        dir.display()
                    ),
                ));
            }
            Ok(Store::open_read_only(dir)?)
        }
        None => in_memory(&sources.read_quads()?),
    }
}

/// What a load did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadReport {
    /// Quads read per file, in the order given.
    pub files: Vec<(String, u64)>,
}

/// Options of [`load`].
#[derive(Default)]
pub struct LoadOptions {
    /// Format of every file; else each file's extension.
    pub format: Option<SourceFormat>,
    /// Named graph for triples outside any graph (default: the default graph).
    pub graph: Option<NamedNode>,
    /// Called from time to time with the number of quads read so far.
    pub progress: Option<Box<dyn Fn(u64) + Send + Sync>>,
}

/// Bulk-loads RDF files into the persistent store at `dir` (created if
/// missing), atomically: either every quad of every file is in the store, or
/// the store is as it was (and a store this call created is removed).
pub fn load(dir: &Path, files: &[PathBuf], options: LoadOptions) -> Result<LoadReport> {
    // Check every file before touching the store.
    let mut formats = Vec::new();
    for path in files {
        if !path.is_file() {
            return Err(source::unreadable(path, "no such file").into());
        }
        let format = source::format_of(path, options.format)?;
        formats.push(format);
    }
    let created = !dir.exists();
    let result = load_into(dir, files, &formats, options, created);
    if result.is_err() && created {
        let _ = std::fs::remove_dir_all(dir);
    }
    // The store is closed: its read-optimised copy can be stamped.
    let (report, snapshot) = result?;
    if let Some(snapshot) = snapshot {
        snapshot.finish()?;
    }
    Ok(report)
}

fn load_into(
    dir: &Path,
    files: &[PathBuf],
    formats: &[SourceFormat],
    options: LoadOptions,
    created: bool,
) -> Result<(LoadReport, Option<crate::graph::snapshot::Writer>)> {
    let store = Store::open(dir)?;
    // What is loaded is also copied for fast whole-graph reads.
    let mut snapshot = crate::graph::snapshot::Writer::start(dir, created)?;
    let mut copy_error = None;
    let mut loader = store.bulk_loader();
    let mut report = LoadReport { files: Vec::new() };
    let mut total = 0u64;
    for (path, format) in files.iter().zip(formats) {
        let name: Arc<str> = path.display().to_string().into();
        let file = std::fs::File::open(path).map_err(|e| Error::io(path.display(), e))?;
        let mut parser = RdfParser::from_format(format.to_rdf_format());
        if let Some(graph) = &options.graph {
            parser = parser.with_default_graph(graph.clone());
        }
        let mut count = 0u64;
        let quads = parser
            .for_reader(BufReader::with_capacity(1 << 20, file))
            .inspect(|quad| {
                if let (Ok(quad), Some(copy)) = (quad, &mut snapshot) {
                    if let Err(e) = copy.add(quad.as_ref()) {
                        copy_error.get_or_insert(e);
                    }
                }
                count += 1;
                total += 1;
                if total.is_multiple_of(65_536) {
                    if let Some(progress) = &options.progress {
                        progress(total);
                    }
                }
            });
        loader
            .load_ok_quads::<RdfParseError, LoadError>(quads)
            .map_err(|e| match e {
                LoadError::Parse(e) => Error::Source(parse_error(&name, e)),
                LoadError::Storage(e) => Error::from(e),
            })?;
        if count == 0 {
            return Err(SourceError {
                kind: SourceErrorKind::Empty,
                position: Position {
                    file: name,
                    line: 1,
                    column: 1,
                },
                message: "the file holds no triples".into(),
                hint: "nothing was loaded; remove the file from the command or fill it".into(),
            }
            .into());
        }
        report.files.push((name.to_string(), count));
    }
    loader.commit()?;
    if let Some(e) = copy_error {
        snapshot = None;
        eprintln!("warning: the read-optimised copy of the store was not written ({e}); whole-graph reads will read the store");
    }
    Ok((report, snapshot))
}

enum LoadError {
    Parse(RdfParseError),
    Storage(oxigraph::store::StorageError),
}

impl From<RdfParseError> for LoadError {
    fn from(e: RdfParseError) -> Self {
        Self::Parse(e)
    }
}

impl From<oxigraph::store::StorageError> for LoadError {
    fn from(e: oxigraph::store::StorageError) -> Self {
        Self::Storage(e)
    }
}

fn parse_error(name: &Arc<str>, error: RdfParseError) -> SourceError {
    let (line, column) = match &error {
        RdfParseError::Syntax(s) => s.location().map_or((0, 0), |l| {
            (l.start.line as u32 + 1, l.start.column as u32 + 1)
        }),
        RdfParseError::Io(_) => (0, 0),
    };
    let message = match &error {
        RdfParseError::Syntax(s) => s.to_string(),
        RdfParseError::Io(e) => e.to_string(),
    };
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    SourceError {
        kind: SourceErrorKind::Syntax,
        position: Position {
            file: name.clone(),
            line,
            column,
        },
        message: format!("syntax error: {message}"),
        hint: "fix the file and load again: nothing was loaded, the store is unchanged".into(),
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
