//! SPARQL syntax errors a person can act on. The parser (spargebra) says
//! where it stopped and which grammar rules it expected there; this module
//! looks at the query's words to say what is wrong in the user's terms: an
//! undeclared prefix (named, with the declaration to add), a misspelt
//! keyword (with the keyword meant), else the parser's message without its
//! character classes.

/// What is wrong, where (1-based line and column, in characters), and what
/// to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Diagnosis {
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub hint: String,
}

/// The SPARQL 1.1 Query and Update keywords and built-in function names
/// (and oxigraph's RDF-star functions): the only bare words a query holds
/// besides `a`, `true` and `false`.
const KEYWORDS: &[&str] = &[
    "BASE",
    "PREFIX",
    "SELECT",
    "CONSTRUCT",
    "DESCRIBE",
    "ASK",
    "DISTINCT",
    "REDUCED",
    "AS",
    "FROM",
    "NAMED",
    "WHERE",
    "GROUP",
    "BY",
    "HAVING",
    "ORDER",
    "ASC",
    "DESC",
    "LIMIT",
    "OFFSET",
    "VALUES",
    "UNDEF",
    "OPTIONAL",
    "GRAPH",
    "SERVICE",
    "SILENT",
    "BIND",
    "UNION",
    "MINUS",
    "FILTER",
    "NOT",
    "IN",
    "EXISTS",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "TO",
    "INTO",
    "INSERT",
    "DELETE",
    "DATA",
    "WITH",
    "USING",
    "DEFAULT",
    "ALL",
    "STR",
    "LANG",
    "LANGMATCHES",
    "DATATYPE",
    "BOUND",
    "IRI",
    "URI",
    "BNODE",
    "RAND",
    "ABS",
    "CEIL",
    "FLOOR",
    "ROUND",
    "CONCAT",
    "STRLEN",
    "UCASE",
    "LCASE",
    "ENCODE_FOR_URI",
    "CONTAINS",
    "STRSTARTS",
    "STRENDS",
    "STRBEFORE",
    "STRAFTER",
    "YEAR",
    "MONTH",
    "DAY",
    "HOURS",
    "MINUTES",
    "SECONDS",
    "TIMEZONE",
    "TZ",
    "NOW",
    "UUID",
    "STRUUID",
    "MD5",
    "SHA1",
    "SHA256",
    "SHA384",
    "SHA512",
    "COALESCE",
    "IF",
    "STRLANG",
    "STRDT",
    "SAMETERM",
    "ISIRI",
    "ISURI",
    "ISBLANK",
    "ISLITERAL",
    "ISNUMERIC",
    "REGEX",
    "SUBSTR",
    "REPLACE",
    "COUNT",
    "SUM",
    "MIN",
    "MAX",
    "AVG",
    "SAMPLE",
    "GROUP_CONCAT",
    "SEPARATOR",
    "TRIPLE",
    "SUBJECT",
    "PREDICATE",
    "OBJECT",
    "ISTRIPLE",
    "A",
    "TRUE",
    "FALSE",
];

/// Namespaces of prefixes in common use that aikg does not predeclare, to
/// write the declaration a user most likely meant (from prefix.cc).
const COMMON_PREFIXES: &[(&str, &str)] = &[
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("dct", "http://purl.org/dc/terms/"),
    ("dbo", "http://dbpedia.org/ontology/"),
    ("dbr", "http://dbpedia.org/resource/"),
    ("p", "http://www.wikidata.org/prop/"),
    ("ps", "http://www.wikidata.org/prop/statement/"),
    ("pq", "http://www.wikidata.org/prop/qualifier/"),
    ("wikibase", "http://wikiba.se/ontology#"),
    ("bd", "http://www.bigdata.com/rdf#"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("time", "http://www.w3.org/2006/time#"),
    ("qb", "http://purl.org/linked-data/cube#"),
    ("geosparql", "http://www.opengis.net/ont/geosparql#"),
    ("ex", "http://example.org/"),
];

/// A word of the query: a bare name (`FILTER`) or the prefix of a prefixed
/// name (`dbo` of `dbo:name`), with its position.
#[derive(Debug)]
struct Word<'a> {
    text: &'a str,
    prefixed: bool,
    line: u32,
    column: u32,
}

