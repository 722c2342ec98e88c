//! Reasoning: competency questions that need what the ontology implies
//! (each answer written from the sources, the sentence quoted beside it),
//! passing with reasoning and failing without; the inferred graph apart from
//! the stated ones; `--reasoning` on every reading path; `aikg explain` down
//! to the quotes; persistent stores (`aikg load`, `aikg infer --store`); the
//! library call a server makes after a write.
//!
//! Documents: `kr` is 000_afa6bd9babdf5065.txt (French embassy report on
//! Korea's AI policy), `vn` is 004_c4cc3dd447fda925.txt.

use aikg::query::{self, Answer};
use aikg::reason::{self, Reasoning, RuleSet};
use aikg::store::{self, Sources};
use assert_cmd::Command;
use oxigraph::model::{GraphName, NamedNode, Quad, Term};
use oxigraph::store::Store;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

const INFERRED: &str = "https://w3id.org/aikg/inferred";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The checkout's files (as competency.rs reads them), with `reasoning`.
fn sources(reasoning: Reasoning) -> Sources {
    Sources::from_dir(&root())
        .unwrap()
        .with_reasoning(reasoning)
}

/// The store users get (reasoning rl, the default), and one without reasoning.
fn reasoned() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| store::open(None, &sources(Reasoning::Default)).unwrap())
}

fn stated() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| store::open(None, &sources(Reasoning::Rules(RuleSet::NONE))).unwrap())
}

fn show(term: &Term) -> String {
    match term {
        Term::Literal(l) => l.value().to_string(),
        other => query::display_term(other),
    }
}

