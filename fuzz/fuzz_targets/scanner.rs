//! The fast N-Triples/N-Quads scanner against the parser: whatever the
//! scanner accepts, the parser accepts too, with the same triples (one
//! grammar, one answer); it never panics.
#![no_main]

use aikg::source::{self, scan, ReadOptions, SourceFormat};
use libfuzzer_sys::fuzz_target;
use oxigraph::model::{Graph, Triple};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let quads = selector % 2 == 1;
    let mut scanned = Graph::new();
    let accepted = scan::for_each_triple(
        text,
        quads,
        |label| source::blank_label("fuzz", label),
        |t, _| {
            scanned.insert(t);
        },
    )
    .is_ok();
    if !accepted {
        return;
    }
    let format = if quads {
        SourceFormat::NQuads
    } else {
        SourceFormat::NTriples
    };
    let options = ReadOptions {
        format: Some(format),
        base: None,
        allow_empty: true,
    };
    let parsed = source::read_bytes_with("fuzz".into(), bytes, format, &options)
        .unwrap_or_else(|e| panic!("the scanner accepted what the parser refuses: {e}"));
    let parsed: Graph = parsed
        .into_iter()
        .map(|q| Triple::new(q.quad.subject, q.quad.predicate, q.quad.object))
        .collect();
    assert_eq!(scanned, parsed, "the scanner and the parser read different graphs");
});
