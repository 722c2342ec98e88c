//! `aikg serve` over HTTP: the SPARQL 1.1 Protocol (every format parsed
//! back, q-values, errors with positions, 406/415, the service description),
//! named queries, the Graph Store Protocol and UPDATE behind the token and
//! the write gate, the limits, CORS and shutdown. Each test starts its own
//! server on a free loopback port.

#[path = "support/server.rs"]
mod server;

use oxhttp::model::Method;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use server::{encode, Server};
use std::collections::{BTreeSet, HashSet};
use std::time::{Duration, Instant};

const UNIVERSITIES: &str = "SELECT ?u ?label WHERE { ?u a aikg:University ; rdfs:label ?label FILTER(LANG(?label) = \"en\") }";
const CONSTRUCT: &str = "CONSTRUCT { ?u rdfs:label ?label ; a aikg:University } WHERE { ?u a aikg:University ; rdfs:label ?label }";

/// The rows of a SPARQL results document, as sorted strings.
fn rows(format: QueryResultsFormat, bytes: &[u8]) -> BTreeSet<String> {
    match QueryResultsParser::from_format(format)
        .for_slice(bytes)
        .unwrap()
    {
        SliceQueryResultsParserOutput::Solutions(solutions) => solutions
            .map(|s| {
                let s = s.unwrap();
                s.iter()
                    .map(|(v, t)| format!("{v}={t}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect(),
        SliceQueryResultsParserOutput::Boolean(b) => [b.to_string()].into(),
    }
}

fn triples(format: RdfFormat, bytes: &[u8]) -> HashSet<Triple> {
    RdfParser::from_format(format)
        .for_slice(bytes)
        .map(|q| Triple::from(q.unwrap()))
        .collect()
}

/// The same query through the library, for the expected rows.
fn expected_rows(query: &str) -> BTreeSet<String> {
    let store =
        aikg::store::in_memory(&aikg::store::Sources::bundled().read_quads().unwrap()).unwrap();
    let query = aikg::query::Query::parse(query, "test").unwrap();
    match aikg::query::evaluate(&store, &query, &[]).unwrap() {
        aikg::query::Answer::Solutions { rows, .. } => rows
            .iter()
            .map(|s| {
                s.iter()
                    .map(|(v, t)| format!("{v}={t}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect(),
        _ => panic!("a SELECT"),
    }
}

#[test]
fn select_in_every_results_format_parses_back_with_the_library_rows() {
    let server = Server::start(&[]);
    let expected = expected_rows(UNIVERSITIES);
    assert!(expected.len() >= 10, "{expected:?}");
    let path = format!("/sparql?query={}", encode(UNIVERSITIES));
    for (accept, format) in [
        ("application/sparql-results+json", QueryResultsFormat::Json),
        ("application/sparql-results+xml", QueryResultsFormat::Xml),
        ("text/tab-separated-values", QueryResultsFormat::Tsv),
    ] {
        let reply = server.get(&path, &[("Accept", accept)]);
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert!(reply.header("content-type").unwrap().starts_with(accept));
        assert_eq!(rows(format, &reply.body), expected, "{accept}");
    }
    // CSV (lossy by the W3C's design): one line per row plus the header.
    let csv = server.get(&path, &[("Accept", "text/csv")]);
    assert_eq!(csv.status, 200);
    let text = csv.text();
    assert_eq!(text.lines().next(), Some("u,label"));
    assert_eq!(text.lines().count(), expected.len() + 1);
    assert!(text.contains("https://w3id.org/aikg/id/KAIST,KAIST"));
    // POST, form and direct, give the same.
    let form = server.request(
        Method::POST,
        "/sparql",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "application/sparql-results+json"),
        ],
        Some(format!("query={}", encode(UNIVERSITIES)).into_bytes()),
    );
    assert_eq!(rows(QueryResultsFormat::Json, &form.body), expected);
    let direct = server.request(
        Method::POST,
        "/sparql",
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "application/sparql-results+xml"),
        ],
        Some(UNIVERSITIES.as_bytes().to_vec()),
    );
    assert_eq!(rows(QueryResultsFormat::Xml, &direct.body), expected);
    // ASK
    let ask = server.get(
        &format!(
            "/sparql?query={}",
            encode("ASK { id:KAIST aikg:locatedIn id:Daejeon }")
        ),
        &[("Accept", "application/sparql-results+json")],
    );
    assert_eq!(
        rows(QueryResultsFormat::Json, &ask.body),
        ["true".to_string()].into()
    );
}

#[test]
fn construct_in_every_graph_format_parses_back() {
    let server = Server::start(&[]);
    let path = format!("/sparql?query={}", encode(CONSTRUCT));
    let turtle = server.get(&path, &[("Accept", "text/turtle")]);
    assert_eq!(turtle.status, 200, "{}", turtle.text());
    let expected = triples(RdfFormat::Turtle, &turtle.body);
    assert!(expected.len() >= 24, "{}", turtle.text());
    for (accept, format) in [
        ("application/n-triples", RdfFormat::NTriples),
        (
            "application/ld+json",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
        ("application/rdf+xml", RdfFormat::RdfXml),
        ("application/trig", RdfFormat::TriG),
        ("application/n-quads", RdfFormat::NQuads),
    ] {
        let reply = server.get(&path, &[("Accept", accept)]);
        assert_eq!(reply.status, 200, "{accept}: {}", reply.text());
        assert!(reply.header("content-type").unwrap().starts_with(accept));
        assert_eq!(triples(format, &reply.body), expected, "{accept}");
    }
}

#[test]
fn accept_q_values_and_the_format_parameter_choose_the_format() {
    let server = Server::start(&[]);
    let path = format!("/sparql?query={}", encode(UNIVERSITIES));
    let content_type = |accept: &str| {
        let reply = server.get(&path, &[("Accept", accept)]);
        assert_eq!(reply.status, 200, "{accept}: {}", reply.text());
        reply.header("content-type").unwrap().to_string()
    };
    assert!(
        content_type("application/sparql-results+xml;q=0.5, text/csv;q=0.9")
            .starts_with("text/csv")
    );
    assert!(
        content_type("text/*;q=0.8, application/sparql-results+xml;q=0.4").starts_with("text/csv")
    );
    // The most specific range gives the quality: text/csv refused, TSV is the text/* left.
    assert!(content_type("text/*, text/csv;q=0").starts_with("text/tab-separated-values"));
    assert!(content_type("*/*").starts_with("application/sparql-results+json"));
    // Equal qualities: the client's order.
    assert!(
        content_type("application/sparql-results+xml, application/sparql-results+json")
            .starts_with("application/sparql-results+xml")
    );
    // format= wins over Accept.
    let reply = server.get(&format!("{path}&format=tsv"), &[("Accept", "text/csv")]);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("text/tab-separated-values"));
    let reply = server.get(&format!("{path}&format=yaml"), &[]);
    assert_eq!(reply.status, 400);
    assert!(reply.text().contains("hint:"), "{}", reply.text());
}

#[test]
fn syntax_errors_are_400_with_the_position_and_the_cli_message() {
    let server = Server::start(&[]);
    let bad = "SELECT ?s WHERE {\n  ?s ?p \n}";
    let reply = server.get(&format!("/sparql?query={}", encode(bad)), &[]);
    assert_eq!(reply.status, 400);
    let cli = std::process::Command::new(server::aikg_binary())
        .args(["query", bad])
        .output()
        .unwrap();
    let cli_message = String::from_utf8_lossy(&cli.stderr);
    // Same position and message: the origin differs (query, <argument>).
    let position_and_message = |text: &str| {
        text.lines()
            .next()
            .and_then(|l| {
                l.split_once(": SPARQL syntax error: ").map(|(p, m)| {
                    (
                        p.rsplit(':').take(2).map(String::from).collect::<Vec<_>>(),
                        m.to_string(),
                    )
                })
            })
            .unwrap_or_else(|| panic!("no position in {text}"))
    };
    assert_eq!(
        position_and_message(&reply.text()),
        position_and_message(cli_message.trim_start_matches("error: "))
    );
    assert!(reply.text().starts_with("query:3:"), "{}", reply.text());
}

#[test]
fn not_acceptable_unsupported_and_wrong_methods() {
    let server = Server::start(&[]);
    let path = format!("/sparql?query={}", encode(UNIVERSITIES));
    let reply = server.get(&path, &[("Accept", "image/png")]);
    assert_eq!(reply.status, 406);
    assert!(reply.text().contains("application/sparql-results+json"));
    // A table asked of a graph query.
    let reply = server.get(
        &format!("/sparql?query={}", encode(CONSTRUCT)),
        &[("Accept", "text/csv")],
    );
    assert_eq!(reply.status, 406);
    let reply = server.request(
        Method::POST,
        "/sparql",
        &[("Content-Type", "text/plain")],
        Some(UNIVERSITIES.as_bytes().to_vec()),
    );
    assert_eq!(reply.status, 415);
    assert!(reply.text().contains("application/sparql-query"));
    let reply = server.request(Method::DELETE, "/sparql", &[], None);
    assert_eq!(reply.status, 405);
    assert!(reply.header("allow").unwrap().contains("POST"));
    assert_eq!(server.get("/nothing-here", &[]).status, 404);
}

#[test]
fn service_description_parses_as_turtle() {
    let server = Server::start(&[]);
    let reply = server.get("/sparql", &[]);
    assert_eq!(reply.status, 200);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("text/turtle"));
    let graph = triples(RdfFormat::Turtle, &reply.body);
    let sd = "http://www.w3.org/ns/sparql-service-description#";
    let has = |p: &str, o: &str| {
        graph
            .iter()
            .any(|t| t.predicate.as_str() == format!("{sd}{p}") && t.object.to_string() == o)
    };
    assert!(has("endpoint", &format!("<{}/sparql>", server.base)));
    assert!(has("supportedLanguage", &format!("<{sd}SPARQL11Query>")));
    assert!(
        !has("supportedLanguage", &format!("<{sd}SPARQL11Update>")),
        "read-only"
    );
    assert!(has(
        "resultFormat",
        "<http://www.w3.org/ns/formats/SPARQL_Results_CSV>"
    ));
}

#[test]
fn protocol_dataset_replaces_the_default_graph() {
    let server = Server::start(&[]);
    let passage = "https://w3id.org/aikg/source/kr-011";
    let count = |extra: &str| {
        let reply = server.get(
            &format!(
                "/sparql?query={}{extra}",
                encode("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            ),
            &[("Accept", "text/csv")],
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.text().lines().nth(1).unwrap().parse::<u64>().unwrap()
    };
    let all = count("");
    let one = count(&format!("&default-graph-uri={}", encode(passage)));
    assert!(one > 5 && one < all / 10, "{one} of {all}");
    let reply = server.get(
        &format!(
            "/sparql?query={}&named-graph-uri={}",
            encode("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"),
            encode(passage)
        ),
        &[("Accept", "text/csv")],
    );
    assert_eq!(reply.text(), format!("g\r\n{passage}\r\n"));
}

#[test]
fn named_queries_are_listed_and_run_with_the_cli_binding() {
    let server = Server::start(&[]);
    let list: serde_json::Value =
        serde_json::from_slice(&server.get("/queries", &[]).body).unwrap();
    let located = list
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "located-in")
        .unwrap();
    assert_eq!(located["params"][0]["name"], "place");
    assert_eq!(located["params"][0]["type"], "entity");
    assert_eq!(located["params"][0]["optional"], false);
    let reply = server.get(
        "/queries/located-in?place=Daejeon",
        &[("Accept", "text/csv")],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let entities: BTreeSet<&str> = reply
        .text()
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1))
        .map(|e| e.trim_start_matches("https://w3id.org/aikg/id/"))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|s| Box::leak(s.to_string().into_boxed_str()) as &str)
        .collect();
    assert_eq!(
        entities,
        ["ETRI", "KAIST", "KIMM", "Workshop-2024-Day-1"].into()
    );
    // The CLI's checks: a value of the wrong type, a missing parameter, an unknown one.
    let reply = server.get("/queries/in-month?month=2024-13", &[]);
    assert_eq!(reply.status, 400);
    assert!(
        reply.text().contains("not a valid gYearMonth"),
        "{}",
        reply.text()
    );
    let reply = server.get("/queries/located-in", &[]);
    assert_eq!(reply.status, 400);
    assert!(
        reply.text().contains("needs the parameter `place`"),
        "{}",
        reply.text()
    );
    let reply = server.get("/queries/located-in?place=Daejeon&colour=red", &[]);
    assert_eq!(reply.status, 400);
    let reply = server.get("/queries/located-inn", &[]);
    assert_eq!(reply.status, 404);
    assert!(
        reply.text().contains("did you mean located-in"),
        "{}",
        reply.text()
    );
    // Another query than the named one's text is refused.
    let reply = server.get(
        &format!("/queries/funds?query={}", encode(UNIVERSITIES)),
        &[],
    );
    assert_eq!(reply.status, 400);
}

fn token_server(extra: &[&str]) -> (Server, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let token = "s3cr3t-t0ken-for-the-tests-0123456789";
    let file = dir.path().join("token");
    std::fs::write(&file, format!("{token}\n")).unwrap();
    let mut args = vec!["--update-token-file", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    (Server::start(&args), format!("Bearer {token}"), dir)
}

#[test]
fn graph_store_round_trip_with_the_token() {
    let (server, auth, _dir) = token_server(&[]);
    let graph = format!("/store?graph={}", encode("https://example.org/g1"));
    let body = "<https://example.org/a> <https://example.org/p> \"one\" , \"two\" .\n_:b <https://example.org/p> <https://example.org/a> .\n";
    let put = server.request(
        Method::PUT,
        &graph,
        &[("Authorization", &auth), ("Content-Type", "text/turtle")],
        Some(body.as_bytes().to_vec()),
    );
    assert_eq!(put.status, 201, "{}", put.text());
    let got = server.get(&graph, &[("Accept", "application/n-triples")]);
    assert_eq!(got.status, 200);
    let triples_back = triples(RdfFormat::NTriples, &got.body);
    assert_eq!(triples_back.len(), 3, "{}", got.text());
    // The cache does not keep answers across writes.
    let ask = format!(
        "/sparql?query={}",
        encode("ASK { <https://example.org/a> <https://example.org/p> \"three\" }")
    );
    assert!(server
        .get(&ask, &[("Accept", "text/csv")])
        .text()
        .contains("false"));
    let post = server.request(
        Method::POST,
        &graph,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/n-triples"),
        ],
        Some(b"<https://example.org/a> <https://example.org/p> \"three\" .\n".to_vec()),
    );
    assert_eq!(post.status, 204, "{}", post.text());
    assert!(server
        .get(&ask, &[("Accept", "text/csv")])
        .text()
        .contains("true"));
    assert_eq!(
        triples(RdfFormat::Turtle, &server.get(&graph, &[]).body).len(),
        4
    );
    // PUT replaces.
    let put = server.request(
        Method::PUT,
        &graph,
        &[("Authorization", &auth), ("Content-Type", "text/turtle")],
        Some(b"<https://example.org/a> <https://example.org/p> \"only\" .".to_vec()),
    );
    assert_eq!(put.status, 204);
    assert_eq!(
        triples(RdfFormat::Turtle, &server.get(&graph, &[]).body).len(),
        1
    );
    let delete = server.request(Method::DELETE, &graph, &[("Authorization", &auth)], None);
    assert_eq!(delete.status, 204);
    assert_eq!(server.get(&graph, &[]).status, 404);
    assert_eq!(
        server
            .request(Method::DELETE, &graph, &[("Authorization", &auth)], None)
            .status,
        404
    );
    // A body the server cannot read: 415, and 400 with the position.
    let reply = server.request(
        Method::PUT,
        &graph,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/pdf"),
        ],
        Some(b"%PDF".to_vec()),
    );
    assert_eq!(reply.status, 415);
    let reply = server.request(
        Method::PUT,
        &graph,
        &[("Authorization", &auth), ("Content-Type", "text/turtle")],
        Some(b"<https://example.org/a> <https://example.org/p>\n  \"unterminated .".to_vec()),
    );
    assert_eq!(reply.status, 400);
    assert!(
        reply.text().starts_with("request body:2:"),
        "{}",
        reply.text()
    );
    // UPDATE under the same token.
    let update = server.request(
        Method::POST,
        "/update",
        &[("Authorization", &auth), ("Content-Type", "application/sparql-update")],
        Some(b"INSERT DATA { GRAPH <https://example.org/g2> { <https://example.org/x> <https://example.org/p> 1 } }".to_vec()),
    );
    assert_eq!(update.status, 204, "{}", update.text());
    let got = server.get(
        &format!("/store?graph={}", encode("https://example.org/g2")),
        &[],
    );
    assert_eq!(triples(RdfFormat::Turtle, &got.body).len(), 1);
    let reply = server.request(
        Method::POST,
        "/update",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/sparql-update"),
        ],
        Some(b"INSERT DATA { <x> }".to_vec()),
    );
    assert_eq!(reply.status, 400);
    assert!(reply.text().starts_with("update:1:"), "{}", reply.text());
}

#[test]
fn writes_need_the_token_read_only_says_so() {
    let server = Server::start(&[]);
    let graph = format!("/store?graph={}", encode("https://example.org/g"));
    let reply = server.request(
        Method::PUT,
        &graph,
        &[("Content-Type", "text/turtle")],
        Some(b"<a:b> <a:c> <a:d> .".to_vec()),
    );
    assert_eq!(reply.status, 403);
    assert!(reply.text().contains("read-only") && reply.text().contains("--update-token-file"));
    assert_eq!(
        server
            .request(
                Method::POST,
                "/update",
                &[("Content-Type", "application/sparql-update")],
                Some(b"CLEAR ALL".to_vec())
            )
            .status,
        403
    );
    drop(server);
    let (server, auth, _dir) = token_server(&[]);
    for headers in [
        vec![("Content-Type", "text/turtle")],
        vec![
            ("Content-Type", "text/turtle"),
            ("Authorization", "Bearer wrong-token-0000000000"),
        ],
    ] {
        let reply = server.request(
            Method::PUT,
            &graph,
            &headers,
            Some(b"<a:b> <a:c> <a:d> .".to_vec()),
        );
        assert_eq!(reply.status, 401, "{}", reply.text());
        assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    }
    let reply = server.request(
        Method::POST,
        "/update",
        &[
            ("Content-Type", "application/sparql-update"),
            ("Authorization", "Bearer nope"),
        ],
        Some(b"CLEAR ALL".to_vec()),
    );
    assert_eq!(reply.status, 401);
    // The right token gets through (a write the gate accepts).
    let reply = server.request(
        Method::PUT,
        &graph,
        &[("Content-Type", "text/turtle"), ("Authorization", &auth)],
        Some(b"<a:b> <a:c> <a:d> .".to_vec()),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
}

#[test]
fn a_violating_write_is_422_with_a_located_report_and_changes_nothing() {
    let (server, auth, _dir) = token_server(&[]);
    let passage = format!(
        "/store?graph={}",
        encode("https://w3id.org/aikg/source/kr-011")
    );
    let before = server.get(&passage, &[("Accept", "application/n-triples")]);
    assert_eq!(before.status, 200);
    let everything = format!(
        "/sparql?query={}",
        encode("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    );
    let count_before = server.get(&everything, &[("Accept", "text/csv")]).text();
    let bad = "@prefix aikg: <https://w3id.org/aikg/ontology#> .\n\
               @prefix id: <https://w3id.org/aikg/id/> .\n\
               @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\
               id:Funding-K-Cloud aikg:amount \"-5\"^^xsd:decimal .\n";
    for method in [Method::PUT, Method::POST] {
        let reply = server.request(
            method.clone(),
            &passage,
            &[("Authorization", &auth), ("Content-Type", "text/turtle")],
            Some(bad.as_bytes().to_vec()),
        );
        assert_eq!(reply.status, 422, "{method}: {}", reply.text());
        let report = reply.text();
        assert!(report.contains("nothing was changed"), "{report}");
        assert!(report.contains("request body:4:"), "{report}");
        assert!(report.contains("violation"), "{report}");
    }
    // The same report as JSON, on request.
    let reply = server.request(
        Method::POST,
        &passage,
        &[
            ("Authorization", &auth),
            ("Content-Type", "text/turtle"),
            ("Accept", "application/json"),
        ],
        Some(bad.as_bytes().to_vec()),
    );
    assert_eq!(reply.status, 422);
    let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    assert!(json.to_string().contains("MinExclusive"), "{json}");
    let update = server.request(
        Method::POST,
        "/update",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/sparql-update"),
        ],
        Some(b"INSERT DATA { GRAPH src:kr-011 { id:Funding-K-Cloud aikg:amount -5.0 } }".to_vec()),
    );
    assert_eq!(update.status, 422, "{}", update.text());
    assert!(update.text().contains("the update"), "{}", update.text());
    // Nothing changed.
    let after = server.get(&passage, &[("Accept", "application/n-triples")]);
    assert_eq!(
        triples(RdfFormat::NTriples, &after.body),
        triples(RdfFormat::NTriples, &before.body)
    );
    assert_eq!(
        server.get(&everything, &[("Accept", "text/csv")]).text(),
        count_before
    );
    // A fact the ontology and shapes accept goes in, and queries see it.
    let good = "@prefix aikg: <https://w3id.org/aikg/ontology#> .\n\
                @prefix id: <https://w3id.org/aikg/id/> .\n\
                id:K-Cloud aikg:objective \"objectif ajouté par un test\"@fr .\n";
    let reply = server.request(
        Method::POST,
        &passage,
        &[("Authorization", &auth), ("Content-Type", "text/turtle")],
        Some(good.as_bytes().to_vec()),
    );
    assert_eq!(reply.status, 204, "{}", reply.text());
    let seen = server.get(
        &format!(
            "/sparql?query={}",
            encode("ASK { id:K-Cloud aikg:objective \"objectif ajouté par un test\"@fr }")
        ),
        &[("Accept", "text/csv")],
    );
    assert!(seen.text().contains("true"), "{}", seen.text());
    // The merged graph and the ontology graph are not writable.
    let reply = server.request(
        Method::PUT,
        &format!("/store?graph={}", encode("https://w3id.org/aikg/merged")),
        &[("Authorization", &auth), ("Content-Type", "text/turtle")],
        Some(b"<a:b> <a:c> <a:d> .".to_vec()),
    );
    assert_eq!(reply.status, 403);
}

#[test]
fn size_limits_row_cap_and_cors() {
    let server = Server::start(&[
        "--max-query-string",
        "300",
        "--max-body",
        "200",
        "--max-results",
        "3",
    ]);
    let long = format!(
        "/sparql?query={}",
        encode(&format!(
            "SELECT * WHERE {{ ?s ?p ?o }} # {}",
            "x".repeat(400)
        ))
    );
    assert_eq!(server.get(&long, &[]).status, 414);
    let reply = server.request(
        Method::POST,
        "/sparql",
        &[("Content-Type", "application/sparql-query")],
        Some(format!("SELECT * WHERE {{ ?s ?p ?o }} # {}", "x".repeat(400)).into_bytes()),
    );
    assert_eq!(reply.status, 413);
    let reply = server.get(&format!("/sparql?query={}", encode(UNIVERSITIES)), &[]);
    assert_eq!(reply.status, 400);
    assert!(
        reply.text().contains("more than 3 rows") && reply.text().contains("LIMIT"),
        "{}",
        reply.text()
    );
    let reply = server.get(
        &format!(
            "/sparql?query={}",
            encode(&format!("{UNIVERSITIES} LIMIT 3"))
        ),
        &[],
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    let preflight = server.request(
        Method::OPTIONS,
        "/sparql",
        &[
            ("Origin", "https://yasgui.example"),
            ("Access-Control-Request-Method", "POST"),
        ],
        None,
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    let preflight = server.request(
        Method::OPTIONS,
        "/update",
        &[("Origin", "https://yasgui.example")],
        None,
    );
    assert_eq!(preflight.header("access-control-allow-origin"), None);
}

/// Every pair of triples of the bundled graph through a filter that never
/// holds: minutes of work. (oxigraph checks its cancellation at each quad it
/// reads: here, once per triple of the outer pattern.)
const RUNAWAY: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STRLEN(CONCAT(STR(?c), STR(?f))) > 100000) }";

#[test]
fn a_full_queue_is_503_with_retry_after_and_the_timeout_cancels() {
    let server = Server::start(&[
        "--max-concurrent",
        "1",
        "--queue",
        "0",
        "--timeout",
        "2",
        "--cache-mib",
        "0",
    ]);
    let runaway = format!("/sparql?query={}", encode(RUNAWAY));
    let started = Instant::now();
    let slow = std::thread::scope(|scope| {
        let slow = scope.spawn(|| server.get(&runaway, &[]));
        std::thread::sleep(Duration::from_millis(500));
        let reply = server.get(&format!("/sparql?query={}", encode(UNIVERSITIES)), &[]);
        assert_eq!(reply.status, 503, "{}", reply.text());
        assert_eq!(reply.header("retry-after"), Some("1"));
        slow.join().unwrap()
    });
    let took = started.elapsed();
    assert_eq!(slow.status, 503, "{}", slow.text());
    assert!(
        slow.text().contains("longer than 2 s and was cancelled"),
        "{}",
        slow.text()
    );
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(5),
        "{took:?}"
    );
    // The slot is free again: the next query answers at once.
    let started = Instant::now();
    let reply = server.get(&format!("/sparql?query={}", encode(UNIVERSITIES)), &[]);
    assert_eq!(reply.status, 200);
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[test]
fn a_client_that_stops_reading_does_not_hold_its_slot() {
    use std::io::{Read, Write};
    let server = Server::start(&[
        "--max-concurrent",
        "1",
        "--io-timeout",
        "1",
        "--timeout",
        "120",
        "--cache-mib",
        "0",
    ]);
    let huge = format!(
        "/sparql?query={}&format=tsv",
        encode("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")
    );
    let mut stream =
        std::net::TcpStream::connect(server.base.trim_start_matches("http://")).unwrap();
    stream.set_read_buffer_size_hint();
    write!(stream, "GET {huge} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut first = [0u8; 512];
    stream.read_exact(&mut first).unwrap();
    assert!(first.starts_with(b"HTTP/1.1 200"));
    // Stop reading, keep the connection open: the server's writes block,
    // its socket write timeout (1 s) drops the client and frees the slot.
    let started = Instant::now();
    let reply = server.get(&format!("/sparql?query={}", encode(UNIVERSITIES)), &[]);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    drop(stream);
}

trait SmallBuffer {
    fn set_read_buffer_size_hint(&self);
}

impl SmallBuffer for std::net::TcpStream {
    /// A small receive buffer, so that the server's writes block soon.
    fn set_read_buffer_size_hint(&self) {
        use std::os::fd::AsRawFd;
        let size: libc::c_int = 4096;
        unsafe {
            libc::setsockopt(
                self.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVBUF,
                &size as *const _ as *const libc::c_void,
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
    }
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_then_exits() {
    let mut server = Server::start(&["--timeout", "2", "--cache-mib", "0"]);
    let runaway = format!("/sparql?query={}", encode(RUNAWAY));
    let base = server.base.clone();
    let in_flight = std::thread::spawn(move || {
        let reply = oxhttp::Client::new()
            .request(
                oxhttp::model::Request::builder()
                    .uri(format!("{base}{runaway}"))
                    .body(oxhttp::model::Body::empty())
                    .unwrap(),
            )
            .unwrap();
        let status = reply.status().as_u16();
        let mut body = String::new();
        std::io::Read::read_to_string(&mut reply.into_body(), &mut body).unwrap();
        (status, body)
    });
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    let status = server.terminate();
    assert!(status.success(), "{status:?}");
    // It waited for the query (cancelled at its 2 s timeout) before exiting.
    assert!(
        started.elapsed() >= Duration::from_millis(1200),
        "{:?}",
        started.elapsed()
    );
    let (code, body) = in_flight.join().unwrap();
    assert_eq!(code, 503);
    assert!(body.contains("cancelled"), "{body}");
    let log = server.log_text();
    assert!(log.contains("shutting down: 1 requests in flight"), "{log}");
    assert!(log.contains("GET /sparql?query="), "{log}");
}

#[test]
fn a_real_sparql_client_gets_the_rows_of_the_cli() {
    // SPARQLWrapper, pinned in the venv.
    Server::start(&[]).run_python_test("serve_client.py", &[]);
}

/// The endpoint answers what the ontology implies, as `aikg query` does, and
/// a write that removes a premise removes what it implied (issue 13: the
/// server and the command line give one answer).
#[test]
fn what_the_ontology_implies_follows_the_writes() {
    let (server, auth, _dir) = token_server(&[]);
    let ask = |query: &str| {
        server
            .get(
                &format!("/sparql?query={}", encode(query)),
                &[("Accept", "text/csv")],
            )
            .text()
    };
    // kr-034 places ETRI in Daejeon, and Daejeon is in Korea: ETRI is in
    // Korea through aikg:locatedIn's transitivity.
    let in_korea = "ASK { id:ETRI aikg:locatedIn id:Korea }";
    assert!(ask(in_korea).contains("true"), "{}", ask(in_korea));
    let cli = std::process::Command::new(server::aikg_binary())
        .args(["query", in_korea, "--format", "csv"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&cli.stdout).contains("true"));
    let delete = server.request(
        Method::POST,
        "/update",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/sparql-update"),
        ],
        Some(b"PREFIX aikg: <https://w3id.org/aikg/ontology#> PREFIX id: <https://w3id.org/aikg/id/> DELETE DATA { GRAPH <https://w3id.org/aikg/source/kr-034> { id:ETRI aikg:locatedIn id:Daejeon } }".to_vec()),
    );
    assert_eq!(delete.status, 204, "{}", delete.text());
    assert!(ask(in_korea).contains("false"), "{}", ask(in_korea));
    assert!(ask("ASK { id:ETRI aikg:locatedIn ?place }").contains("false"));
    // A Graph Store POST only adds: what it implies is added (incrementally),
    // and goes with the graph when it is deleted.
    let graph = "/store?graph=https://w3id.org/aikg/source/test-etri-again";
    let post = server.request(
        Method::POST,
        graph,
        &[("Authorization", &auth), ("Content-Type", "text/turtle")],
        Some(b"<https://w3id.org/aikg/id/ETRI> <https://w3id.org/aikg/ontology#locatedIn> <https://w3id.org/aikg/id/Daejeon> .".to_vec()),
    );
    assert_eq!(post.status, 201, "{}", post.text());
    assert!(ask(in_korea).contains("true"), "{}", ask(in_korea));
    let delete = server.request(Method::DELETE, graph, &[("Authorization", &auth)], None);
    assert_eq!(delete.status, 204, "{}", delete.text());
    assert!(ask(in_korea).contains("false"), "{}", ask(in_korea));
}