/// The rows of a SELECT, each as its values joined by spaces.
fn rows(store: &Store, sparql: &str) -> BTreeSet<String> {
    let q = query::Query::parse(sparql, "test").unwrap();
    let Answer::Solutions { variables, rows } = query::evaluate(store, &q, &[]).unwrap() else {
        panic!("not a SELECT")
    };
    rows.iter()
        .map(|r| {
            variables
                .iter()
                .map(|v| r.get(v).map(show).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn ask(store: &Store, sparql: &str) -> bool {
    let q = query::Query::parse(sparql, "test").unwrap();
    match query::evaluate(store, &q, &[]).unwrap() {
        Answer::Boolean(b) => b,
        _ => panic!("not an ASK"),
    }
}

fn has(set: &BTreeSet<String>, value: &str) -> bool {
    set.contains(value)
}

#[test]
fn every_organisation_in_korea_without_a_property_path() {
    let q = "SELECT ?o WHERE { ?o a aikg:Organization ; aikg:locatedIn id:Korea }";
    let with = rows(reasoned(), q);
    // kr II: "L'Electronics and Telecommunications Research Institute (ETRI), situé à Daejeon"
    // (ETRI is a research institute; Daejeon is in the Republic of Korea, same passage).
    assert!(has(&with, "id:ETRI"), "{with:?}");
    // kr II: "Le Korea Institute of Machinery & Materials (KIMM), basé à Daejeon".
    assert!(has(&with, "id:KIMM"));
    // kr III.3: "La première journée s’est tenue au KAIST à Daejeon".
    assert!(has(&with, "id:KAIST"));
    // kr I.2: "l’AI Safety Research Institute à Pangyo, dans la banlieue de Séoul".
    assert!(has(&with, "id:AI-Safety-Research-Institute"));
    // Inria is French: not in Korea.
    assert!(!has(&with, "id:Inria"));
    // Without reasoning the same query finds none of them: ETRI is stated in
    // Daejeon, not in Korea, and as a research institute, not an organisation.
    let without = rows(stated(), q);
    for o in [
        "id:ETRI",
        "id:KIMM",
        "id:KAIST",
        "id:AI-Safety-Research-Institute",
    ] {
        assert!(!has(&without, o), "{o} without reasoning");
    }
}

#[test]
fn everything_inria_and_etri_partner_with_in_either_direction() {
    // kr III.3: "Inria entretient également des relations privilégiées avec le Korea
    // Institute of Science and Technology Information (KISTI)." (stated Inria → KISTI).
    let q = "SELECT ?x WHERE { ?x aikg:partnersWith id:Inria }";
    assert_eq!(
        rows(reasoned(), q),
        BTreeSet::from(["id:KISTI".to_string()])
    );
    assert!(rows(stated(), q).is_empty());
    let q = "SELECT ?x WHERE { id:KISTI aikg:partnersWith ?x }";
    assert!(has(&rows(reasoned(), q), "id:Inria"));
    assert!(!has(&rows(stated(), q), "id:Inria"));
    // kr I.2: "le MSIT, en partenariat avec l’Electronics and Telecommunications Research
    // Institute (ETRI), a lancé l’AI Safety Research Institute" (stated MSIT → ETRI).
    let q = "SELECT ?x WHERE { id:ETRI aikg:partnersWith ?x }";
    assert!(has(&rows(reasoned(), q), "id:MSIT"));
    assert!(!has(&rows(stated(), q), "id:MSIT"));
}

#[test]
fn schema_org_clients_are_answered_through_the_alignments() {
    // aikg:University ≡ schema:CollegeOrUniversity. kr III.3: "La première journée s’est
    // tenue au KAIST à Daejeon".
    let q = "SELECT ?u WHERE { ?u a schema:CollegeOrUniversity }";
    assert!(has(&rows(reasoned(), q), "id:KAIST"));
    assert!(rows(stated(), q).is_empty());
    // aikg:ResearchInstitute ⊑ aikg:Organization ≡ schema:Organization.
    let q = "SELECT ?o WHERE { ?o a schema:Organization }";
    assert!(has(&rows(reasoned(), q), "id:ETRI"));
    assert!(rows(stated(), q).is_empty());
    // aikg:funds is the inverse of schema:funder. kr III.3: "Ce projet, financé sur la
    // période 2022-2026 par le MSIT et l’Institute of Information & Communication
    // Technology Planning & Evaluation (IITP)".
    let q = "SELECT ?funder WHERE { id:Adaptive-Personality-Project schema:funder ?funder }";
    assert_eq!(
        rows(reasoned(), q),
        BTreeSet::from(["id:IITP".to_string(), "id:MSIT".to_string()])
    );
    assert!(rows(stated(), q).is_empty());
    // A funding's funder does not "fund" the funding node itself (the
    // ontology's aikg:funder is not aligned with schema:funder for that reason).
    let q = "SELECT ?x WHERE { id:MSIT aikg:funds ?x }";
    assert!(!has(
        &rows(reasoned(), q),
        "id:Funding-Adaptive-Personality-Project"
    ));
    // aikg:locatedIn ⊑ schema:containedInPlace, and transitive.
    assert!(ask(
        reasoned(),
        "ASK { id:ETRI schema:containedInPlace id:Korea }"
    ));
    assert!(!ask(stated(), "ASK { id:ETRI schema:containedInPlace ?p }"));
}

#[test]
fn org_clients_are_answered_through_the_alignments() {
    // aikg:subOrganizationOf ⊑ org:subOrganizationOf. kr II: "Il abrite notamment trois
    // laboratoires ... l’Artificial Intelligence Computing Research Laboratory".
    let q = "SELECT ?unit WHERE { ?unit org:subOrganizationOf id:ETRI }";
    assert!(has(&rows(reasoned(), q), "id:ETRI-AI-Computing-Lab"));
    assert!(rows(stated(), q).is_empty());
    // aikg:ResearchUnit ⊑ org:OrganizationalUnit.
    let q = "SELECT ?unit WHERE { ?unit a org:OrganizationalUnit }";
    assert!(has(&rows(reasoned(), q), "id:ETRI-AI-Creative-Lab"));
    assert!(rows(stated(), q).is_empty());
    // aikg:partnersWith ⊑ org:linkedTo, symmetric: ETRI is linked to MSIT (kr I.2, above).
    assert!(ask(reasoned(), "ASK { id:ETRI org:linkedTo id:MSIT }"));
    assert!(!ask(stated(), "ASK { id:ETRI org:linkedTo id:MSIT }"));
}

#[test]
fn the_inferred_graph_is_apart_from_the_stated_ones() {
    let store = reasoned();
    // ETRI in Korea is inferred, in the inferred graph and in no passage.
    assert!(ask(
        store,
        &format!("ASK {{ GRAPH <{INFERRED}> {{ id:ETRI aikg:locatedIn id:Korea }} }}")
    ));
    assert!(!ask(
        store,
        &format!(
            "ASK {{ GRAPH ?g {{ id:ETRI aikg:locatedIn id:Korea }} FILTER(?g != <{INFERRED}>) }}"
        )
    ));
    // The default graph holds it, once.
    assert_eq!(
        rows(
            store,
            "SELECT (COUNT(*) AS ?n) WHERE { id:ETRI aikg:locatedIn id:Korea }"
        ),
        BTreeSet::from(["1".to_string()])
    );
    // Nothing inferred is also stated: the default graph has each triple once.
    assert!(!ask(
        store,
        &format!(
            "ASK {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{INFERRED}>) }}"
        )
    ));
    let count = |store: &Store| -> usize {
        rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            .into_iter()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let inferred: usize = rows(
        store,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}"),
    )
    .into_iter()
    .next()
    .unwrap()
    .parse()
    .unwrap();
    assert!(inferred > 1000);
    assert_eq!(count(store), count(stated()) + inferred);
    // Without reasoning there is no inferred graph to name.
    assert!(!ask(
        stated(),
        &format!("ASK {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}")
    ));
}

fn aikg() -> Command {
    let mut cmd = Command::cargo_bin("aikg").unwrap();
    cmd.current_dir(root()).args(["--data", "."]);
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_user_turns_reasoning_off_and_the_answer_holds_nothing_inferred() {
    let q = "SELECT ?x WHERE { ?x aikg:partnersWith id:Inria }";
    let on = stdout(aikg().args(["query", q, "--format", "csv"]));
    assert!(on.contains("KISTI"), "{on}");
    let off = stdout(aikg().args(["--reasoning", "none", "query", q, "--format", "csv"]));
    assert_eq!(off.trim(), "x");
    // Not in the default graph, not as a named graph: the answer is the stated graph.
    let all = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g";
    let off_graphs =
        stdout(aikg().args(["--reasoning", "none", "query", graphs, "--format", "csv"]));
    assert!(!off_graphs.contains(INFERRED));
    assert!(stdout(aikg().args(["query", graphs, "--format", "csv"])).contains(INFERRED));
    let stated_count =
        stdout(aikg().args(["--reasoning", "none", "query", all, "--format", "csv"]));
    let q = query::Query::parse(all, "t").unwrap();
    let Answer::Solutions { rows, .. } = query::evaluate(stated(), &q, &[]).unwrap() else {
        panic!()
    };
    assert_eq!(
        stated_count.lines().nth(1).unwrap(),
        show(rows[0].get("n").unwrap())
    );
    // RDFS only: types and super-properties, but no transitivity or symmetry.
    let rdfs =
        |q: &str| stdout(aikg().args(["--reasoning", "rdfs", "query", q, "--format", "csv"]));
    assert!(rdfs("ASK { id:ETRI a aikg:Organization }").contains("true"));
    assert!(rdfs("ASK { id:ETRI aikg:locatedIn id:Korea }").contains("false"));
    assert!(rdfs("ASK { id:KISTI aikg:partnersWith id:Inria }").contains("false"));
    // Each family can be switched off: domain and range type things from use.
    let output = aikg()
        .args([
            "--reasoning",
            "rl,-domain,-range",
            "infer",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["rules"], "rl,-domain,-range");
    let rules: Vec<&str> = summary["by_rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert!(
        !rules.iter().any(|r| r.contains("dom") || r.contains("rng")),
        "{rules:?}"
    );
    assert!(rules.contains(&"prp-trp"));
}

#[test]
fn an_unknown_reasoning_is_refused_with_the_names() {
    let output = aikg()
        .args(["--reasoning", "rl,-transitiv", "query", "funding"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("unknown reasoning \"transitiv\""), "{err}");
    assert!(err.contains("transitive"), "{err}");
}

#[test]
fn explain_marks_inferred_facts_with_their_proof_down_to_the_quotes() {
    let text = stdout(aikg().args(["explain", "ETRI"]));
    assert!(text.contains("Inferred (reasoning rl)"), "{text}");
    let section = &text[text.find("Inferred (reasoning rl)").unwrap()..];
    // "ETRI located in Korea: ETRI located in Daejeon + Daejeon located in Korea, locatedIn
    // is transitive", both stated in kr II: "L'Electronics and Telecommunications Research
    // Institute (ETRI), situé à Daejeon, est un acteur clé de la recherche en République de Corée".
    let fact = section
        .find("aikg:locatedIn  id:Korea")
        .expect("ETRI located in Korea is explained");
    let proof = &section[fact..];
    assert!(
        proof.contains("aikg:locatedIn is transitive (prp-trp)"),
        "{proof}"
    );
    assert!(proof.contains("aikg:locatedIn  id:Daejeon"));
    // Each premise names its passage; the quote is written once (above, with the stated facts).
    assert!(proof.contains("— src:kr-034"));
    assert!(text.contains(
        "« 1. L'Electronics and Telecommunications Research Institute (ETRI), situé à Daejeon"
    ));
    // The same in JSON: the rule, and stated premises with their passages and quotes.
    let json: serde_json::Value = serde_json::from_str(&stdout(
        aikg().args(["explain", "ETRI", "--format", "json"]),
    ))
    .unwrap();
    assert_eq!(json["reasoning"], "rl");
    let inferred = json["inferred"].as_array().unwrap();
    let fact = inferred
        .iter()
        .find(|f| {
            f["fact"]["predicate"] == "aikg:locatedIn"
                && f["fact"]["object"]
                    .as_str()
                    .unwrap()
                    .starts_with("id:Korea")
        })
        .unwrap();
    assert_eq!(fact["proof"]["rule"], "prp-trp");
    let premises = fact["proof"]["premises"].as_array().unwrap();
    let stated: Vec<&serde_json::Value> =
        premises.iter().filter(|p| p["kind"] == "stated").collect();
    assert!(stated.len() >= 2);
    for p in &stated {
        let sources = p["sources"].as_array().unwrap();
        assert!(!sources.is_empty(), "{p}");
    }
    assert!(stated.iter().any(|p| p["sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["graph"] == "https://w3id.org/aikg/source/kr-034"
            && s["quote"].as_str().unwrap().contains("situé à Daejeon"))));
    // A type from the hierarchy names the ontology's axiom.
    let typed = inferred
        .iter()
        .find(|f| {
            f["fact"]["predicate"] == "rdf:type" && f["fact"]["object"] == "aikg:Organization"
        })
        .unwrap();
    assert_eq!(typed["proof"]["rule"], "cax-sco");
    assert_eq!(
        typed["proof"]["because"],
        "aikg:ResearchInstitute rdfs:subClassOf aikg:Organization"
    );
    // Turned off: no inferred facts.
    let off = stdout(aikg().args(["--reasoning", "none", "explain", "ETRI"]));
    assert!(!off.contains("Inferred"));
    let json: serde_json::Value = serde_json::from_str(&stdout(aikg().args([
        "--reasoning",
        "none",
        "explain",
        "ETRI",
        "--format",
        "json",
    ])))
    .unwrap();
    assert!(json.get("inferred").is_none());
}

#[test]
fn check_reports_what_only_reasoning_reveals_unless_turned_off() {
    let fixture = root().join("tests/fixtures/check/transitive-cycle");
    let run = |reasoning: &str| {
        Command::cargo_bin("aikg")
            .unwrap()
            .args([
                "--reasoning",
                reasoning,
                "check",
                "--format",
                "json",
                "--data",
            ])
            .arg(&fixture)
            .output()
            .unwrap()
    };
    let on = run("rl");
    assert_eq!(on.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&on.stdout).contains("check:TransitiveCycle"));
    let off = run("none");
    assert_eq!(
        off.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&off.stdout)
    );
    // And the bundled graph is consistent with its ontology.
    let bundled = Command::cargo_bin("aikg")
        .unwrap()
        .current_dir(root())
        .args(["--data", ".", "check", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&bundled.stdout).unwrap();
    let reasoning_findings: Vec<&serde_json::Value> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            let c = r["component"].as_str().unwrap();
            c.contains("AfterInference") || c.contains("Cycle") || c.contains("Reversed")
        })
        .collect();
    assert!(reasoning_findings.is_empty(), "{reasoning_findings:?}");
}

#[test]
fn infer_lists_what_it_does_not_use_and_writes_the_inferred_triples() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("inferred.ttl");
    let text = stdout(aikg().arg("infer").arg("-o").arg(&out));
    assert!(text.starts_with("reasoning rl: "), "{text}");
    // aikg:country is an owl:FunctionalProperty: prp-fp is not implemented, and says so.
    assert!(
        text.contains("owl:FunctionalProperty (1 triple, e.g. aikg:country"),
        "{text}"
    );
    // The links to Wikidata, GeoNames and ROR are kept as links.
    assert!(text.contains("owl:sameAs to another namespace"), "{text}");
    let inferred: usize = text
        .split_whitespace()
        .nth(5)
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("{text}"));
    let parsed = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_reader(std::fs::File::open(&out).unwrap())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert_eq!(parsed.len(), inferred);
    assert!(parsed.iter().any(
        |q| q.subject.to_string() == "<https://w3id.org/aikg/id/ETRI>"
            && q.predicate.as_str() == "https://w3id.org/aikg/ontology#locatedIn"
            && q.object.to_string() == "<https://w3id.org/aikg/id/Korea>"
    ));
}

/// Every bundled file, for `aikg load`.
fn bundled_files() -> Vec<PathBuf> {
    let mut files = vec![root().join("ontology/aikg.ttl")];
    for dir in ["data", "data/links"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "trig" || e == "ttl"))
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

/// `aikg` run from the checkout, on whatever --store it is given.
fn plain() -> Command {
    let mut cmd = Command::cargo_bin("aikg").unwrap();
    cmd.current_dir(root());
    cmd
}

/// `aikg load --store STORE FILES`, which must succeed: its stderr.
fn load(store: &std::path::Path, files: &[PathBuf]) -> String {
    let output = plain()
        .arg("load")
        .arg("--store")
        .arg(store)
        .args(files)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.success(), "{err}");
    err
}

#[test]
fn a_persistent_store_is_materialised_at_load_and_recomputed_by_infer() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kg");
    let err = load(&store, &bundled_files());
    assert!(err.contains("(reasoning rl)"), "{err}");
    let ask = |args: &[&str], q: &str| -> String {
        let output = plain()
            .args(args)
            .arg("query")
            .arg("--store")
            .arg(&store)
            .arg(q)
            .output()
            .unwrap();
        if output.status.success() {
            String::from_utf8_lossy(&output.stdout).trim().to_string()
        } else {
            format!(
                "exit {:?}: {}",
                output.status.code(),
                String::from_utf8_lossy(&output.stderr)
            )
        }
    };
    let etri_in_korea = "ASK { id:ETRI aikg:locatedIn id:Korea }";
    assert_eq!(ask(&[], etri_in_korea), "true");
    assert_eq!(ask(&["--reasoning", "rl"], etri_in_korea), "true");
    assert_eq!(ask(&["--reasoning", "none"], etri_in_korea), "false");
    // The stated quads are as loaded: --reasoning none sees what was loaded.
    assert_eq!(
        ask(
            &["--reasoning", "none"],
            "ASK { id:ETRI aikg:locatedIn id:Daejeon }"
        ),
        "true"
    );
    // Other rules than the store's: refused, with how to recompute.
    let refused = ask(&["--reasoning", "rdfs"], etri_in_korea);
    assert!(refused.starts_with("exit Some(2)"), "{refused}");
    assert!(
        refused.contains("aikg infer --store DIR --reasoning rdfs"),
        "{refused}"
    );
    // Recompute with RDFS only.
    let output = plain()
        .args(["--reasoning", "rdfs", "infer", "--store"])
        .arg(&store)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("reasoning rdfs: "));
    assert_eq!(ask(&[], etri_in_korea), "false");
    assert_eq!(ask(&[], "ASK { id:ETRI a aikg:Organization }"), "true");
    assert_eq!(
        ask(
            &["--reasoning", "rdfs"],
            "ASK { id:ETRI a aikg:Organization }"
        ),
        "true"
    );
    // A later load keeps the store's rules.
    let extra = dir.path().join("extra.ttl");
    std::fs::write(
        &extra,
        "<https://w3id.org/aikg/id/New-Lab> <https://w3id.org/aikg/ontology#locatedIn> <https://w3id.org/aikg/id/Daejeon> .\n\
         <https://w3id.org/aikg/id/New-Lab> a <https://w3id.org/aikg/ontology#ResearchUnit> .\n",
    )
    .unwrap();
    assert!(load(&store, &[extra]).contains("(reasoning rdfs)"));
    assert_eq!(
        ask(&[], "ASK { id:New-Lab a org:OrganizationalUnit }"),
        "true"
    );
    // explain on the store shows its inferred facts.
    let output = plain()
        .args(["explain", "ETRI", "--store"])
        .arg(&store)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Inferred (reasoning rdfs)"), "{text}");
    // Turned off at infer: nothing inferred, and recorded so.
    let output = plain()
        .args(["--reasoning", "none", "infer", "--store"])
        .arg(&store)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(ask(&[], "ASK { id:ETRI a aikg:Organization }"), "false");
}

