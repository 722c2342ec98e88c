//! A read-optimised copy of a persistent store's data, for reading the
//! whole graph fast (`aikg export`, `rank`... of a `--store`).
//!
//! Reading a RocksDB store costs a look-up per term of every statement
//! (oxigraph keeps long strings in a table of their own and decodes each
//! quad on the way out): 15.8 s for a million statements, where the same
//! statements in an N-Triples file are read in 2 s by the line scanner. So
//! `aikg load` also writes what it loads, as N-Quads, beside the store
//! (`aikg-data.nq`), in the form the store gives back (typed literals as
//! oxigraph writes them: `"01"^^xsd:int` is read back as `"1"^^xsd:integer`),
//! and whole-graph readers scan that file instead.
//!
//! The copy is used only while it is known to be the store's content: it is
//! stamped with the store's files (names, sizes, modification times) as the
//! load left them, and any later write to the store (another load, an
//! import, an update, a compaction) changes them. A stale or missing copy
//! is never read: the store is, the slow way.

use crate::error::{Error, Result};
use crate::kg::is_data_graph;
use oxigraph::model::{Literal, LiteralRef, QuadRef, TermRef};
use oxsdatatypes::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

const FILE: &str = "aikg-data.nq";
const STAMP: &str = "aikg-data.stamp";

/// Files of the store directory that are not the store's own: this copy,
/// the search index ([`crate::search`]) and their temporary files.
fn is_ours(name: &str) -> bool {
    name.contains("aikg-")
}

/// What the store's files are now: each RocksDB file's name, size and
/// modification time (its log and lock excluded: opening writes them).
fn fingerprint(dir: &Path) -> Result<String> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir.display(), e))? {
        let entry = entry.map_err(|e| Error::io(dir.display(), e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_ours(&name) || name == "LOCK" || name.starts_with("LOG") {
            continue;
        }
        let meta = entry.metadata().map_err(|e| Error::io(dir.display(), e))?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        files.push(format!("{name} {} {modified}", meta.len()));
    }
    files.sort();
    Ok(files.join("\n"))
}

/// The copy of the store at `dir`, if it is the store's content.
pub fn fresh(dir: &Path) -> Option<PathBuf> {
    let stamp = std::fs::read_to_string(dir.join(STAMP)).ok()?;
    let path = dir.join(FILE);
    (path.is_file() && fingerprint(dir).ok()? == stamp).then_some(path)
}

/// Writes the copy while a load runs.
pub struct Writer {
    dir: PathBuf,
    out: Option<std::io::BufWriter<std::fs::File>>,
    temporary: PathBuf,
}

impl Writer {
    /// A copy of what is loaded into the store at `dir`, on top of the
    /// store's fresh copy if it has one; None if the store has content and
    /// no fresh copy (its content cannot be known without reading it).
    pub fn start(dir: &Path, store_is_new: bool) -> Result<Option<Self>> {
        let existing = fresh(dir);
        if !store_is_new && existing.is_none() {
            forget(dir);
            return Ok(None);
        }
        let temporary = dir.join("aikg-data.nq.part");
        let io = |e: std::io::Error| Error::io(temporary.display(), e);
        if let Some(existing) = existing {
            std::fs::copy(&existing, &temporary).map_err(io)?;
        } else {
            std::fs::File::create(&temporary).map_err(io)?;
        }
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&temporary)
            .map_err(io)?;
        // (The old copy's stamp stays: the load changes the store's files,
        // so it no longer matches, and a load that fails leaves the store,
        // and its copy, as they were.)
        Ok(Some(Self {
            dir: dir.to_path_buf(),
            out: Some(std::io::BufWriter::with_capacity(1 << 20, file)),
            temporary,
        }))
    }

    /// Adds a loaded statement (the ontology's graph is not data).
    pub fn add(&mut self, quad: QuadRef<'_>) -> Result<()> {
        let Some(out) = self.out.as_mut() else {
            return Ok(());
        };
        if !is_data_graph(quad.graph_name) {
            return Ok(());
        }
        let written = match quad.object {
            TermRef::Literal(l) => match stored_form(l) {
                Some(stored) => writeln!(
                    out,
                    "{} .",
                    QuadRef::new(quad.subject, quad.predicate, &stored, quad.graph_name)
                ),
                None => writeln!(out, "{quad} ."),
            },
            _ => writeln!(out, "{quad} ."),
        };
        written.map_err(|e| Error::io(self.temporary.display(), e))
    }

    /// Once the store is committed and closed: the copy is put in place and
    /// stamped with the store's files.
    pub fn finish(mut self) -> Result<()> {
        let io = |e: std::io::Error| Error::io(self.temporary.display(), e);
        if let Some(out) = self.out.take() {
            out.into_inner()
                .map_err(|e| io(e.into_error()))?
                .sync_all()
                .map_err(io)?;
        }
        std::fs::rename(&self.temporary, self.dir.join(FILE)).map_err(io)?;
        std::fs::write(self.dir.join(STAMP), fingerprint(&self.dir)?)
            .map_err(|e| Error::io(self.dir.join(STAMP).display(), e))
    }
}

