//! The W3C RDF 1.1 syntax suites (`../shared/w3c-rdf/`: N-Triples, N-Quads,
//! Turtle, TriG; 826 tests) through every path aikg reads RDF by:
//!
//! - the source reader (`aikg::source::read_bytes_with`: `validate`, `query
//!   --data`, `export FILES`...),
//! - the fast scanner, as `validate` and `export` use it on N-Triples and
//!   N-Quads: the scanner, and the parser when it gives up (the graph name of
//!   an N-Quads line is dropped on that path, so its graphs compare as triples),
//! - `load` (`aikg::store::load` into a RocksDB store, read back).
//!
//! Each positive test must read, to the graph of `mf:result` when it has one
//! (compared up to blank node renaming); each negative test must be refused.
//! The test prints the pass count per path and fails below the target.

use aikg::source::{self, ReadOptions, SourceFormat};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Dataset, GraphName, Quad, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::path::{Path, PathBuf};

const SUITES: [(&str, SourceFormat); 4] = [
    ("rdf-n-triples", SourceFormat::NTriples),
    ("rdf-n-quads", SourceFormat::NQuads),
    ("rdf-turtle", SourceFormat::Turtle),
    ("rdf-trig", SourceFormat::TriG),
];

const SUITE_BASE: &str = "https://w3c.github.io/rdf-tests/rdf/rdf11/";

#[derive(Debug)]
struct Case {
    name: String,
    format: SourceFormat,
    /// Must it be read (positive syntax or eval) or refused?
    positive: bool,
    action: PathBuf,
    /// The IRI the test is read with as base.
    base: String,
    result: Option<PathBuf>,
}

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/w3c-rdf")
}

