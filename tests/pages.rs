//! The pages of `aikg serve` (issue 11): linked-data content negotiation at
//! an entity's own URL, and every flow in a real browser
//! (`tests/pages_browser.py`: chromium through chromium-driver, selenium,
//! axe-core), with screenshots saved under the target directory.

#[path = "support/server.rs"]
mod server;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, Triple};
use server::Server;

const KAIST: &str = "https://w3id.org/aikg/id/KAIST";
const LOCATED_IN: &str = "https://w3id.org/aikg/ontology#locatedIn";
const DAEJEON: &str = "https://w3id.org/aikg/id/Daejeon";

/// The triples of an RDF answer, parsed (a parse error fails the test).
fn triples(body: &[u8], format: RdfFormat) -> Vec<Triple> {
    RdfParser::from_format(format)
        .for_slice(body)
        .map(|q| Triple::from(q.expect("the answer parses")))
        .collect()
}

#[test]
fn an_entity_url_gives_rdf_to_rdf_clients_and_the_page_to_browsers() {
    let server = Server::start(&["--quiet"]);
    let located = Triple::new(
        NamedNode::new(KAIST).unwrap(),
        NamedNode::new(LOCATED_IN).unwrap(),
        NamedNode::new(DAEJEON).unwrap(),
    );
    for (accept, format) in [
        ("text/turtle", RdfFormat::Turtle),
        (
            "application/ld+json",
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/rdf+xml", RdfFormat::RdfXml),
    ] {
        let reply = server.get("/id/KAIST", &[("Accept", accept)]);
        assert_eq!(reply.status, 200, "{accept}");
        let content_type = reply.header("content-type").unwrap();
        assert!(content_type.starts_with(accept), "{accept}: {content_type}");
        let found = triples(&reply.body, format);
        assert!(
            found.contains(&located),
            "{accept}: KAIST locatedIn Daejeon missing"
        );
        // Every triple is about KAIST, as subject or object.
        assert!(
            found
                .iter()
                .all(|t| t.subject.to_string() == format!("<{KAIST}>")
                    || t.object.to_string() == format!("<{KAIST}>")),
            "{accept}"
        );
    }
    let page = server.get(
        "/id/KAIST",
        &[("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")],
    );
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..100]);
    assert!(html.contains("<h1>KAIST</h1>"));
    // Nothing the client accepts: 406, and an unknown entity: 404.
    assert_eq!(
        server.get("/id/KAIST", &[("Accept", "image/png")]).status,
        406
    );
    let missing = server.get("/id/No-Such-Thing", &[("Accept", "text/turtle")]);
    assert_eq!(missing.status, 404);
}

#[test]
fn the_home_page_is_for_browsers_and_the_index_for_scripts() {
    let server = Server::start(&["--quiet"]);
    assert!(server
        .get("/", &[])
        .text()
        .starts_with("aikg SPARQL endpoint"));
    let html = server.get("/", &[("Accept", "text/html")]).text();
    assert!(html.contains("id=\"q\""), "the search box");
    // French from Accept-Language, and from the switch, which is kept.
    let french = server.get(
        "/",
        &[
            ("Accept", "text/html"),
            ("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5"),
        ],
    );
    assert!(french.text().contains("<html lang=\"fr\">"));
    let switched = server.get("/?lang=fr", &[("Accept", "text/html")]);
    let cookie = switched.header("set-cookie").unwrap();
    assert!(cookie.starts_with("lang=fr;"), "{cookie}");
    let back = server.get("/", &[("Accept", "text/html"), ("Cookie", "lang=fr")]);
    assert!(back.text().contains("<html lang=\"fr\">"));
}

#[test]
fn every_flow_in_a_real_browser() {
    let axe = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/node_modules/axe-core/axe.min.js"
    );
    assert!(
        std::path::Path::new(axe).exists(),
        "{axe} is missing: run `bash .ci/deps` (npm ci installs axe-core from package-lock.json)"
    );
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("pages-screenshots");
    let server = Server::start(&["--quiet"]);
    let stdout = server.run_python_test("pages_browser.py", &[shots.as_os_str()]);
    eprintln!("{stdout}screenshots in {}", shots.display());
}

