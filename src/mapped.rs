//! A file's text held in memory: read into a `String`, or, for a large
//! file, mapped from the page cache. Reading 100 MB of N-Triples with
//! `read(2)` costs a copy and a page fault per 4 KiB of fresh buffer (a
//! tenth of a second, as much as scanning the file); a populated read-only
//! mapping costs one system call.
//!
//! A mapping is only sound while no one truncates or rewrites the file;
//! like other command-line tools that map their input (ripgrep), `aikg`
//! accepts that for the few seconds it reads a file it was pointed at.

use std::fs::File;
use std::ops::Deref;
use std::path::Path;

/// Files smaller than this are read: mapping them saves nothing.
const MAP_AT_LEAST: u64 = 1 << 20;

/// Valid UTF-8 text, owned or mapped.
pub enum Text {
    Owned(String),
    #[cfg(unix)]
    Mapped(Mapping),
}

impl Default for Text {
    fn default() -> Self {
        Text::Owned(String::new())
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Owned(s) => s,
            #[cfg(unix)]
            // Checked as UTF-8 when made (see `Text::from_bytes`).
            Text::Mapped(m) => unsafe { std::str::from_utf8_unchecked(m.bytes()) },
        }
    }
}

impl Text {
    pub fn as_str(&self) -> &str {
        self
    }
}

/// A file's bytes: owned, or a read-only private mapping.
pub enum Bytes {
    Owned(Vec<u8>),
    #[cfg(unix)]
    Mapped(Mapping),
}

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            #[cfg(unix)]
            Bytes::Mapped(m) => m.bytes(),
        }
    }
}

impl Bytes {
    /// The text, if the bytes are UTF-8 (checked once, here); else the bytes back.
    pub fn into_text(self) -> Result<Text, Bytes> {
        match self {
            Bytes::Owned(v) => String::from_utf8(v)
                .map(Text::Owned)
                .map_err(|e| Bytes::Owned(e.into_bytes())),
            #[cfg(unix)]
            Bytes::Mapped(m) => {
                if std::str::from_utf8(m.bytes()).is_ok() {
                    Ok(Text::Mapped(m))
                } else {
                    Err(Bytes::Mapped(m))
                }
            }
        }
    }

    /// The text, with invalid UTF-8 replaced.
    pub fn into_text_lossy(self) -> Text {
        self.into_text()
            .unwrap_or_else(|b| Text::Owned(String::from_utf8_lossy(&b).into_owned()))
    }
}

/// Reads a file: mapped if it is large (and the platform maps files), else read.
pub fn read(path: &Path) -> std::io::Result<Bytes> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    #[cfg(unix)]
    if len >= MAP_AT_LEAST {
        if let Some(m) = Mapping::new(&file, len) {
            return Ok(Bytes::Mapped(m));
        }
    }
    let mut v = Vec::with_capacity(len as usize);
    std::io::Read::read_to_end(&mut &file, &mut v)?;
    Ok(Bytes::Owned(v))
}

/// A read-only, private mapping of a whole file.
#[cfg(unix)]
pub struct Mapping {
    ptr: *mut libc::c_void,
    len: usize,
}

// The mapping is read-only and owned: sharing or moving it across threads
// is as safe as for a `Vec<u8>`.
#[cfg(unix)]
unsafe impl Send for Mapping {}
#[cfg(unix)]
unsafe impl Sync for Mapping {}

#[cfg(unix)]
impl Mapping {
    fn new(file: &File, len: u64) -> Option<Self> {
        use std::os::unix::io::AsRawFd;
        let len = usize::try_from(len).ok()?;
        // Populated up front: one system call maps every page of the file
        // from the page cache, instead of a fault per page while scanning.
        #[cfg(target_os = "linux")]
        let flags = libc::MAP_PRIVATE | libc::MAP_POPULATE;
        #[cfg(not(target_os = "linux"))]
        let flags = libc::MAP_PRIVATE;
        // SAFETY: a fresh mapping of an open file, checked for failure; the
        // pointer is unmapped once, on drop.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                flags,
                file.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return None;
        }
        Some(Self { ptr, len })
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr` maps `len` readable bytes until drop.
        unsafe { std::slice::from_raw_parts(self.ptr as *const u8, self.len) }
    }
}

#[cfg(unix)]
impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`, unmapped once.
        unsafe {
            libc::munmap(self.ptr, self.len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_files_are_mapped_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.nt");
        let line = "<http://e/a> <http://e/p> \"é\" .\n";
        let text = line.repeat((MAP_AT_LEAST as usize / line.len()) + 1);
        std::fs::write(&path, &text).unwrap();
        let bytes = read(&path).unwrap();
        #[cfg(unix)]
        assert!(matches!(bytes, Bytes::Mapped(_)));
        assert_eq!(bytes.into_text().ok().unwrap().as_str(), text);
        std::fs::write(&path, b"\xff\xfe").unwrap();
        assert!(read(&path).unwrap().into_text().is_err());
    }
}
