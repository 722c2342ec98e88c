//! Fuzzes the shapes compiler and the validator: any Turtle document is
//! read as a shapes graph and as the data graph it validates. Whatever the
//! input, aikg must answer (a report, or an error that says what is wrong)
//! and never panic, overflow its stack or loop: a well-formedness check,
//! `Schema::compile` and the engine all run on the fuzzed graph.
#![no_main]

use aikg::shacl::{self, Graph};
use libfuzzer_sys::fuzz_target;
use oxigraph::io::{RdfFormat, RdfParser};

fuzz_target!(|input: &[u8]| {
    let Ok(quads) = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(input)
        .collect::<Result<Vec<_>, _>>()
    else {
        return;
    };
    let shapes = Graph::from_quads(quads.iter().map(|q| q.as_ref()));
    let mut data = Graph::from_quads(quads.iter().map(|q| q.as_ref()));
    let _ = shacl::validate(&mut data, &shapes);
});
