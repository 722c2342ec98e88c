//! `SERVICE` refused off the allow-list; `aikg import` then a named query
//! joining the graph with GeoNames data through the links.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;

fn aikg() -> Command {
    let mut cmd = Command::cargo_bin("aikg").unwrap();
    cmd.env_remove("AIKG_ALLOW_SERVICE");
    cmd
}

#[test]
fn service_off_the_allow_list_is_refused() {
    aikg()
        .args([
            "query",
            "SELECT * WHERE { SERVICE <https://evil.example.org/sparql> { ?s ?p ?o } }",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "SERVICE <https://evil.example.org/sparql> refused",
        ))
        .stderr(predicate::str::contains("not on the allow-list"))
        .stderr(predicate::str::contains("--allow-service"));
}

#[test]
fn an_allowed_but_unreachable_endpoint_fails_clearly() {
    // Port 9 on localhost: nothing listens (the discard port), so the call fails fast, offline or not.
    aikg()
        .args([
            "query",
            "--allow-service",
            "http://127.0.0.1:9/sparql",
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        ])
        .env("AIKG_SERVICE_TIMEOUT", "5")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "SERVICE <http://127.0.0.1:9/sparql> unreachable",
        ));
}

#[test]
fn imported_geonames_data_joins_through_the_links() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let cities = root.join("../shared/external/geonames/cities15000.tsv");
    // A missing fixture is a failure, never a silent pass.
    assert!(
        cities.is_file(),
        "{} is absent: this test needs the real GeoNames extract (../shared/external)",
        cities.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let mut files: Vec<PathBuf> = vec![root.join("ontology/aikg.ttl")];
    for sub in ["data", "data/links"] {
        for entry in std::fs::read_dir(root.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("ttl" | "trig")
            ) {
                files.push(path);
            }
        }
    }
    aikg()
        .arg("load")
        .arg("--store")
        .arg(&store)
        .args(&files)
        .assert()
        .success();
    aikg()
        .args(["import", "geonames"])
        .arg(&cities)
        .args([
            "--graph",
            "https://w3id.org/aikg/external/geonames",
            "--store",
        ])
        .arg(&store)
        .assert()
        .success();
    // ETRI is in Daejeon (GeoNames 1835235: 36.34913, 127.38493, population 1441203 in the extract).
    // --data: the named queries of this working copy (not those of whichever build bundled them).
    aikg()
        .arg("--data")
        .arg(&root)
        .args(["query", "institute-cities", "--format", "csv", "--store"])
        .arg(&store)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "https://w3id.org/aikg/id/ETRI,https://w3id.org/aikg/id/Daejeon,https://sws.geonames.org/1835235/,36.34913,127.38493,1441203",
        ))
        .stdout(predicate::str::contains("https://w3id.org/aikg/id/KERI,https://w3id.org/aikg/id/Changwon,https://sws.geonames.org/1846326/"));
}

#[test]
fn dump_describes_the_dataset_and_its_linksets() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    aikg()
        .arg("--data")
        .arg(&root)
        .args(["dump", "--format", "ttl"])
        .assert()
        .success()
        .stdout(predicate::str::contains("<https://w3id.org/aikg/dataset> dcterms:license <https://creativecommons.org/licenses/by/4.0/>"))
        .stdout(predicate::str::contains("void:subset"))
        .stdout(predicate::str::contains("<https://w3id.org/aikg/links/geonames> dcterms:created"));
    aikg()
        .arg("--data")
        .arg(&root)
        .args(["dump", "--format", "nt"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "<https://w3id.org/aikg/id/ETRI> <http://www.w3.org/2002/07/owl#sameAs> <https://ror.org/03ysstz10> .",
        ));
}
