//! Finding entities by name: fast, forgiving search over every name of
//! every entity, in every language and script.
//!
//! - [`normalize`]: folding names and texts into comparable words (case,
//!   accents, Vietnamese tones, đ, Hangul letters, punctuation, spacing);
//! - [`fuzzy`]: typo tolerance (edit distance, and as an automaton over the
//!   term dictionary);
//! - [`collect`]: what the index reads from a store (names, classes,
//!   degree, `owl:sameAs`);
//! - [`index`]: the index as bytes, one file beside a persistent store,
//!   memory-mapped;
//! - [`stamp`]: what an index was built from, so a stale one is rebuilt;
//! - [`rank`]: matching and ranking;
//! - [`sparql`]: the search from SPARQL (a SERVICE and two functions).
//!
//! [`SearchIndex`] is the one entry point: `aikg search`, the resolver of
//! entity names ([`crate::resolve`]), SPARQL and the HTTP API use it.

pub mod collect;
pub mod fuzzy;
pub mod index;
pub mod normalize;
pub mod rank;
pub mod sparql;
pub mod stamp;

pub use index::NameKind;
pub use rank::Tier;

use crate::error::{Error, Result};
use crate::mapped::Bytes;
use crate::namespaces;
use index::Index;
use oxigraph::model::{NamedNode, NamedNodeRef};
use oxigraph::store::Store;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// How many entities `aikg search` lists unless told.
pub const DEFAULT_LIMIT: usize = 10;

/// A search index: built in memory for the bundled graph, or read from
/// the file beside a persistent store.
pub struct SearchIndex {
    index: Index,
    /// What happened to the file when this index was opened (rebuilt...).
    notes: Vec<String>,
}

/// What to search among, and how many.
#[derive(Clone, Debug)]
pub struct SearchOptions {
    /// Only entities of these classes (IRIs; see [`class_and_subclasses`]).
    pub classes: Option<Vec<String>>,
    /// Only names in this language (or in none: acronyms, IRIs); labels
    /// are shown in it first.
    pub lang: Option<String>,
    pub limit: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            classes: None,
            lang: None,
            limit: DEFAULT_LIMIT,
        }
    }
}

/// One entity found, with why.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Hit {
    /// 1 for the best.
    pub rank: usize,
    pub iri: String,
    /// The IRI as a prefixed name when one fits, else `<IRI>`.
    pub id: String,
    /// Its label (in the language asked for, else English, else French,
    /// else any; its IRI's last segment if it has none).
    pub label: String,
    /// Its classes, as prefixed names, sorted.
    pub classes: Vec<String>,
    /// The name that matched best.
    pub matched: MatchedName,
    /// How it matched.
    pub tier: Tier,
    pub prefixes: u32,
    pub typos: u32,
    /// Higher is better: hundreds for the tier (700 an exact label, 600 an
    /// exact alias, 500 an acronym, 400 the IRI's last segment, 300 every
    /// word, 200 with typos, 100 some words), minus the cost within the tier.
    pub score: u32,
    /// How many statements the entity is the subject or the object of.
    pub degree: u32,
}

