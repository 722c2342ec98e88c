//! Every `aikg:quote` of the bundled data is checked against the document it
//! cites (`aikg:inDocument` → `aikg:fileName`, in `../shared/seeds/`): it must
//! appear there, modulo line breaks, hyphenation at line ends and spacing.

use aikg::store::{self, Sources};
use oxigraph::model::Term;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the source documents are: `../shared/seeds` next to the repository.
fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds")
}

/// The text with every whitespace character removed, so that line breaks,
/// repeated or non-breaking spaces do not matter.
fn without_spaces(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text with the hyphens that end a line removed and every whitespace
/// removed: a word cut at a line end ("semi-\nconducteurs") reads joined.
fn without_line_end_hyphens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '-' {
            // A hyphen followed by spaces up to a line break: drop it.
            let rest: String = chars.clone().take_while(|c| c.is_whitespace()).collect();
            if rest.contains('\n') {
                continue;
            }
        }
        if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// A document, in the two forms a quote may match.
struct Document {
    kept: String,
    joined: String,
}

impl Document {
    fn new(text: &str) -> Self {
        Self {
            kept: without_spaces(text),
            joined: without_line_end_hyphens(text),
        }
    }

    fn contains(&self, quote: &str) -> bool {
        let quote = without_spaces(quote);
        !quote.is_empty() && (self.kept.contains(&quote) || self.joined.contains(&quote))
    }
}

fn value(row: &oxigraph::sparql::QuerySolution, name: &str) -> Option<String> {
    row.get(name).map(|t| match t {
        Term::Literal(l) => l.value().to_string(),
        other => aikg::query::display_term(other),
    })
}

#[test]
fn every_quote_is_in_the_document_it_cites() {
    // The data of this checkout, read through the library as `aikg --data .` does (the files the
    // binary bundles; read from disk so that checkouts sharing a CARGO_TARGET_DIR do not mix).
    let sources = Sources::from_dir(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let store = store::in_memory(&sources.read_quads().unwrap()).unwrap();
    let rows = aikg::query::select(
        &store,
        "SELECT DISTINCT ?passage ?quote ?file WHERE {
           ?passage a aikg:Passage .
           OPTIONAL { ?passage aikg:quote ?quote }
           OPTIONAL { ?passage aikg:inDocument/aikg:fileName ?file }
         } ORDER BY ?passage ?quote",
    )
    .unwrap();
    assert!(
        rows.len() > 100,
        "expected the passages of both documents, found {}",
        rows.len()
    );

    let mut documents: BTreeMap<String, Option<Document>> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut checked = 0;
    for row in &rows {
        let passage = value(row, "passage").unwrap_or_default();
        let (Some(quote), Some(file)) = (value(row, "quote"), value(row, "file")) else {
            problems.push(format!(
                "{passage}: no aikg:quote, or no aikg:inDocument with an aikg:fileName"
            ));
            continue;
        };
        let document = documents.entry(file.clone()).or_insert_with(|| {
            std::fs::read_to_string(seeds_dir().join(&file))
                .ok()
                .map(|text| Document::new(&text))
        });
        match document {
            None => problems.push(format!(
                "{passage}: cannot read the document {file} in {}",
                seeds_dir().display()
            )),
            Some(document) if !document.contains(&quote) => problems.push(format!(
                "{passage}: quote not found in {file}:\n    {quote}"
            )),
            Some(_) => checked += 1,
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} passages fail ({checked} quotes found):\n{}",
        problems.len(),
        rows.len(),
        problems.join("\n")
    );
    // Both documents are quoted.
    assert_eq!(
        documents.len(),
        2,
        "documents cited: {:?}",
        documents.keys().collect::<Vec<_>>()
    );
}

#[test]
fn the_comparison_ignores_layout_but_not_words() {
    let document = Document::new(
        "En avril\n2024, le président a annoncé un plan d’investissement de 9,4 trillions de\n\nwons. Les semi-\nconducteurs de l'IA. https://kr.ambafrance-\nculture.org/x",
    );
    // Line breaks, spaces and hyphenation at line ends do not matter...
    assert!(document.contains("En avril 2024, le président"));
    assert!(document.contains("9,4 trillions de wons."));
    assert!(document.contains("Les semi-conducteurs"));
    assert!(document.contains("Les semiconducteurs"));
    assert!(document.contains("https://kr.ambafrance-culture.org/x"));
    // ...but words, figures and apostrophes do.
    assert!(!document.contains("9,5 trillions de wons"));
    assert!(!document.contains("plan d'investissement"));
    assert!(!document.contains("En mai 2024"));
    assert!(!document.contains(""));
}

/// The data of this checkout, in memory.
fn checkout_store() -> oxigraph::store::Store {
    let sources = Sources::from_dir(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    store::in_memory(&sources.read_quads().unwrap()).unwrap()
}

#[test]
fn every_statement_quotes_words_of_its_passage() {
    // A statement's aikg:quotedText is part of the quote of the passage whose graph states it (modulo
    // layout), so its words are the document's words too.
    let store = checkout_store();
    let rows = aikg::query::select(
        &store,
        "SELECT DISTINCT ?passage ?statement ?words ?quote WHERE {
           GRAPH ?passage { ?statement aikg:quotedText ?words }
           OPTIONAL { ?passage aikg:quote ?quote }
         } ORDER BY ?passage ?statement ?words",
    )
    .unwrap();
    assert!(rows.len() > 40, "{} statement quotes", rows.len());
    let mut problems = Vec::new();
    for row in &rows {
        let passage = value(row, "passage").unwrap_or_default();
        let statement = value(row, "statement").unwrap_or_default();
        let words = value(row, "words").unwrap_or_default();
        match value(row, "quote") {
            Some(quote)
                if without_spaces(&quote).contains(&without_spaces(&words))
                    && !words.is_empty() => {}
            Some(_) => problems.push(format!(
                "{statement}: not in the quote of {passage}:\n    {words}"
            )),
            None => problems.push(format!(
                "{statement}: quoted in {passage}, which is not a passage with a quote"
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_french_free_text_has_its_english_translation() {
    // Roles, objectives, audiences, bases, units and summaries are written as the text words them, in
    // French, each with its English translation tagged en-t-fr (English transformed from French, BCP
    // 47 extension T): as many English values as French ones, on the same subject and property.
    let store = checkout_store();
    let rows = aikg::query::select(
        &store,
        "SELECT ?s ?p (SUM(IF(LANG(?v) = \"fr\", 1, 0)) AS ?fr) (SUM(IF(LANG(?v) = \"en-t-fr\", 1, 0)) AS ?en)
                  (SUM(IF(LANG(?v) != \"fr\" && LANG(?v) != \"en-t-fr\", 1, 0)) AS ?other)
         WHERE {
           VALUES ?p { aikg:role aikg:objective aikg:audience aikg:basis aikg:unit aikg:summary }
           ?s ?p ?v
         } GROUP BY ?s ?p ORDER BY ?s ?p",
    )
    .unwrap();
    assert!(rows.len() > 100, "{} subjects with free text", rows.len());
    let count = |row: &oxigraph::sparql::QuerySolution, var: &str| {
        value(row, var)
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let problems: Vec<String> = rows
        .iter()
        .filter(|row| {
            count(row, "fr") == 0 || count(row, "fr") != count(row, "en") || count(row, "other") > 0
        })
        .map(|row| {
            format!(
                "{} {}: {} French, {} English (en-t-fr), {} in another language",
                value(row, "s").unwrap_or_default(),
                value(row, "p").unwrap_or_default(),
                count(row, "fr"),
                count(row, "en"),
                count(row, "other")
            )
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