/// Finds the first undeclared prefix or misspelt keyword of `text`, a query
/// or update the parser refused. `predeclared` are the prefixes aikg
/// declares for every query.
pub fn diagnose(text: &str, predeclared: &[(&str, &str)]) -> Option<Diagnosis> {
    let words = words(text);
    let mut declared: Vec<&str> = predeclared.iter().map(|(p, _)| *p).collect();
    declared.push("_"); // blank nodes: _:b
    let mut after_prefix_keyword = false;
    for word in &words {
        if word.prefixed {
            if after_prefix_keyword {
                declared.push(word.text);
            } else if !declared.contains(&word.text) {
                return Some(unknown_prefix(word));
            }
            after_prefix_keyword = false;
            continue;
        }
        after_prefix_keyword = word.text.eq_ignore_ascii_case("PREFIX");
        let upper = word.text.to_ascii_uppercase();
        if KEYWORDS.contains(&upper.as_str()) {
            continue;
        }
        if let Some(meant) = closest_keyword(&upper) {
            return Some(Diagnosis {
                line: word.line,
                column: word.column,
                message: format!("unknown keyword {}: did you mean {meant}?", word.text),
                hint: format!("write {meant} (SPARQL keywords are not case-sensitive)"),
            });
        }
    }
    None
}

fn unknown_prefix(word: &Word) -> Diagnosis {
    let prefix = word.text;
    let namespace = COMMON_PREFIXES
        .iter()
        .find(|(p, _)| *p == prefix)
        .map_or("IRI of its namespace", |(_, ns)| *ns);
    Diagnosis {
        line: word.line,
        column: word.column,
        message: format!("unknown prefix {prefix}:"),
        hint: format!(
            "declare it before the query: `PREFIX {prefix}: <{namespace}>` (aikg predeclares aikg:, id:, src:, rdf:, rdfs:, owl:, xsd:, skos:, dcterms:, foaf:, org:, prov:, schema:, sh:, geo:, gn:, wd:, wdt:, void:, dcat:)"
        ),
    }
}

/// The keyword `word` (upper case) is most likely a misspelling of: at most
/// two edits away, and closer than a third of its length.
fn closest_keyword(word: &str) -> Option<&'static str> {
    if word.chars().count() < 3 {
        return None;
    }
    let (distance, keyword) = KEYWORDS
        .iter()
        .filter(|k| k.len() >= 3)
        .map(|k| (edit_distance(word, k), *k))
        .min()?;
    (distance <= 2 && distance * 3 <= word.chars().count()).then_some(keyword)
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The bare names and prefixes of `text`, skipping IRIs, strings,
/// variables, language tags, numbers and comments.
fn words(text: &str) -> Vec<Word<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut words = Vec::new();
    let (mut line, mut line_start) = (1u32, 0usize);
    let mut i = 0;
    let name_char = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    while i < chars.len() {
        let (offset, c) = chars[i];
        match c {
            '\n' => {
                line += 1;
                line_start = i + 1;
                i += 1;
            }
            '#' => {
                while i < chars.len() && chars[i].1 != '\n' {
                    i += 1;
                }
            }
            '<' => {
                // An IRI runs to `>` without spaces; else `<` is an operator.
                let end = chars[i + 1..]
                    .iter()
                    .position(|&(_, c)| c == '>' || c.is_whitespace() || c == '<');
                i += match end {
                    Some(n) if chars[i + 1 + n].1 == '>' => n + 2,
                    _ => 1,
                };
            }
            '"' | '\'' => {
                let long = text[offset..].starts_with(&c.to_string().repeat(3));
                let quote_len = if long { 3 } else { 1 };
                i += quote_len;
                while i < chars.len() {
                    let (at, d) = chars[i];
                    if d == '\\' {
                        i += 2;
                        continue;
                    }
                    if d == '\n' {
                        line += 1;
                        line_start = i + 1;
                    }
                    if d == c && (!long || text[at..].starts_with(&c.to_string().repeat(3))) {
                        i += quote_len;
                        break;
                    }
                    i += 1;
                }
            }
            '?' | '$' | '@' => {
                i += 1;
                while i < chars.len() && name_char(chars[i].1) {
                    i += 1;
                }
            }
            c if c.is_ascii_digit() => {
                while i < chars.len() && (chars[i].1.is_alphanumeric() || chars[i].1 == '.') {
                    i += 1;
                }
            }
            c if c.is_alphabetic() || c == '_' || c == ':' => {
                let start = i;
                while i < chars.len() && (name_char(chars[i].1) || chars[i].1 == '.') {
                    i += 1;
                }
                // A name does not end with a dot (`?s ?p ex:o.`).
                while i > start && chars[i - 1].1 == '.' {
                    i -= 1;
                }
                let end = chars.get(i).map_or(text.len(), |&(at, _)| at);
                let prefixed = chars.get(i).is_some_and(|&(_, c)| c == ':');
                words.push(Word {
                    text: &text[offset..end],
                    prefixed,
                    line,
                    column: (start - line_start + 1) as u32,
                });
                if prefixed {
                    // The local part: name characters, `:`, `%xx` and `\` escapes.
                    i += 1;
                    while i < chars.len()
                        && (name_char(chars[i].1) || matches!(chars[i].1, ':' | '%' | '\\' | '.'))
                    {
                        i += 1;
                    }
                    while chars[i - 1].1 == '.' {
                        i -= 1;
                    }
                }
            }
            _ => i += 1,
        }
    }
    words
}

