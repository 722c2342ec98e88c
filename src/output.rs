//! Writing an output file whole or not at all: the text goes to a temporary
//! file beside the target, which is renamed over it once complete. A run
//! that fails half-way (a full disk, a broken pipe to `dot`) leaves the
//! previous file as it was, never a truncated one.
//!
//! What `-o PATH` names is respected: a symbolic link is followed (its
//! target is written, the link stays), an existing file keeps its
//! permissions, and what is not a regular file (a device such as
//! `/dev/null` or `/dev/stdout`, a FIFO) is written through, not replaced.
//!
//! A run stopped by SIGTERM, SIGINT (Ctrl-C) or SIGHUP while it writes
//! removes its temporary file before it ends (the signal's own exit status
//! is kept); only SIGKILL, which no program can catch, leaves one behind,
//! named `.NAME.aikg-PID.tmp` beside the target.

use crate::error::{Error, Result};
use std::ffi::CString;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Once;

/// The temporary file being written (a leaked C string), or null.
static TEMPORARY: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());

extern "C" fn remove_temporary_and_stop(signal: libc::c_int) {
    // SAFETY: unlink, signal and raise are async-signal-safe; the pointer
    // is a C string leaked while it is published here.
    unsafe {
        let path = TEMPORARY.swap(std::ptr::null_mut(), Ordering::SeqCst);
        if !path.is_null() {
            libc::unlink(path);
        }
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

/// Installs [`remove_temporary_and_stop`] for the signals that would end
/// the process, where the default action (ending) is in place: a program
/// with handlers of its own (the server) keeps them.
fn install_signal_handlers() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        for signal in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
            // SAFETY: zeroed C structs; the handler above is
            // async-signal-safe.
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, std::ptr::null(), &mut old) != 0
                    || old.sa_sigaction != libc::SIG_DFL
                {
                    continue;
                }
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction =
                    remove_temporary_and_stop as extern "C" fn(libc::c_int) as usize;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(signal, &action, std::ptr::null_mut());
            }
        }
    });
}

/// While alive, a signal that ends the process removes `path` first.
struct RemovedOnSignal;

impl RemovedOnSignal {
    fn new(path: &Path) -> Self {
        use std::os::unix::ffi::OsStrExt;
        if let Ok(c) = CString::new(path.as_os_str().as_bytes()) {
            install_signal_handlers();
            let old = TEMPORARY.swap(c.into_raw(), Ordering::SeqCst);
            free(old);
        }
        Self
    }
}

impl Drop for RemovedOnSignal {
    fn drop(&mut self) {
        free(TEMPORARY.swap(std::ptr::null_mut(), Ordering::SeqCst));
    }
}

fn free(path: *mut libc::c_char) {
    if !path.is_null() {
        // SAFETY: made by CString::into_raw in RemovedOnSignal::new, and
        // taken out of TEMPORARY by the swap, so freed once.
        drop(unsafe { CString::from_raw(path) });
    }
}

/// Calls `write` with a writer into a temporary file next to `path`, then
/// puts the file in place; on any error the temporary file is removed and
/// `path` is untouched.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let shown = path.display().to_string();
    let path = &resolve_links(path);
    let existing = std::fs::metadata(path).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        if existing.as_ref().is_some_and(|m| m.is_dir()) {
            return Err(Error::usage(
                format!("{shown}: a directory"),
                "name a file to write to",
            ));
        }
        // A device or a FIFO: written through, as `>` in a shell does.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| Error::io(&shown, e))?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        write(&mut writer)?;
        return writer.flush().map_err(|e| Error::io(&shown, e));
    }
    let temporary = temporary_path(path);
    let _removed_on_signal = RemovedOnSignal::new(&temporary);
    let result = (|| {
        let file = std::fs::File::create(&temporary).map_err(|e| Error::io(path.display(), e))?;
        if let Some(existing) = &existing {
            // The replaced file's permissions (a 0600 file stays 0600).
            file.set_permissions(existing.permissions())
                .map_err(|e| Error::io(path.display(), e))?;
        }
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

/// The file a path names once its symbolic links are followed (a link to a
/// file not yet there names that file).
fn resolve_links(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    // A bounded walk: a link loop is left to the open call to report.
    for _ in 0..40 {
        match std::fs::read_link(&path) {
            Ok(target) => {
                path = match path.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            Err(_) => break,
        }
    }
    path
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

    fn write_text(path: &Path, text: &'static str) -> Result<()> {
        write_atomically(path, |w| {
            w.write_all(text.as_bytes())
                .map_err(|e| Error::io("<test>", e))
        })
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_permissions_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.ttl");
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link.ttl");
        std::os::unix::fs::symlink("real.ttl", &link).unwrap();
        write_text(&link, "new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_written_through() {
        use std::os::unix::fs::FileTypeExt;
        write_text(Path::new("/dev/null"), "x").unwrap();
        assert!(std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        write_text(&fifo, "through the fifo").unwrap();
        assert_eq!(reader.join().unwrap(), "through the fifo");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
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
