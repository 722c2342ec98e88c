//! Normalising names for matching: case and accents folded, punctuation
//! dropped, function words of English, French, Spanish and German removed,
//! a few generic organisation words mapped to one spelling across languages
//! ("université" → "university"), plural `s` dropped. Scripts other than
//! Latin (Hangul, Han, Cyrillic...) are kept as they are: matching across
//! scripts goes through the names a record gives in several languages, never
//! through transliteration.

/// Lower-cases and removes the accents of Latin letters; typographic
/// apostrophes and dashes become ASCII; `&` becomes " and ".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str(" and "),
            '’' | '‘' | 'ʼ' | '`' | '´' => out.push('\''),
            '–' | '—' | '‐' | '‑' => out.push('-'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            _ => {
                for lower in c.to_lowercase() {
                    out.push(strip_accent(lower));
                }
            }
        }
    }
    out
}

fn strip_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ẩ'
        | 'ẫ' | 'ậ' | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề' | 'ể'
        | 'ễ' | 'ệ' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ỉ' | 'ị' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ǒ' | 'ọ' | 'ỏ' | 'ố' | 'ồ' | 'ổ'
        | 'ỗ' | 'ộ' | 'ơ' | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => 's',
        'ţ' | 'ť' | 'ŧ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' | 'ư' | 'ụ' | 'ủ' | 'ứ'
        | 'ừ' | 'ử' | 'ữ' | 'ự' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' | 'ỳ' | 'ỵ' | 'ỷ' | 'ỹ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

/// Function words: they carry no identity ("Institute *for* Basic Science").
const STOP_WORDS: &[&str] = &[
    "the", "of", "and", "for", "in", "at", "on", "a", "an", "to", "de", "du", "des", "la", "le",
    "les", "l", "d", "et", "en", "pour", "au", "aux", "y", "del", "el", "los", "las", "da", "do",
    "dos", "und", "der", "die", "das", "fur", "von", "zu", "di",
];

/// Generic words of organisation names written one way across languages and
/// spellings, so that "Centre national de la recherche" and "National
/// Research Center" share their tokens. Words that name a thing
/// ("Corée", "Séoul") are never translated.
const CANONICAL: &[(&str, &str)] = &[
    ("universite", "university"),
    ("universidad", "university"),
    ("universitat", "university"),
    ("universita", "university"),
    ("institut", "institute"),
    ("instituto", "institute"),
    ("ministere", "ministry"),
    ("ministerio", "ministry"),
    ("agence", "agency"),
    ("centre", "center"),
    ("centro", "center"),
    ("recherche", "research"),
    ("nationale", "national"),
    ("nacional", "national"),
    ("fondation", "foundation"),
    ("technologie", "technology"),
    ("technologies", "technology"),
    ("organisation", "organization"),
    ("laboratoire", "laboratory"),
    ("ecole", "school"),
    ("corporation", "corp"),
];

/// The words of a name, normalised, function words removed, in order.
pub fn tokens(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty() && !STOP_WORDS.contains(t))
        .map(canonical)
        .collect()
}

fn canonical(token: &str) -> String {
    if let Some((_, to)) = CANONICAL.iter().find(|(from, _)| *from == token) {
        return (*to).to_string();
    }
    // Plural -s (communications → communication), not -ss, not short words.
    if token.len() > 4 && token.ends_with('s') && !token.ends_with("ss") && token.is_ascii() {
        return token[..token.len() - 1].to_string();
    }
    token.to_string()
}

/// The normalised name: its tokens in order, space-separated.
pub fn name_key(text: &str) -> String {
    tokens(text).join(" ")
}

/// The normalised name with the words of a country's names removed ("of
/// Vietnam", "(South Korea)"): the country is compared on its own, so a name
/// that only adds or omits it is still the same name. Empty if nothing else
/// is left.
pub fn unqualified_key(text: &str, country_words: &[String]) -> String {
    tokens(text)
        .into_iter()
        .filter(|t| !country_words.contains(t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The name as an acronym: letters and digits only ("IOC/UNESCO" →
/// "iocunesco").
pub fn acronym_key(text: &str) -> String {
    fold(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The initials of a name's significant words ("Ministère de l'Europe et des
/// Affaires étrangères" → "meae"), if it has at least three.
pub fn initials(text: &str) -> Option<String> {
    let folded = fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty() && !STOP_WORDS.contains(t))
        .collect();
    if words.len() < 3
        || !words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
    {
        return None;
    }
    Some(words.iter().filter_map(|w| w.chars().next()).collect())
}

/// Whether a name looks like an acronym: one word, no lower-case letter
/// after the first (KAIST, UNESCO, Inria is not).
pub fn looks_like_acronym(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && !text.contains(char::is_whitespace)
        && text.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && text.chars().skip(1).all(|c| !c.is_lowercase())
}

/// Removes a trailing parenthesised qualifier: "Naver (South Korea)" → "Naver".
pub fn strip_parenthetical(text: &str) -> Option<&str> {
    let trimmed = text.trim_end();
    if !trimmed.ends_with(')') {
        return None;
    }
    let open = trimmed.rfind('(')?;
    let head = trimmed[..open].trim_end();
    (!head.is_empty()).then_some(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_case_and_function_words_are_ignored() {
        assert_eq!(
            name_key("Ministère de l’Enseignement supérieur et de la Recherche"),
            name_key("Ministère de l'Enseignement Supérieur et de la Recherche")
        );
        assert_eq!(
            name_key("Institute for Basic Science"),
            "institute basic science"
        );
        assert_eq!(
            name_key("Korea Institute of Machinery & Materials"),
            name_key("Korea Institute of Machinery and Materials")
        );
        assert_eq!(
            name_key("Institute of Information & Communication Technology Planning & Evaluation"),
            name_key("Institute of Information & Communications Technology Planning & Evaluation")
        );
        assert_eq!(name_key("Université de Lille"), "university lille");
    }

    #[test]
    fn other_scripts_are_kept() {
        assert_eq!(name_key("한국과학기술원"), "한국과학기술원");
        assert_ne!(name_key("한국과학기술원"), name_key("한국과학기술연구원"));
    }

    #[test]
    fn qualifiers_acronyms_and_initials() {
        let vn = vec!["vietnam".to_string()];
        assert_eq!(
            unqualified_key("Ministry of Science and Technology of Vietnam", &vn),
            "ministry science technology"
        );
        assert_eq!(acronym_key("ANR "), "anr");
        assert_eq!(
            initials("Ministère de l'Europe et des Affaires étrangères").as_deref(),
            Some("meae")
        );
        assert_eq!(initials("Naver"), None);
        assert!(
            looks_like_acronym("KAIST")
                && !looks_like_acronym("Inria")
                && !looks_like_acronym("Seoul")
        );
        assert_eq!(strip_parenthetical("Naver (South Korea)"), Some("Naver"));
        assert_eq!(strip_parenthetical("Naver"), None);
    }
}
