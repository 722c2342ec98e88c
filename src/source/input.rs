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

/// Opens an input for reading, decompressing it as its extension says.
pub fn open(path: &Path) -> Result<Box<dyn Read>, SourceError> {
    let file: Box<dyn Read> = if is_stdin(path) {
        Box::new(std::io::stdin().lock())
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
