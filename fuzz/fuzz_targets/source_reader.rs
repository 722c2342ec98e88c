//! The source reader on any bytes, in any syntax: it returns quads or a
//! located error, never panics, hangs or overflows its stack; an error's
//! text is printable (no raw control characters from the input).
#![no_main]

use aikg::source::{self, ReadOptions, SourceFormat};
use libfuzzer_sys::fuzz_target;

const FORMATS: [SourceFormat; 6] = [
    SourceFormat::Turtle,
    SourceFormat::TriG,
    SourceFormat::NTriples,
    SourceFormat::NQuads,
    SourceFormat::RdfXml,
    SourceFormat::JsonLd,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, text)) = data.split_first() else {
        return;
    };
    let format = FORMATS[usize::from(selector) % FORMATS.len()];
    let options = ReadOptions {
        format: Some(format),
        base: Some("http://example.org/base/".into()),
        allow_empty: true,
    };
    if let Err(e) = source::read_bytes_with("fuzz".into(), text, format, &options) {
        let shown = e.to_string();
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
            "unprintable error text: {shown:?}"
        );
    }
});