/// A name as it is in the data.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MatchedName {
    pub text: String,
    pub kind: NameKind,
    /// Its language tag, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Hit {
    /// "label «Séoul»@fr, exact" — why it matched, for people.
    pub fn why(&self) -> String {
        let lang = self
            .matched
            .lang
            .as_deref()
            .map_or(String::new(), |l| format!("@{l}"));
        let mut how = self.tier.name().to_string();
        let mut extra = Vec::new();
        if self.prefixes > 0 {
            extra.push(plural(self.prefixes, "prefix", "prefixes"));
        }
        if self.typos > 0 {
            extra.push(plural(self.typos, "typo", "typos"));
        }
        if !extra.is_empty() {
            how = format!("{how}, {}", extra.join(", "));
        }
        format!(
            "{} \u{ab}{}\u{bb}{lang}: {how}",
            self.matched.kind.name(),
            self.matched.text
        )
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The hits of a search, and what it could not do as asked.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct SearchResult {
    pub hits: Vec<Hit>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl SearchIndex {
    /// Builds an index of `store` in memory: of one graph (`graph`), or of
    /// all of them.
    pub fn build(store: &Store, graph: Option<&NamedNode>) -> Result<Self> {
        let started = Instant::now();
        let entities = collect::entities(store, graph)?;
        let bytes = index::build(entities, "")?.into_bytes();
        crate::timing("index: built", started);
        let index = Index::from_bytes(Bytes::Owned(bytes)).map_err(|e| {
            Error::Storage(format!("the search index just built is unreadable: {e}"))
        })?;
        Ok(Self {
            index,
            notes: Vec::new(),
        })
    }

    /// The index of the bundled (or `--data`) store: of its merged graph.
    pub fn in_memory(store: &Store) -> Result<Self> {
        let merged = NamedNode::new_unchecked(crate::store::MERGED_GRAPH);
        let graph = crate::store::has_merged_graph(store)?.then_some(&merged);
        Self::build(store, graph)
    }

    /// The index of the persistent store at `dir` (whose open store is
    /// `store`): its file if it is up to date, else rebuilt, and written
    /// if the directory can be written (if not, searched in memory, and
    /// [`notes`](Self::notes) says so).
    pub fn for_store_dir(store: &Store, dir: &Path) -> Result<Self> {
        let path = dir.join(stamp::INDEX_FILE);
        let stamp = stamp::of_store(dir)?;
        let reason = match crate::mapped::read(&path) {
            Ok(bytes) => match Index::from_bytes(bytes) {
                Ok(index) if index.stamp() == stamp => {
                    return Ok(Self {
                        index,
                        notes: Vec::new(),
                    })
                }
                Ok(_) => "the store changed since it was built".to_string(),
                Err(e) => format!("it is unreadable ({e})"),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => "there was none".to_string(),
            Err(e) => format!("it is unreadable ({e})"),
        };
        let started = Instant::now();
        let (index, written) = write_index(store, dir, &stamp)?;
        let mut notes = vec![format!(
            "search index of {} rebuilt in {:.1} s: {reason}",
            dir.display(),
            started.elapsed().as_secs_f64()
        )];
        if let Err(e) = written {
            notes.push(format!(
                "the search index could not be written ({e}): searched in memory, built again next time"
            ));
        }
        Ok(Self { index, notes })
    }

    /// What opening the index did, for the user (rebuilt, not written...).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    pub fn entity_count(&self) -> u32 {
        self.index.entity_count()
    }

    pub fn name_count(&self) -> u32 {
        self.index.name_count()
    }

    /// Its size in bytes (the size of its file for a persistent store).
    pub fn size(&self) -> usize {
        self.index.size()
    }

    /// The entities whose names match `text`, best first.
    pub fn search(&self, text: &str, options: &SearchOptions) -> Result<SearchResult> {
        let found = self.matches(text, options)?;
        let hits = found
            .matches
            .iter()
            .enumerate()
            .map(|(i, m)| self.hit(i + 1, m, options.lang.as_deref()))
            .collect();
        Ok(SearchResult {
            hits,
            notes: found.notes,
        })
    }

    fn matches(&self, text: &str, options: &SearchOptions) -> Result<rank::Found> {
        let words = rank::query_words(text).map_err(|e| text_error(text, e))?;
        let filter = rank::Filter {
            classes: options.classes.as_ref().map(|wanted| {
                (0..self.index.class_count())
                    .filter(|&c| wanted.iter().any(|w| w == self.index.class_iri(c)))
                    .collect()
            }),
            lang: options.lang.clone(),
        };
        Ok(rank::search(&self.index, &words, &filter, options.limit))
    }

    fn hit(&self, rank: usize, m: &rank::Match, lang: Option<&str>) -> Hit {
        let entity = self.index.entity(m.entity);
        let name = self.index.name(m.name);
        let mut classes: Vec<String> = self
            .index
            .entity_classes(m.entity)
            .map(|c| display_iri(self.index.class_iri(c)))
            .collect();
        classes.sort();
        let tier_points = 700 - 100 * (m.tier as u32);
        Hit {
            rank,
            iri: entity.iri.to_string(),
            id: display_iri(entity.iri),
            label: self.label(m.entity, lang),
            classes,
            matched: MatchedName {
                text: name.text.to_string(),
                kind: name.kind,
                lang: (!name.lang.is_empty()).then(|| name.lang.to_string()),
            },
            tier: m.tier,
            prefixes: m.prefixes,
            typos: m.typos,
            score: tier_points.saturating_sub(m.cost.min(99)),
            degree: m.degree,
        }
    }

    /// The label to show for an entity: a label in `lang`, else English,
    /// French, untagged, any; else an alias; else its IRI's last segment.
    fn label(&self, entity: u32, lang: Option<&str>) -> String {
        let e = self.index.entity(entity);
        let names =
            (e.first_name..e.first_name.saturating_add(e.name_count)).map(|n| self.index.name(n));
        let rank = |n: &index::NameView<'_>| {
            let kind = match n.kind {
                NameKind::Label => 0,
                NameKind::Alias => 1,
                NameKind::Acronym => 2,
                NameKind::Iri => 3,
            };
            let language = if lang.is_some_and(|l| rank::language_matches(n.lang, l)) {
                0
            } else {
                match n.lang {
                    "en" => 1,
                    "fr" => 2,
                    "" => 3,
                    _ => 4,
                }
            };
            (kind, language)
        };
        names
            .min_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.text.cmp(b.text)))
            .map_or_else(|| display_iri(e.iri), |n| n.text.to_string())
    }

    /// The entities whose whole name (label, alias, acronym or IRI's last
    /// segment) is `name`, after folding: the resolver's candidates. Entities
    /// `owl:sameAs` one another count once, as their most connected member.
    pub fn exactly_named(&self, name: &str) -> Result<Vec<Hit>> {
        let options = SearchOptions {
            limit: 1000,
            ..SearchOptions::default()
        };
        let found = self.matches(name, &options)?;
        let mut clusters = std::collections::HashSet::new();
        let mut hits: Vec<Hit> = Vec::new();
        for m in found.matches.iter().filter(|m| m.tier.is_exact()) {
            // Entities are numbered most connected first, and a cluster by
            // its smallest number: the cluster's number is its representative.
            let cluster = self.index.entity(m.entity).cluster;
            if clusters.insert(cluster) {
                let mut representative = m.clone();
                representative.entity = cluster;
                representative.degree = self.index.entity(cluster).degree;
                hits.push(self.hit(hits.len() + 1, &representative, None));
            }
        }
        Ok(hits)
    }
}