#[test]
fn pages_read_without_javascript() {
    // What a browser without JavaScript (or a crawler) gets is the whole
    // page: the quotes, the query's rows, the marked passages.
    let server = Server::start(&["--quiet"]);
    let html = [("Accept", "text/html")];
    let kaist = server.get("/id/KAIST", &html).text();
    assert!(kaist.contains("La première journée s’est tenue au KAIST à Daejeon"));
    assert!(kaist.contains("<svg"), "the neighbourhood is inlined");
    let rows = server
        .get("/query?name=located-in&p-place=Daejeon&run=1", &html)
        .text();
    for entity in ["/id/ETRI", "/id/KIMM", "/id/KAIST"] {
        assert!(rows.contains(&format!("href=\"{entity}\"")), "{entity}");
    }
    assert!(rows.contains("/queries/located-in?place=Daejeon&amp;format=csv"));
    let found = server.get("/search?q=daejeon", &html).text();
    assert!(found.contains("href=\"/id/Daejeon\""));
    let source = server.get("/sources/kr-report", &html).text();
    assert!(source.contains("<mark id=\"kr-083\">"));
    assert!(source.contains("href=\"/source/kr-083\""));
    // A syntax error is a 400 with its position under the line.
    let error = server.get("/query?run=1&query=SELECT%20%3Fx%20WHERE%20%7B", &html);
    assert_eq!(error.status, 400);
    assert!(
        error.text().contains("data-error-line=\"1\""),
        "{}",
        error.text()
    );
}

/// The suggestions' JSON: `/api/search?q=`.
fn suggestions(server: &Server, q: &str) -> (u16, serde_json::Value) {
    let reply = server.get(
        &format!("/api/search?q={}", server::encode(q)),
        &[("Accept", "application/json")],
    );
    let body = serde_json::from_slice(&reply.body)
        .unwrap_or_else(|e| panic!("the answer is not JSON ({e}): {}", reply.text()));
    (reply.status, body)
}

#[test]
fn suggestions_come_from_the_search_index() {
    // The same ranking, folding and typo tolerance as `aikg search`, with
    // why each entity matched.
    let server = Server::start(&["--quiet"]);
    let (status, found) = suggestions(&server, "kiast");
    assert_eq!(status, 200);
    let first = &found[0];
    assert_eq!(first["iri"], KAIST, "{found:#}");
    assert_eq!(first["page"], "/id/KAIST");
    assert_eq!(first["matched"]["text"], "KAIST");
    assert_eq!(first["tier"], "fuzzy");
    assert_eq!(first["typos"], 1);
    assert_eq!(first["why"], "label «KAIST»@en: typos, 1 typo");
    // Accents missing, another language's name, a partial name.
    for (q, iri) in [
        ("etri", "https://w3id.org/aikg/id/ETRI"),
        ("Coree du Sud", "https://w3id.org/aikg/id/Korea"),
        ("daejon", DAEJEON),
    ] {
        let (_, found) = suggestions(&server, q);
        assert_eq!(found[0]["iri"], iri, "{q}: {found:#}");
    }
    // Nonsense finds nothing; so do an empty text and punctuation, typed
    // before any letter.
    for q in ["xyzzy", "", "?!*"] {
        let (status, found) = suggestions(&server, q);
        assert_eq!(
            (status, found.as_array().map(Vec::len)),
            (200, Some(0)),
            "{q:?}"
        );
    }
    // Too long for a name: a 400 that says why, as JSON.
    let (status, refused) = suggestions(&server, &"a".repeat(2_000));
    assert_eq!(status, 400);
    assert!(
        refused["error"].as_str().unwrap().contains("too long"),
        "{refused:#}"
    );
    // 10 000 characters do not fit in a request's head: refused by the
    // server before any search, with a 400 that says so.
    let huge = server.get(
        &format!("/api/search?q={}", "a".repeat(10_000)),
        &[("Accept", "application/json")],
    );
    assert_eq!(huge.status, 400);
    assert!(huge.text().contains("8kb"), "{}", huge.text());
    // The page of results says why in the page's language.
    let html = [("Accept", "text/html")];
    let page = server.get("/search?q=kiast&lang=fr", &html).text();
    let kaist = page.find("href=\"/id/KAIST\"").expect("KAIST listed");
    assert!(
        page.find("href=\"/id/KIAS\"")
            .is_none_or(|kias| kaist < kias),
        "KAIST first"
    );
    assert!(
        page.contains("libellé «\u{a0}KAIST\u{a0}»@en\u{a0}: avec des fautes, 1 faute de frappe"),
        "{page}"
    );
    let long = server.get(&format!("/search?q={}", "a".repeat(2_000)), &html);
    assert_eq!(long.status, 400);
    assert!(long.text().contains("too long"));
}

