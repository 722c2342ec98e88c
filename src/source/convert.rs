//! `aikg convert`: RDF from one syntax to another, streaming (any size, in
//! constant memory), with oxigraph's parsers and serialisers. Blank node
//! labels are kept as written, as riot keeps them.

use super::{input, parsers, ReadOptions, SourceError, SourceErrorKind, SourceFormat};
use crate::error::{Error, Result};
use oxigraph::io::RdfSerializer;
use oxigraph::model::Quad;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// Converts the RDF of `input` (a file, `-` for standard input, or a
/// compressed file) to `to`, written to `out`; returns the number of quads.
/// Quads in named graphs are refused by a syntax that has none, never
/// dropped. A closed pipe ends the output quietly.
pub fn convert(
    input: &Path,
    options: &ReadOptions,
    to: SourceFormat,
    out: &mut dyn Write,
) -> Result<u64> {
    let format = input::format_of(input, options.format)?;
    let name: Arc<str> = input::display_name(input).into();
    let base = options.base_for(&name);
    let parser = parsers::parser(&name, format, base.as_deref(), None, false)?;
    let mut out = FinalNewline {
        inner: out,
        last: None,
    };
    // Buffered here (the serialiser writes a term at a time; `out` is a
    // dyn Write), flushed by `finish` below.
    let mut serializer = RdfSerializer::from_format(to.to_rdf_format())
        .for_writer(std::io::BufWriter::with_capacity(1 << 16, &mut out));
    let mut count = 0u64;
    let mut write = |quad: Quad| -> Result<()> {
        if !to.has_graphs() && !quad.graph_name.is_default_graph() {
            return Err(SourceError::at(SourceErrorKind::Unsupported, &name, 0, 0)
                .message(format!(
                    "the input has a named graph ({}), which {to:?} cannot hold",
                    quad.graph_name
                ))
                .hint("convert to a syntax with graphs (trig, nq, jsonld); nothing is dropped silently")
                .into());
        }
        count += 1;
        serializer.serialize_quad(&quad).map_err(output_error)
    };
    let result = if input::is_stream(input) {
        parsers::cause_first(
            parser
                .for_reader(input::open(input)?)
                .map(|q| q.map_err(|e| parsers::located(&name, format, e))),
        )
        .try_for_each(|q| write(q?))
    } else {
        // A file: parsed on a second thread while this one serialises, in
        // batches, in order (the two halves cost about the same; with one
        // core free the conversion takes the longer of them, not the sum).
        let bytes = input::read_all(input)?;
        let (batches, received) = std::sync::mpsc::sync_channel::<Result<Vec<Quad>>>(8);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                // Owned here, so that the channel closes when parsing ends.
                let batches = batches;
                let mut batch = Vec::with_capacity(BATCH);
                let quads = parsers::cause_first(
                    parser
                        .for_slice(&*bytes)
                        .map(|q| q.map_err(|e| parsers::located(&name, format, e.into()))),
                );
                for q in quads {
                    match q {
                        Ok(quad) => {
                            batch.push(quad);
                            if batch.len() == BATCH {
                                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                                if batches.send(Ok(full)).is_err() {
                                    return; // the writer stopped (an error, a closed pipe)
                                }
                            }
                        }
                        Err(e) => {
                            let _ = batches.send(Ok(std::mem::take(&mut batch)));
                            let _ = batches.send(Err(e.into()));
                            return;
                        }
                    }
                }
                let _ = batches.send(Ok(batch));
            });
            let written = received
                .iter()
                .try_for_each(|batch| batch?.into_iter().try_for_each(&mut write));
            // Dropping the receiver stops the parser if the writer failed.
            drop(received);
            written
        })
    };
    let result = result
        .and_then(|()| {
            serializer
                .finish()
                .and_then(|buffered| buffered.into_inner().map_err(|e| e.into_error()))
                .map(drop)
                .map_err(output_error)
        })
        .and_then(|()| out.finish().map_err(output_error));
    match result {
        Err(Error::Io { message, .. }) if message == CLOSED => Ok(count),
        Err(Error::Source(e)) => Err(super::with_snippet(e, input).into()),
        other => other.map(|()| count),
    }
}

const CLOSED: &str = "closed pipe";

/// Quads handed from the parsing thread to the writing one at a time.
const BATCH: usize = 4096;

fn output_error(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Error::io("<output>", CLOSED)
    } else {
        Error::io("<output>", e)
    }
}

/// Ends a non-empty output with a line break (RDF/XML and JSON-LD
/// serialisers stop at their last bracket).
struct FinalNewline<'a> {
    inner: &'a mut dyn Write,
    last: Option<u8>,
}

impl FinalNewline<'_> {
    fn finish(&mut self) -> std::io::Result<()> {
        if self.last.is_some_and(|b| b != b'\n') {
            self.inner.write_all(b"\n")?;
        }
        self.inner.flush()
    }
}

impl Write for FinalNewline<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        if n > 0 {
            self.last = Some(buf[n - 1]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