/// Writes the index of `store` into `dir`, stamped; returns it, and
/// whether the file could be written.
fn write_index(
    store: &Store,
    dir: &Path,
    stamp: &str,
) -> Result<(Index, std::result::Result<(), String>)> {
    let entities = collect::entities(store, None)?;
    let built = index::build(entities, stamp)?;
    let path = dir.join(stamp::INDEX_FILE);
    let written = crate::output::write_atomically(&path, |w: &mut dyn std::io::Write| {
        built.write_to(w).map_err(|e| Error::io(path.display(), e))
    })
    .map_err(|e| e.to_string());
    let index = Index::from_bytes(Bytes::Owned(built.into_bytes()))
        .map_err(|e| Error::Storage(format!("the search index just built is unreadable: {e}")))?;
    Ok((index, written))
}

fn text_error(text: &str, error: rank::TextError) -> Error {
    let hint = "search for a name or part of one, e.g. `aikg search \"seoul national\"`";
    match error {
        rank::TextError::Empty => Error::usage("nothing to search for: the text is empty", hint),
        rank::TextError::NoWords => Error::usage(
            format!("nothing to search for: {text:?} has no letter or digit"),
            hint,
        ),
        rank::TextError::TooLong { chars, words } => Error::usage(
            format!(
                "the search text is too long ({chars} characters, {words} words): names are searched with at most {} characters and {} words",
                rank::MAX_CHARS,
                rank::MAX_WORDS
            ),
            hint,
        ),
    }
}

/// A prefixed name when one fits, else `<IRI>`.
pub fn display_iri(iri: &str) -> String {
    namespaces::compact(iri).unwrap_or_else(|| format!("<{iri}>"))
}