#[test]
fn entity_pages_show_what_the_ontology_implies_apart_with_its_reason() {
    // kr II: "L'Electronics and Telecommunications Research Institute
    // (ETRI), situé à Daejeon, est un acteur clé de la recherche en
    // République de Corée": ETRI in Daejeon, Daejeon in Korea, both stated
    // (src:kr-034); ETRI in Korea is implied (aikg:locatedIn is transitive).
    let server = Server::start(&["--quiet"]);
    let html = [("Accept", "text/html")];
    let page = server.get("/id/ETRI?lang=en", &html).text();
    let stated = &page[..page.find("id=\"inferred\"").expect("an inferred section")];
    let inferred = &page[page.find("id=\"inferred\"").unwrap()..];
    assert!(inferred.contains("<h2>Inferred by the ontology</h2>"));
    assert!(inferred.contains("(reasoning rl)"), "the rules named");
    // ETRI in Korea: among the inferred facts, not among the stated ones.
    let korea = "href=\"/id/Korea\"";
    let located_in = format!("title=\"{LOCATED_IN}\"");
    let etri_in_korea = |fact: &str| {
        fact.contains("href=\"/id/ETRI\"") && fact.contains(&located_in) && fact.contains(korea)
    };
    let fact = inferred
        .find("<span class=\"fact\">Electronics and Telecommunications Research Institute · located in · Republic of Korea</span>")
        .unwrap_or_else(|| panic!("ETRI located in Korea is inferred: {inferred}"));
    assert!(
        !stated.split("<tr>").any(etri_in_korea),
        "ETRI located in Korea is not among the stated facts"
    );
    // Its reason: the rule and the stated premises with their passage.
    let proof = &inferred[fact..];
    let proof = &proof[..proof.find("</details>").unwrap()];
    assert!(proof.contains("aikg:locatedIn is transitive"), "{proof}");
    assert!(proof.contains("<code>prp-trp</code>"));
    assert!(proof.contains("href=\"/source/kr-034\""), "{proof}");
    // kr-034's quote is on the page once: with the stated facts above.
    assert_eq!(
        page.matches("situé à Daejeon, est un acteur clé").count(),
        1
    );
    assert!(
        proof.contains("href=\"#g-kr-034\""),
        "linked to where it is quoted"
    );
    // A type from the hierarchy names the ontology's axiom and the ontology.
    assert!(
        inferred.contains("aikg:ResearchInstitute rdfs:subClassOf aikg:Organization"),
        "{inferred}"
    );
    assert!(inferred.contains("— the ontology"));
    // The inferred graph is not shown as a passage-less graph of facts.
    assert!(!page.contains("https://w3id.org/aikg/inferred</code>"));
    // In French.
    let page = server.get("/id/ETRI?lang=fr", &html).text();
    assert!(page.contains("<h2>Déduits par l’ontologie</h2>"));
    assert!(page.contains("aikg:locatedIn est transitive"), "{page}");
    assert!(page.contains("<span class=\"inferred-mark\">déduit</span>"));
}
