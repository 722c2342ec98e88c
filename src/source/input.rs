//! Where RDF is read from: a file, standard input (`-`), or a file
//! compressed with gzip, bzip2 or zstd (by its extension: `.gz`, `.bz2`,
//! `.zst`), decompressed as it is read.

use super::{unreadable, SourceError, SourceErrorKind, SourceFormat};
use std::io::Read;
use std::path::Path;

/// How an input file is compressed, from its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Bzip2,
    Zstd,
}

impl Compression {
    /// The compression a path's extension names, if any.
    pub fn of(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "gz" | "gzip" => Some(Self::Gzip),
            "bz2" => Some(Self::Bzip2),
            "zst" | "zstd" => Some(Self::Zstd),
            _ => None,
        }
    }
}

/// Is this path standard input (`-`)?
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Is this input read as a stream (standard input, a compressed file, a
/// pipe or a device) rather than mapped whole from a regular file?
pub fn is_stream(path: &Path) -> bool {
    is_stdin(path)
        || Compression::of(path).is_some()
        || std::fs::metadata(path).is_ok_and(|m| !m.is_file())
}

/// The name positions show for an input.
pub fn display_name(path: &Path) -> String {
    if is_stdin(path) {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}

/// The syntax of an input: `format` if given, else its extension under any
/// compression extension (`x.ttl.gz` is Turtle). Standard input has none.
pub fn format_of(path: &Path, format: Option<SourceFormat>) -> Result<SourceFormat, SourceError> {
    if let Some(format) = format {
        return Ok(format);
    }
    let name = display_name(path);
    let error = |message: &str, hint: String| {
        SourceError::at(SourceErrorKind::UnknownFormat, &name.clone().into(), 0, 0)
            .message(message)
            .hint(hint)
    };
    if is_stdin(path) {
        return Err(error(
            "standard input has no extension to tell its RDF syntax",
            format!(
                "name the syntax (--format for load and convert, --input-format for validate): one of {}",
                SourceFormat::NAMES
            ),
        ));
    }
    let inner = if Compression::of(path).is_some() {
        path.file_stem().map(Path::new).unwrap_or(path)
    } else {
        path
    };
    SourceFormat::from_path(inner).ok_or_else(|| {
        error(
            "cannot tell the RDF format from the file extension",
            format!(
                "give the file the extension of its syntax, or name the syntax (--format for load and convert, --input-format for validate): one of {}",
                SourceFormat::NAMES
            ),
        )
    })
}

/// The last lines read from standard input, which cannot be read again:
/// an error's snippet is taken from here. A parser reports an error soon
/// after it reads the bytes (its read-ahead is far below the window).
struct StdinWindow {
    bytes: Vec<u8>,
    /// The line number of `bytes[0]` (1-based).
    first_line: u64,
}

const STDIN_WINDOW_BYTES: usize = 4 << 20;

static STDIN_WINDOW: std::sync::Mutex<StdinWindow> = std::sync::Mutex::new(StdinWindow {
    bytes: Vec::new(),
    first_line: 1,
});

/// Standard input, its last lines kept in [`STDIN_WINDOW`].
struct WindowedStdin(std::io::StdinLock<'static>);

impl Read for WindowedStdin {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        let mut window = STDIN_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
        window.bytes.extend_from_slice(&buf[..n]);
        if window.bytes.len() > STDIN_WINDOW_BYTES {
            // Drop the older half, up to a line's end.
            let half = window.bytes.len() - STDIN_WINDOW_BYTES / 2;
            let cut = window.bytes[half..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(half, |i| half + i + 1);
            let dropped = window.bytes[..cut].iter().filter(|&&b| b == b'\n').count();
            window.first_line += dropped as u64;
            window.bytes.drain(..cut);
        }
        Ok(n)
    }
}

/// Line `line` (1-based) of standard input, if it is still in the window.
pub fn stdin_line(line: u64) -> Option<String> {
    let window = STDIN_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let index = line.checked_sub(window.first_line)? as usize;
    let text = window.bytes.split(|&b| b == b'\n').nth(index)?;
    Some(String::from_utf8_lossy(text).into_owned())
}

/// Opens an input for reading, decompressing it as its extension says.
pub fn open(path: &Path) -> Result<Box<dyn Read>, SourceError> {
    let file: Box<dyn Read> = if is_stdin(path) {
        Box::new(WindowedStdin(std::io::stdin().lock()))
    } else {
        Box::new(std::fs::File::open(path).map_err(|e| unreadable(path, e))?)
    };
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    Ok(match Compression::of(path) {
        None => Box::new(reader),
        Some(Compression::Gzip) => Box::new(flate2::bufread::MultiGzDecoder::new(reader)),
        Some(Compression::Bzip2) => Box::new(bzip2::bufread::MultiBzDecoder::new(reader)),
        Some(Compression::Zstd) => Box::new(
            ruzstd::decoding::StreamingDecoder::new(reader)
                .map_err(|e| unreadable(path, format!("not a zstd stream ({e})")))?,
        ),
    })
}

/// The whole of an input in memory: a regular file mapped, anything else
/// read (decompressed) to its end.
pub fn read_all(path: &Path) -> Result<crate::mapped::Bytes, SourceError> {
    if is_stream(path) {
        let mut bytes = Vec::new();
        open(path)?
            .read_to_end(&mut bytes)
            .map_err(|e| unreadable(path, e))?;
        Ok(crate::mapped::Bytes::Owned(bytes))
    } else {
        crate::mapped::read(path).map_err(|e| unreadable(path, e))
    }
}