fn cases() -> Vec<Case> {
    let root = shared();
    assert!(
        root.join("README.md").is_file(),
        "the W3C RDF suites are missing: expected them in {} (../shared/w3c-rdf beside the repository)",
        root.display()
    );
    let mut cases = Vec::new();
    for (folder, format) in SUITES {
        let dir = root.join(folder);
        let base = format!("{SUITE_BASE}{folder}/");
        let store = Store::new().unwrap();
        let manifest = std::fs::read(dir.join("manifest.ttl")).unwrap();
        store
            .load_from_reader(
                RdfParser::from_format(RdfFormat::Turtle)
                    .with_base_iri(format!("{base}manifest.ttl"))
                    .unwrap(),
                manifest.as_slice(),
            )
            .unwrap();
        let query = "PREFIX mf: <http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#>
            PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
            SELECT ?test ?type ?action ?result WHERE {
              ?m mf:entries/rdf:rest*/rdf:first ?test .
              ?test rdf:type ?type ; mf:action ?action .
              OPTIONAL { ?test mf:result ?result }
            }";
        let QueryResults::Solutions(rows) = SparqlEvaluator::new()
            .parse_query(query)
            .unwrap()
            .on_store(&store)
            .execute()
            .unwrap()
        else {
            panic!("not solutions")
        };
        let local = |term: Option<&Term>| -> Option<PathBuf> {
            match term? {
                Term::NamedNode(n) => Some(dir.join(n.as_str().strip_prefix(&base)?)),
                _ => None,
            }
        };
        for row in rows {
            let row = row.unwrap();
            let Some(Term::NamedNode(kind)) = row.get("type") else {
                continue;
            };
            let kind = kind.as_str().rsplit('#').next().unwrap().to_string();
            let Some(Term::NamedNode(action)) = row.get("action") else {
                continue;
            };
            let test = row.get("test").unwrap().to_string();
            let local_name = test.rsplit('#').next().unwrap().trim_end_matches('>');
            cases.push(Case {
                name: format!("{folder}#{local_name}"),
                format,
                positive: !kind.contains("Negative"),
                action: local(row.get("action")).unwrap(),
                base: action.as_str().to_string(),
                result: local(row.get("result")),
            });
        }
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// The expected graph of an eval test.
fn expected(case: &Case) -> Option<Dataset> {
    let path = case.result.as_ref()?;
    let format = if path.extension().is_some_and(|e| e == "nq") {
        RdfFormat::NQuads
    } else {
        RdfFormat::NTriples
    };
    let bytes = std::fs::read(path).unwrap();
    let quads: Vec<Quad> = RdfParser::from_format(format)
        .for_slice(&bytes)
        .collect::<Result<_, _>>()
        .unwrap();
    Some(quads.into_iter().collect())
}

fn canonical(mut d: Dataset) -> Dataset {
    d.canonicalize(CanonicalizationAlgorithm::Unstable);
    d
}

fn as_triples(d: &Dataset) -> Dataset {
    d.iter()
        .map(|q| {
            let mut q = q.into_owned();
            q.graph_name = GraphName::DefaultGraph;
            q
        })
        .collect()
}

/// Compares what a path read with what the test expects; `None` is a pass.
fn judge(case: &Case, read: Result<Dataset, String>, triples_only: bool) -> Option<String> {
    match (case.positive, read) {
        (false, Ok(_)) => Some("accepted, should be refused".into()),
        (false, Err(_)) => None,
        (true, Err(e)) => Some(format!("refused: {e}")),
        (true, Ok(got)) => {
            let want = expected(case)?;
            let (got, want) = if triples_only {
                (as_triples(&got), as_triples(&want))
            } else {
                (got, want)
            };
            let (got, want) = (canonical(got), canonical(want));
            (got != want).then(|| format!("read:\n{got}\nexpected:\n{want}"))
        }
    }
}

fn options(case: &Case) -> ReadOptions {
    ReadOptions {
        format: Some(case.format),
        base: Some(case.base.clone()),
        allow_empty: true,
    }
}

fn by_source_reader(case: &Case) -> Result<Dataset, String> {
    let bytes = std::fs::read(&case.action).unwrap();
    let name = case.action.display().to_string();
    source::read_bytes_with(name.into(), &bytes, case.format, &options(case))
        .map(|quads| quads.into_iter().map(|q| q.quad).collect())
        .map_err(|e| e.to_string())
}

/// What `validate` reads: the scanner, or the parser when it gives up.
/// Returns whether the scanner read it itself.
fn by_scanner(case: &Case) -> (Result<Dataset, String>, bool) {
    let bytes = std::fs::read(&case.action).unwrap();
    let name = case.action.display().to_string();
    if let Ok(text) = std::str::from_utf8(&bytes) {
        let mut read = Dataset::new();
        let scanned = source::scan::for_each_triple(
            text,
            case.format == SourceFormat::NQuads,
            |label| source::blank_label(&name, label),
            |t, _| {
                read.insert(t.in_graph(GraphName::DefaultGraph.as_ref()));
            },
        );
        if scanned.is_ok() {
            return (Ok(read), true);
        }
    }
    (by_source_reader(case), false)
}

fn by_load(case: &Case, scratch: &Path) -> Result<Dataset, String> {
    let dir = scratch.join(case.name.replace(['/', '#'], "_"));
    let report = aikg::store::load(
        &dir,
        std::slice::from_ref(&case.action),
        aikg::store::LoadOptions {
            format: Some(case.format),
            base: Some(case.base.clone()),
            ..Default::default()
        },
    )
    .map_err(|e| e.to_string())?;
    drop(report);
    let store = Store::open_read_only(&dir).map_err(|e| e.to_string())?;
    let quads = store
        .iter()
        .collect::<Result<Dataset, _>>()
        .map_err(|e| e.to_string());
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    quads
}

/// Eval tests whose literals the store gives back in canonical form
/// (oxigraph keeps xsd:integer/decimal/double/boolean... as values, so
/// `"1.0e0"^^xsd:double` comes back `"1E0"`): not a reading error, and only
/// set aside when what load read is exactly the expected graph as the store
/// keeps it.
fn store_canonicalises(case: &Case, got: &Result<Dataset, String>) -> bool {
    let (Some(want), Ok(got)) = (expected(case), got) else {
        return false;
    };
    let store = Store::new().unwrap();
    store.extend(want.iter().map(|q| q.into_owned())).unwrap();
    let as_stored: Dataset = store.iter().collect::<Result<_, _>>().unwrap();
    canonical(as_stored) == canonical(got.clone())
}

fn report(path: &str, cases: &[&Case], failures: &[(String, String)]) {
    println!(
        "w3c rdf 1.1 syntax, {path}: {}/{} passed",
        cases.len() - failures.len(),
        cases.len()
    );
    for (name, why) in failures {
        println!("  FAIL {name}: {}", why.lines().next().unwrap_or(""));
    }
}

#[test]
fn w3c_rdf_syntax_suites_through_every_read_path() {
    let cases = cases();
    assert_eq!(cases.len(), 826, "the suites hold 826 tests (README)");
    let all: Vec<&Case> = cases.iter().collect();

    let source_failures: Vec<(String, String)> = cases
        .iter()
        .filter_map(|c| judge(c, by_source_reader(c), false).map(|f| (c.name.clone(), f)))
        .collect();
    report("source reader", &all, &source_failures);

    let line_based: Vec<&Case> = cases
        .iter()
        .filter(|c| matches!(c.format, SourceFormat::NTriples | SourceFormat::NQuads))
        .collect();
    let mut scanned = 0;
    let scanner_failures: Vec<(String, String)> = line_based
        .iter()
        .filter_map(|c| {
            let (read, by_scanner) = by_scanner(c);
            scanned += usize::from(by_scanner);
            judge(c, read, true).map(|f| (c.name.clone(), f))
        })
        .collect();
    report(
        &format!("fast scanner (N-Triples and N-Quads; {scanned} read by the scanner itself)"),
        &line_based,
        &scanner_failures,
    );

    // Each load commits (and syncs) its own RocksDB store: waiting on the
    // disk, not the CPU, so several run at once.
    let scratch = tempfile::tempdir().unwrap();
    let loaded: Vec<(&Case, Option<String>, bool)> = std::thread::scope(|scope| {
        let workers: Vec<_> = cases
            .chunks(cases.len().div_ceil(8))
            .map(|chunk| {
                let scratch = scratch.path();
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|c| {
                            let read = by_load(c, scratch);
                            let aside = store_canonicalises(c, &read);
                            (c, judge(c, read, false), aside)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let mut canonicalised = Vec::new();
    let load_failures: Vec<(String, String)> = loaded
        .into_iter()
        .filter_map(|(c, f, aside)| f.map(|f| (c, f, aside)))
        .filter(|(c, _, aside)| {
            if *aside {
                canonicalised.push(c.name.clone());
            }
            !aside
        })
        .map(|(c, f, _)| (c.name.clone(), f))
        .collect();
    report("load", &all, &load_failures);
    println!(
        "  load: {} eval tests aside, numeric literals stored in canonical form by oxigraph: {}",
        canonicalised.len(),
        canonicalised.join(", ")
    );

    assert!(
        source_failures.is_empty(),
        "source reader: {source_failures:#?}"
    );
    assert!(
        scanner_failures.is_empty(),
        "scanner: {scanner_failures:#?}"
    );
    assert!(load_failures.is_empty(), "load: {load_failures:#?}");
}
