//! The ontology, data and named queries bundled in the binary (see build.rs).

/// A file of the repository embedded at build time.
#[derive(Debug, Clone, Copy)]
pub struct BundledFile {
    /// Path relative to the repository root, e.g. `data/kr-report.trig`.
    pub path: &'static str,
    pub text: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/bundle.rs"));