impl Drop for Writer {
    /// A copy not finished (a failed load) is removed.
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.temporary);
    }
}

/// Removes the copy of the store at `dir` (the store is changing in a way
/// the copy does not follow).
pub fn forget(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(STAMP));
    let _ = std::fs::remove_file(dir.join(FILE));
}

/// The literal as oxigraph's store gives it back, when that differs from
/// how it was written: typed literals of the XSD types it stores as values
/// come back in their canonical form (and the integer types as
/// xsd:integer). Mirrors oxigraph 0.5's storage encoding.
fn stored_form(literal: LiteralRef<'_>) -> Option<Literal> {
    let value = literal.value();
    let local = literal
        .datatype()
        .as_str()
        .strip_prefix("http://www.w3.org/2001/XMLSchema#")?;
    fn parsed<T: FromStr + Into<Literal>>(value: &str) -> Option<Literal> {
        value.parse::<T>().ok().map(Into::into)
    }
    let stored = match local {
        "boolean" => parsed::<Boolean>(value),
        "float" => parsed::<Float>(value),
        "double" => parsed::<Double>(value),
        "integer" | "byte" | "short" | "int" | "long" | "unsignedByte" | "unsignedShort"
        | "unsignedInt" | "unsignedLong" | "positiveInteger" | "negativeInteger"
        | "nonPositiveInteger" | "nonNegativeInteger" => parsed::<Integer>(value),
        "decimal" => parsed::<Decimal>(value),
        "dateTime" | "dateTimeStamp" => parsed::<DateTime>(value),
        "time" => parsed::<Time>(value),
        "date" => parsed::<Date>(value),
        "gYearMonth" => parsed::<GYearMonth>(value),
        "gYear" => parsed::<GYear>(value),
        "gMonthDay" => parsed::<GMonthDay>(value),
        "gDay" => parsed::<GDay>(value),
        "gMonth" => parsed::<GMonth>(value),
        "duration" => parsed::<Duration>(value),
        "yearMonthDuration" => parsed::<YearMonthDuration>(value),
        "dayTimeDuration" => parsed::<DayTimeDuration>(value),
        _ => None,
    }?;
    (stored.as_ref() != literal).then_some(stored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::raw::RawGraph;
    use crate::kg::StoreDir;
    use oxigraph::model::{GraphName, NamedNode, Quad};
    use oxigraph::store::Store;

    #[test]
    fn a_store_read_through_its_copy_reads_as_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data.trig");
        std::fs::write(
            &file,
            r#"@prefix e: <http://e/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
            e:a e:p "01"^^xsd:int , "3.6E3"^^xsd:double , "x"@fr , "tab\there" , _:b1 .
            _:b1 e:q [ e:r "2024-01"^^xsd:gYearMonth ] .
            e:g { e:a e:in e:c . e:c a e:C ; e:label "naïve \"quoted\""@en . }
            <https://w3id.org/aikg/ontology> { e:C a <http://www.w3.org/2002/07/owl#Class> . }
            "#,
        )
        .unwrap();
        let store_dir = dir.path().join("store");
        crate::store::load(&store_dir, &[file], Default::default()).unwrap();
        let copy = fresh(&store_dir).expect("a fresh copy after the load");
        let store = Store::open_read_only(&store_dir).unwrap();
        let slow = RawGraph::whole_store(&store).unwrap();
        let on_disk = StoreDir {
            store,
            dir: store_dir.clone(),
        };
        assert_eq!(crate::kg::Kg::data_snapshot(&on_disk), Some(copy.clone()));
        // The copy is read by the scanner (not the store, the slow way).
        let scanned = RawGraph::from_snapshot(&copy).expect("the scanner reads the copy");
        assert_eq!(scanned.subjects, slow.subjects);
        let fast = RawGraph::whole_store(&on_disk).unwrap();
        assert_eq!(fast.subjects, slow.subjects);
        assert!(slow.subjects.len() >= 4);
        drop(on_disk);
        // Another load changes the store: the copy follows it.
        let more = dir.path().join("more.nt");
        std::fs::write(
            &more,
            "<http://e/z> <http://e/p> \"1.0\"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n",
        )
        .unwrap();
        crate::store::load(&store_dir, &[more], Default::default()).unwrap();
        let store = Store::open_read_only(&store_dir).unwrap();
        let slow = RawGraph::whole_store(&store).unwrap();
        let fast = RawGraph::whole_store(&StoreDir {
            store,
            dir: store_dir.clone(),
        })
        .unwrap();
        assert_eq!(fast.subjects, slow.subjects);
        assert!(slow.subjects.contains_key("http://e/z"));
    }

    #[test]
    fn a_store_changed_behind_the_copy_is_read_itself() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data.nt");
        std::fs::write(&file, "<http://e/a> <http://e/p> <http://e/b> .\n").unwrap();
        let store_dir = dir.path().join("store");
        crate::store::load(&store_dir, &[file], Default::default()).unwrap();
        assert!(fresh(&store_dir).is_some());
        {
            let store = Store::open(&store_dir).unwrap();
            store
                .insert(&Quad::new(
                    NamedNode::new_unchecked("http://e/x"),
                    NamedNode::new_unchecked("http://e/p"),
                    NamedNode::new_unchecked("http://e/y"),
                    GraphName::DefaultGraph,
                ))
                .unwrap();
        }
        assert!(
            fresh(&store_dir).is_none(),
            "a write outside aikg load makes the copy stale"
        );
    }

    #[test]
    fn the_copy_holds_what_the_store_gives_back() {
        let xsd =
            |t: &str| NamedNode::new_unchecked(format!("http://www.w3.org/2001/XMLSchema#{t}"));
        let literals = [
            Literal::new_typed_literal("01", xsd("int")),
            Literal::new_typed_literal("3.6E3", xsd("double")),
            Literal::new_typed_literal("1.50", xsd("decimal")),
            Literal::new_typed_literal("true", xsd("boolean")),
            Literal::new_typed_literal("2024-01", xsd("gYearMonth")),
            Literal::new_typed_literal("not a number", xsd("integer")),
            Literal::new_typed_literal("x", xsd("string")),
            Literal::new_language_tagged_literal_unchecked("Séoul", "fr"),
        ];
        let store = Store::new().unwrap();
        for l in &literals {
            let quad = Quad::new(
                NamedNode::new_unchecked("http://e/s"),
                NamedNode::new_unchecked("http://e/p"),
                l.clone(),
                GraphName::DefaultGraph,
            );
            store.insert(&quad).unwrap();
            let back: Vec<Quad> = store.iter().map(|q| q.unwrap()).collect();
            assert_eq!(back.len(), 1);
            let expected = stored_form(l.as_ref()).unwrap_or_else(|| l.clone());
            assert_eq!(back[0].object, expected.into(), "{l}");
            store.remove(&back[0]).unwrap();
        }
    }
}