/// The parser's message without the character classes it lists among what
/// it expected (`['A' ..= 'Z' | ...]`): grammar, not advice.
pub fn plain_parser_message(message: &str) -> String {
    let mut kept = String::new();
    let mut depth = 0usize;
    for c in message.chars() {
        match c {
            '[' => depth += 1,
            ']' if depth > 0 => depth -= 1,
            _ if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    let items: Vec<&str> = kept
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty() && *item != "Prefix not found")
        .collect();
    let text = items.join(", ");
    if text.trim_end().ends_with("expected one of") || text.trim_end().ends_with("expected") {
        return format!("{} a valid token here", text.trim_end());
    }
    text.replace("expected one of ", "expected one of: ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnosed(text: &str) -> Diagnosis {
        diagnose(text, &[("rdfs", "http://www.w3.org/2000/01/rdf-schema#")]).unwrap()
    }

    #[test]
    fn an_undeclared_prefix_is_found_where_it_is_used() {
        let d = diagnosed("PREFIX ex: <http://e/>\nSELECT * WHERE { ?s ex:p ?o ; dbo:name ?n }");
        assert_eq!((d.line, d.column), (2, 31));
        assert!(d.message.contains("unknown prefix dbo:"));
        assert!(d
            .hint
            .contains("PREFIX dbo: <http://dbpedia.org/ontology/>"));
    }

    #[test]
    fn iris_strings_and_comments_are_not_words() {
        let query = "SELECT * WHERE { ?s <http://e/FILTR:x> \"ORDR x:y\" # FILTR zz:a\n ; rdfs:label 'x'@en }";
        assert_eq!(diagnose(query, &[("rdfs", "")]), None);
    }

    #[test]
    fn a_keyword_two_edits_away_is_suggested() {
        let d = diagnosed("SELECT ?s WHERE { ?s ?p ?o } ORDR BY ?s");
        assert_eq!((d.line, d.column), (1, 30));
        assert!(d.message.contains("did you mean ORDER?"));
        assert_eq!(closest_keyword("XYZZY"), None);
        assert_eq!(edit_distance("FILTR", "FILTER"), 1);
    }

    #[test]
    fn character_classes_are_left_out() {
        let message =
            "expected one of OPTIONAL, Prefix not found, ['%'], ['-' | '0' ..= '9'], ['.'], ['_']";
        assert_eq!(plain_parser_message(message), "expected one of: OPTIONAL");
    }
}