#[test]
fn after_a_write_the_library_call_recomputes_the_inferred_graph() {
    // What a server does after a Graph Store or UPDATE request.
    let store = store::open(None, &sources(Reasoning::Default)).unwrap();
    let new_lab = NamedNode::new("https://w3id.org/aikg/id/New-Lab").unwrap();
    let located = NamedNode::new("https://w3id.org/aikg/ontology#locatedIn").unwrap();
    let daejeon = NamedNode::new("https://w3id.org/aikg/id/Daejeon").unwrap();
    let passage = GraphName::from(NamedNode::new("https://w3id.org/aikg/source/test").unwrap());
    let merged = GraphName::from(NamedNode::new(store::MERGED_GRAPH).unwrap());
    for graph in [passage, merged] {
        store
            .insert(&Quad::new(
                new_lab.clone(),
                located.clone(),
                daejeon.clone(),
                graph,
            ))
            .unwrap();
    }
    let in_korea = "ASK { id:New-Lab aikg:locatedIn id:Korea }";
    assert!(!ask(&store, in_korea), "not yet recomputed");
    let summary = reason::materialise_store(&store, RuleSet::RL).unwrap();
    assert!(summary.inferred > 0);
    assert!(ask(&store, in_korea));
    // Removed again: its consequences go with it.
    store
        .remove_named_graph(
            NamedNode::new("https://w3id.org/aikg/source/test")
                .unwrap()
                .as_ref(),
        )
        .unwrap();
    store
        .remove(&Quad::new(
            new_lab,
            located,
            daejeon,
            GraphName::from(NamedNode::new(store::MERGED_GRAPH).unwrap()),
        ))
        .unwrap();
    reason::materialise_store(&store, RuleSet::RL).unwrap();
    assert!(!ask(&store, in_korea));
}