/// What building the index of a persistent store did (`aikg load`).
#[derive(Clone, Debug)]
pub enum IndexOutcome {
    Built {
        entities: u32,
        names: u32,
        bytes: usize,
        seconds: f64,
    },
    /// The store was loaded, but its index could not be built or written:
    /// the next search rebuilds it.
    Failed(String),
    /// Not built (`AIKG_SEARCH_INDEX=off`): the next search builds it.
    Off,
}

impl std::fmt::Display for IndexOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IndexOutcome::Built {
                entities,
                names,
                bytes,
                seconds,
            } => write!(
                f,
                "search index: {entities} entities, {names} names, {:.1} MB in {seconds:.2}s",
                *bytes as f64 / 1e6
            ),
            IndexOutcome::Off => write!(
                f,
                "search index: not built (AIKG_SEARCH_INDEX=off); the first search builds it"
            ),
            IndexOutcome::Failed(e) => write!(
                f,
                "warning: the search index could not be built ({e}); the next search will build it"
            ),
        }
    }
}

/// Builds and writes the index of the persistent store at `dir`, reading
/// everything it needs from the store.
pub fn index_store(dir: &Path) -> IndexOutcome {
    LoadObserver {
        collecting: Collecting::FromStore,
    }
    .finish(dir)
}

/// Follows `aikg load`: the index is made from the quads as they are read
/// (no term is read back from the store, which would cost more than the
/// load), built while the store commits what it was given (once the input
/// is read, nothing the index is made of can change), then written beside
/// the store once the load is committed.
///
/// - a new store holds exactly the quads loaded;
/// - a store whose index is up to date holds what its index says plus the
///   quads loaded (a quad loaded again counts again in degrees, which only
///   order entities within a tier);
/// - any other store is read back whole after the load.
///
/// Names given by sub-properties the store declares (which the quads do
/// not tell until the ontology is read) are read from the store after the
/// commit; if there are any, the index built meanwhile is built again with
/// them.
pub struct LoadObserver {
    collecting: Collecting,
}

enum Collecting {
    /// `AIKG_SEARCH_INDEX=off`: no index now, the first search builds it.
    Off,
    /// The input is being read: what the index needs of each quad goes
    /// to the thread that gathers it, and then builds the index (without
    /// its stamp: only known after the commit).
    Reading(collect::QuadFeed<Result<index::Built>>),
    /// The input is read: the index is being built on its own thread.
    Building(std::thread::JoinHandle<Option<Result<index::Built>>>),
    FromStore,
}

impl LoadObserver {
    /// Before loading into the store at `dir`.
    pub fn new(dir: &Path) -> Self {
        let off = std::env::var("AIKG_SEARCH_INDEX").is_ok_and(|v| v == "off");
        let gather = |seed| {
            Collecting::Reading(collect::QuadFeed::start(seed, |gathering| {
                let started = Instant::now();
                let entities = gathering.finish();
                crate::timing("index: entities", started);
                index::build(entities, "")
            }))
        };
        let collecting = if off {
            Collecting::Off
        } else if !dir.join("CURRENT").is_file() {
            gather(None)
        } else {
            let up_to_date = stamp::of_store(dir).ok().and_then(|stamp| {
                let bytes = crate::mapped::read(&dir.join(stamp::INDEX_FILE)).ok()?;
                let index = Index::from_bytes(bytes).ok()?;
                (index.stamp() == stamp).then(|| index.collected())
            });
            match up_to_date {
                Some(old) => gather(Some(old)),
                None => Collecting::FromStore,
            }
        };
        Self { collecting }
    }

    /// Sees one quad as it is loaded.
    pub fn see(&mut self, quad: &oxigraph::model::Quad) {
        match &mut self.collecting {
            Collecting::Reading(feed) => feed.see(quad),
            Collecting::Building(_) | Collecting::FromStore | Collecting::Off => {}
        }
    }

    /// Every quad of the load has been seen: the index is built from them
    /// on another thread while the store commits (its stamp is only known
    /// after the commit, and is put in then).
    pub fn input_read(&mut self) {
        self.collecting = match std::mem::replace(&mut self.collecting, Collecting::Off) {
            Collecting::Reading(feed) => Collecting::Building(feed.finish()),
            other => other,
        };
    }

