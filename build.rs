//! Embeds the bundled ontology, data and named queries in the binary, so that
//! every command works with no set-up, from any directory. The lists are made
//! from the folders, so adding a file needs no code change.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, extensions, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
        {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut code = String::new();
    for (name, dir, extensions) in [
        ("ONTOLOGY", "ontology", &["ttl"][..]),
        ("DATA", "data", &["ttl", "trig"][..]),
        ("QUERIES", "queries", &["rq"][..]),
    ] {
        println!("cargo:rerun-if-changed={dir}");
        let mut files = Vec::new();
        collect(&root.join(dir), extensions, &mut files);
        files.sort();
        writeln!(code, "pub static {name}: &[BundledFile] = &[").unwrap();
        for file in files {
            let relative = file
                .strip_prefix(&root)
                .unwrap()
                .to_str()
                .unwrap()
                .replace('\\', "/");
            // The path is spelt from CARGO_MANIFEST_DIR at compile time, not
            // written out here: a target directory shared by two checkouts
            // (CI's and a developer's) may reuse this script's output, and an
            // absolute path would then embed the other checkout's files.
            writeln!(
                code,
                "    BundledFile {{ path: {relative:?}, text: include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/\", {relative:?})) }},"
            )
            .unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("bundle.rs");
    std::fs::write(out, code).unwrap();
}