/// The quads of a store's inferred graph, as N-Triples lines, sorted.
fn inferred_of(store: &Store) -> BTreeSet<String> {
    let graph = NamedNode::new(reason::INFERRED_GRAPH).unwrap();
    store
        .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
        .map(|q| {
            let q = q.unwrap();
            format!("{} {} {}", q.subject, q.predicate, q.object)
        })
        .collect()
}

#[test]
fn after_an_insert_the_incremental_update_equals_a_full_recompute() {
    // What a server does after a Graph Store or UPDATE request that adds
    // triples: the inferred graph brought up to date without reading the
    // store back, compared with a recompute from everything.
    let aikg_term = |local: &str| NamedNode::new(format!("https://w3id.org/aikg/{local}")).unwrap();
    let passage = GraphName::from(aikg_term("source/test"));
    let merged = GraphName::from(NamedNode::new(store::MERGED_GRAPH).unwrap());
    let both = |s: &str, p: &str, o: &str| -> Vec<Quad> {
        [passage.clone(), merged.clone()]
            .into_iter()
            .map(|g| Quad::new(aikg_term(s), aikg_term(p), aikg_term(o), g))
            .collect()
    };
    // Instance triples: a new lab in Daejeon (transitive locatedIn, domain
    // and range), a partnership from it to Inria (symmetric partnersWith), and
    // a fact stated now that was inferred before (ETRI in Korea).
    let instance: Vec<Quad> = [
        both("id/New-Lab", "ontology#locatedIn", "id/Daejeon"),
        both("id/New-Lab", "ontology#partnersWith", "id/Inria"),
        both("id/ETRI", "ontology#locatedIn", "id/Korea"),
    ]
    .concat();
    // An axiom: a new sub-property of partnersWith (the schema changes).
    let axiom = vec![Quad::new(
        aikg_term("ontology#coAuthorsWith"),
        NamedNode::new("http://www.w3.org/2000/01/rdf-schema#subPropertyOf").unwrap(),
        aikg_term("ontology#partnersWith"),
        merged.clone(),
    )];
    let axiom_use = both("id/New-Lab", "ontology#coAuthorsWith", "id/KAIST");
    for added in [instance, [axiom, axiom_use].concat()] {
        let incremental = store::open(None, &sources(Reasoning::Default)).unwrap();
        let before = inferred_of(&incremental);
        incremental.extend(added.clone()).unwrap();
        let summary =
            reason::incremental::after_insert(&incremental, &added, Reasoning::Default).unwrap();
        assert!(summary.inferred > 0, "{summary:?}");
        let updated = inferred_of(&incremental);
        assert_ne!(before, updated);
        reason::materialise_store(&incremental, RuleSet::RL).unwrap();
        let full = inferred_of(&incremental);
        assert!(
            updated == full,
            "the incremental update differs from the recompute:\n  only incremental: {:?}\n  only recompute: {:?}",
            updated.difference(&full).collect::<Vec<_>>(),
            full.difference(&updated).collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_second_load_adds_what_it_implies_as_a_recompute_would() {
    // `aikg load` into a store already materialised: the inferred triples of
    // the new data go into the same bulk load; `aikg infer --store` then
    // finds nothing to change.
    let dir = tempfile::tempdir().unwrap();
    let kg = dir.path().join("kg");
    let files = bundled_files();
    let (first, second) = files.split_at(files.len() / 2);
    let extra = dir.path().join("extra.ttl");
    std::fs::write(
        &extra,
        "<https://w3id.org/aikg/id/New-Lab> <https://w3id.org/aikg/ontology#locatedIn> <https://w3id.org/aikg/id/Daejeon> .\n\
         <https://w3id.org/aikg/id/New-Lab> <https://w3id.org/aikg/ontology#partnersWith> <https://w3id.org/aikg/id/Inria> .\n",
    )
    .unwrap();
    for part in [first.to_vec(), second.to_vec(), vec![extra]] {
        load(&kg, &part);
    }
    let loaded = inferred_of(&Store::open(&kg).unwrap());
    assert!(loaded.contains(
        "<https://w3id.org/aikg/id/New-Lab> <https://w3id.org/aikg/ontology#locatedIn> <https://w3id.org/aikg/id/Korea>"
    ));
    let output = plain()
        .args(["infer", "--store"])
        .arg(&kg)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(loaded, inferred_of(&Store::open(&kg).unwrap()));
}