    /// After the load is committed: builds (or finishes building) and
    /// writes the index.
    pub fn finish(mut self, dir: &Path) -> IndexOutcome {
        // (A no-op after `load`'s call: the build is under way.)
        self.input_read();
        if matches!(self.collecting, Collecting::Off) {
            // A stale index must not survive the load.
            let _ = std::fs::remove_file(dir.join(stamp::INDEX_FILE));
            return IndexOutcome::Off;
        }
        let started = Instant::now();
        let result = (|| -> Result<index::Built> {
            let stamp = stamp::of_store(dir)?;
            let store = Store::open_read_only(dir)?;
            let sub_properties = collect::declared_sub_properties(&store)?;
            let mut collected = match self.collecting {
                Collecting::Building(building) => {
                    let built = building
                        .join()
                        .unwrap_or_else(|e| std::panic::resume_unwind(e))
                        .ok_or_else(|| Error::Storage("the index was not built".into()))??;
                    crate::timing("index: joined", started);
                    if sub_properties.is_empty() {
                        return Ok(built.with_stamp(&stamp));
                    } else {
                        // Built without the names of the sub-properties:
                        // read back from what was built, then built again.
                        let bytes = Bytes::Owned(built.into_bytes());
                        Index::from_bytes(bytes)
                            .map_err(|e| {
                                Error::Storage(format!("the search index just built: {e}"))
                            })?
                            .collected()
                    }
                }
                // (`input_read` above turned these into `Building`.)
                Collecting::Reading(_) | Collecting::Off | Collecting::FromStore => {
                    let mut all = collect::name_properties();
                    all.extend(sub_properties.iter().cloned());
                    collect::read(&store, None, &all)?
                }
            };
            if !sub_properties.is_empty() {
                let mut names = collect::read_names(&store, &sub_properties, None)?;
                collected.names.append(&mut names);
            }
            crate::timing("index: collected", started);
            let entities = collected.into_entities();
            crate::timing("index: entities", started);
            let built = index::build(entities, &stamp)?;
            crate::timing("index: built", started);
            Ok(built)
        })()
        .and_then(|built| {
            let path = dir.join(stamp::INDEX_FILE);
            crate::output::write_atomically(&path, |w: &mut dyn std::io::Write| {
                built.write_to(w).map_err(|e| Error::io(path.display(), e))
            })?;
            crate::timing("index: written", started);
            Ok(built)
        });
        match result {
            Ok(built) => IndexOutcome::Built {
                entities: built.entities,
                names: built.names,
                bytes: built.size(),
                seconds: started.elapsed().as_secs_f64(),
            },
            Err(e) => IndexOutcome::Failed(e.to_string()),
        }
    }
}

/// The persistent store directories opened in this process, latest last
/// (see [`note_store_dir`]).
static STORE_DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// The last index opened for a store directory, kept for the process.
#[allow(clippy::type_complexity)]
static OPENED: Mutex<Option<(PathBuf, Arc<SearchIndex>)>> = Mutex::new(None);

/// Remembers that the persistent store at `dir` was opened, so that the
/// index of its directory serves [`for_store`] (`store::open` calls it).
pub fn note_store_dir(dir: &Path) {
    if let Ok(mut dirs) = STORE_DIRS.lock() {
        dirs.retain(|d| d != dir);
        dirs.push(dir.to_path_buf());
    }
}

/// The index of a store: built in memory for the bundled store; for a
/// persistent store opened through `store::open`, the index beside it
/// (checked to be the index of this very store); else built in memory.
pub fn for_store(store: &Store) -> Result<Arc<SearchIndex>> {
    if crate::store::has_merged_graph(store)? {
        return Ok(Arc::new(SearchIndex::in_memory(store)?));
    }
    let dirs: Vec<PathBuf> = STORE_DIRS.lock().map(|d| d.clone()).unwrap_or_default();
    for dir in dirs.iter().rev() {
        let cached = OPENED
            .lock()
            .ok()
            .and_then(|o| o.as_ref().filter(|(d, _)| d == dir).map(|(_, i)| i.clone()));
        let index = match cached {
            Some(index) => index,
            None => {
                let index = Arc::new(SearchIndex::for_store_dir(store, dir)?);
                if let Ok(mut opened) = OPENED.lock() {
                    *opened = Some((dir.clone(), index.clone()));
                }
                index
            }
        };
        if index.belongs_to(store)? {
            return Ok(index);
        }
    }
    Ok(Arc::new(SearchIndex::build(store, None)?))
}

