//! Writing an output file whole or not at all: the text goes to a temporary
//! file beside the target, which is renamed over it once complete. A run
//! that fails half-way (a full disk, a broken pipe to `dot`) leaves the
//! previous file as it was, never a truncated one.

use crate::error::{Error, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Calls `write` with a writer into a temporary file next to `path`, then
/// puts the file in place; on any error the temporary file is removed and
/// `path` is untouched.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let temporary = temporary_path(path);
    let result = (|| {
        let file = std::fs::File::create(&temporary).map_err(|e| Error::io(path.display(), e))?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        write(&mut writer)?;
        let file = writer
            .into_inner()
            .map_err(|e| Error::io(path.display(), e.error()))?;
        file.sync_all().map_err(|e| Error::io(path.display(), e))?;
        std::fs::rename(&temporary, path).map_err(|e| Error::io(path.display(), e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// `dir/.name.aikg-PID.tmp`: in the same directory (a rename does not cross
/// file systems), hidden, and distinct per process.
fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    path.with_file_name(format!(".{name}.aikg-{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.dot");
        std::fs::write(&path, "old").unwrap();
        let result = write_atomically(&path, |w: &mut dyn Write| {
            w.write_all(b"half").unwrap();
            Err(Error::io("<test>", "failed half-way"))
        });
        assert!(result.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        // and no temporary file is left behind
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_complete_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.dot");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, |w| {
            w.write_all(b"new").map_err(|e| Error::io("<test>", e))
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
