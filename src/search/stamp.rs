//! What an index was built from, so that a stale index is never used.
//!
//! A persistent store is a RocksDB directory: every change to its content
//! (a load, an import, an update, a compaction) writes new table files
//! (`*.sst`), appends to the write-ahead log (`*.log`) or to the manifest.
//! The stamp of a store is a digest of the names and sizes of those files
//! and of `CURRENT`; it changes whenever the content may have changed. An
//! aborted load leaves the content as it was, but may leave other files:
//! the index is then rebuilt although it was still right, which costs time
//! and never a wrong answer. Files RocksDB rewrites without a change of
//! content (`LOG`, `OPTIONS-*`, `LOCK`) and the index itself are left out.

use crate::error::{Error, Result};
use std::path::Path;

/// The file of the search index, in the store directory.
pub const INDEX_FILE: &str = "aikg-search.idx";

/// The stamp of the store at `dir`.
pub fn of_store(dir: &Path) -> Result<String> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir.display(), e))?;
    let mut files: Vec<(String, u64)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir.display(), e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let counts = name == "CURRENT"
            || name.starts_with("MANIFEST-")
            || name.ends_with(".sst")
            || name.ends_with(".log")
            || name.ends_with(".blob");
        if counts {
            let len = entry
                .metadata()
                .map_err(|e| Error::io(dir.display(), e))?
                .len();
            files.push((name, len));
        }
    }
    files.sort();
    let mut digest = Fnv::default();
    for (name, len) in &files {
        digest.write(name.as_bytes());
        digest.write(&len.to_le_bytes());
    }
    let current = std::fs::read(dir.join("CURRENT")).unwrap_or_default();
    digest.write(&current);
    Ok(format!(
        "rocksdb files={} digest={:016x}",
        files.len(),
        digest.0
    ))
}

/// FNV-1a, 64 bits: a stable digest (the same from one build of aikg to
/// the next, which `std`'s hasher does not promise).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stamp_follows_the_table_files_and_ignores_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("CURRENT"), "MANIFEST-000005\n").unwrap();
        std::fs::write(dir.path().join("000009.sst"), "a").unwrap();
        let first = of_store(dir.path()).unwrap();
        std::fs::write(dir.path().join("LOG"), "opened").unwrap();
        std::fs::write(dir.path().join(INDEX_FILE), "index").unwrap();
        assert_eq!(of_store(dir.path()).unwrap(), first);
        std::fs::write(dir.path().join("000010.sst"), "b").unwrap();
        assert_ne!(of_store(dir.path()).unwrap(), first);
    }
}