impl SearchIndex {
    /// Whether this index describes `store`: its most connected entity is
    /// in the store (or both are empty).
    fn belongs_to(&self, store: &Store) -> Result<bool> {
        if self.index.entity_count() == 0 {
            return Ok(store.is_empty()?);
        }
        let iri = self.index.entity(0).iri;
        let Ok(node) = NamedNodeRef::new(iri) else {
            return Ok(false);
        };
        Ok(store
            .quads_for_pattern(Some(node.into()), None, None, None)
            .next()
            .is_some())
    }
}

/// A class named by prefixed name, IRI, local name or label, with its
/// subclasses (`rdfs:subClassOf`, transitively), as IRIs.
pub fn class_and_subclasses(store: &Store, name: &str) -> Result<Vec<String>> {
    let mut found = classes_named(store, name)?;
    let values: String = found.iter().map(|c| format!("<{c}> ")).collect();
    let rows = crate::query::select(
        store,
        &format!(
            "SELECT DISTINCT ?sub WHERE {{ VALUES ?c {{ {values} }} ?sub rdfs:subClassOf* ?c }}"
        ),
    )?;
    for row in rows {
        if let Some(oxigraph::model::Term::NamedNode(sub)) = row.get("sub") {
            if !found.contains(&sub.as_str().to_string()) {
                found.push(sub.as_str().to_string());
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The classes a name names (prefixed name, IRI, local name or label,
/// folded as search folds), as IRIs; none is an error with the nearest.
pub fn classes_named(store: &Store, name: &str) -> Result<Vec<String>> {
    let name = name.trim();
    let candidates = crate::query::select(
        store,
        "SELECT DISTINCT ?c ?label WHERE { { ?x a ?c } UNION { ?c a owl:Class } UNION { ?c a rdfs:Class } OPTIONAL { ?c rdfs:label ?label } FILTER(isIRI(?c)) }",
    )?;
    let wanted = normalize::exact_key(&normalize::fold(name));
    let iri = if name.starts_with('<') && name.ends_with('>') {
        Some(name[1..name.len() - 1].to_string())
    } else if name.contains("://") {
        Some(name.to_string())
    } else {
        namespaces::expand(name)
    };
    let mut found: Vec<String> = Vec::new();
    let mut all: Vec<String> = Vec::new();
    for row in &candidates {
        let Some(oxigraph::model::Term::NamedNode(c)) = row.get("c") else {
            continue;
        };
        let label = match row.get("label") {
            Some(oxigraph::model::Term::Literal(l)) => l.value().to_string(),
            _ => String::new(),
        };
        let local = collect::local_name(c.as_str()).unwrap_or("");
        let matches = iri.as_deref() == Some(c.as_str())
            || normalize::exact_key(&normalize::fold(local)) == wanted
            || (!label.is_empty() && normalize::exact_key(&normalize::fold(&label)) == wanted);
        if matches && !found.contains(&c.as_str().to_string()) {
            found.push(c.as_str().to_string());
        }
        all.push(display_iri(c.as_str()));
    }
    if found.is_empty() {
        all.sort();
        all.dedup();
        let near: Vec<&String> = all
            .iter()
            .filter(|c| {
                let local = c.rsplit([':', '/', '#']).next().unwrap_or(c);
                crate::named_query::edit_distance(&normalize::fold(local), &normalize::fold(name))
                    <= 2
            })
            .take(5)
            .collect();
        let hint = if near.is_empty() {
            "`aikg stats` lists the classes of the graph".to_string()
        } else {
            format!(
                "did you mean {}?",
                near.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(Error::usage(
            format!("no class {name:?} in the graph"),
            hint,
        ));
    }
    Ok(found)
}
