//! SHACL Core validation (W3C SHACL, sections 2-4) and aikg's ontology
//! checks, with diagnostics that point at file:line:col.
//!
//! The engine is aikg's own, set at a time: the data graph is interned into
//! a compact index ([`graph::Graph`]), the shapes graph is read into typed
//! shapes ([`shapes::Schema`]), and each shape is checked against all its
//! focus nodes at once ([`engine`]). The W3C Core test suite runs as
//! `tests/shacl_w3c.rs`; pySHACL is the differential oracle
//! (`benches/shacl_diff.sh`).
//!
//! ```
//! use aikg::shacl::{self, graph::Graph};
//! use aikg::source::{read_bytes, SourceFormat};
//! let shapes = read_bytes("s.ttl".into(), br#"
//!     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .
//!     ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:name ; sh:minCount 1 ] ."#,
//!     SourceFormat::Turtle).unwrap();
//! let data = read_bytes("d.ttl".into(), b"<http://e/x> a <http://e/C> .", SourceFormat::Turtle).unwrap();
//! let mut data_graph = Graph::from_quads(data.iter().map(|q| q.quad.as_ref()));
//! let shapes_graph = Graph::from_quads(shapes.iter().map(|q| q.quad.as_ref()));
//! let report = shacl::validate(&mut data_graph, &shapes_graph).unwrap();
//! assert_eq!(report.results.len(), 1);
//! assert_eq!(report.results[0].component_name(), "MinCount");
//! ```

pub mod diagnostics;
pub mod engine;
pub mod graph;
pub mod ontology_checks;
pub mod paths;
pub mod report;
pub mod scan;
pub mod shapes;
pub mod sparql;
pub mod values;
pub mod vocab;
pub mod well_formed;

pub use graph::Graph;
pub use report::{ValidationReport, ValidationResult};
pub use shapes::{Schema, ShapeError};

/// Validates `data` against the shapes of `shapes`. Terms the shapes name
/// that the data lacks are added to `data`'s term table (with no triples).
/// A shapes graph that is not well-formed ([`well_formed`]) is an error
/// that lists every problem.
pub fn validate(data: &mut Graph, shapes: &Graph) -> Result<ValidationReport, ShapeError> {
    let problems = well_formed::check(shapes);
    if !problems.is_empty() {
        return Err(ShapeError {
            shape: "the shapes graph".into(),
            message: format!("not well-formed:\n{}", well_formed::describe(&problems)),
        });
    }
    let schema = Schema::compile(shapes, data)?;
    run(data, &schema)
}

/// Validates `data` against a compiled, well-formed shapes graph. A
/// failure (a SPARQL query that could not run) is an error: the report
/// would not be complete.
pub fn run(data: &mut Graph, schema: &Schema) -> Result<ValidationReport, ShapeError> {
    let mut engine = engine::Engine::new(data, schema);
    let raw = engine.validate();
    let failures = engine.failures();
    if !failures.is_empty() {
        return Err(ShapeError {
            shape: "validation".into(),
            message: format!("failed: {}", failures.join("; ")),
        });
    }
    let mut report = ValidationReport::from_raw(data, schema, raw);
    report.sort();
    Ok(report)
}
