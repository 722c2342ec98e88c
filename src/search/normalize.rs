//! Folding names and search texts into comparable words, in any script.
//!
//! A name and a search text are folded the same way, so that they compare
//! whatever the case, the accents, the punctuation and the spacing:
//!
//! 1. Unicode compatibility decomposition (NFKD, from `unicode-normalization`):
//!    "é" is "e" + a combining accent, "ﬁ" is "fi", full-width "Ａ" is "A",
//!    a Hangul syllable "학" is its letters (jamo) "ᄒ ᅡ ᆨ";
//! 2. lower case (Unicode's full mapping);
//! 3. combining marks dropped: accents, Vietnamese tone marks, the Greek
//!    tonos... ("Nguyễn" is "nguyen");
//! 4. Latin letters that do not decompose under NFKD (đ, ø, ł, ß, æ, œ, ı...)
//!    transliterated by `deunicode` ("Đà Nẵng" is "da nang", "Straße"
//!    is "strasse"); other scripts are kept as they are;
//! 5. everything that is not a letter or a digit separates words: spaces,
//!    hyphens, apostrophes, brackets ("K-Cloud" is "k cloud").
//!
//! Hangul is compared letter by letter (jamo), so that a search typed
//! syllable by syllable matches while the last syllable is incomplete, and
//! a typo is one letter. Scripts written without spaces (Han, kana, Hangul
//! compounds, Thai) are also indexed from within words ([`inner_starts`]).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The folded form of `text`: words separated by one space, no leading or
/// trailing space.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        fold_ascii(text)
    } else {
        fold_any(text)
    }
}

/// [`fold`] of any text.
fn fold_any(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for decomposed in text.nfkd() {
        if is_combining_mark(decomposed) {
            continue;
        }
        for c in decomposed.to_lowercase() {
            if is_combining_mark(c) {
                continue;
            }
            if c.is_alphanumeric() {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                if c.is_ascii() || !is_latin(c) {
                    out.push(c);
                } else {
                    push_transliterated(c, &mut out);
                }
            } else {
                pending_space = true;
            }
        }
    }
    out
}

/// [`fold`] of an ASCII text (most names): NFKD leaves it as it is, and
/// nothing is transliterated.
fn fold_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else {
            pending_space = true;
        }
    }
    out
}

/// A Latin letter that NFKD leaves whole (đ, ø, ß, æ...), written with the
/// ASCII letters `deunicode` gives it, in lower case.
fn push_transliterated(c: char, out: &mut String) {
    match deunicode::deunicode_char(c) {
        Some(ascii) if ascii.chars().all(|a| a.is_ascii_alphanumeric()) && !ascii.is_empty() => {
            out.extend(ascii.chars().map(|a| a.to_ascii_lowercase()));
        }
        _ => out.push(c),
    }
}

/// The Unicode blocks of the Latin script beyond ASCII.
fn is_latin(c: char) -> bool {
    matches!(c as u32,
        0x00C0..=0x024F      // Latin-1 Supplement letters, Extended-A and -B
        | 0x1E00..=0x1EFF    // Latin Extended Additional (Vietnamese)
        | 0x2C60..=0x2C7F    // Latin Extended-C
        | 0xA720..=0xA7FF    // Latin Extended-D
        | 0xAB30..=0xAB6F) // Latin Extended-E
}

/// The words of a folded text.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(' ').filter(|w| !w.is_empty())
}

/// The comparison key of a whole name: its folded words run together, so
/// that "K-Cloud", "k cloud" and "KCloud" are the same name.
pub fn exact_key(folded: &str) -> String {
    words(folded).collect()
}

/// Whether `c` belongs to a script written without spaces between words
/// (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) or is a Hangul
/// letter (Korean compounds are often written as one word:
/// "과학기술정보통신부").
pub fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF      // Hangul jamo (what NFKD makes of syllables)
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F  // CJK Extensions B-F, compatibility supplement
        | 0x0E00..=0x0EFF    // Thai, Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF) // Khmer
}

/// Where words of an unspaced script can start inside `word` (byte offsets
/// after the first character): before each Hangul leading consonant (a
/// syllable), before every other unspaced character. A word in a spaced
/// script has none.
pub fn inner_starts(word: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    if word.is_ascii() {
        return starts;
    }
    for (i, c) in word.char_indices().skip(1) {
        let starts_syllable = match c as u32 {
            0x1100..=0x115F => true,  // Hangul leading consonant
            0x1160..=0x11FF => false, // vowel or trailing consonant
            _ => is_unspaced(c),
        };
        // At least two characters must follow, so that a lone syllable
        // ending does not match everything.
        if starts_syllable && word[i..].chars().nth(1).is_some() {
            starts.push(i);
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_and_punctuation_fold() {
        assert_eq!(fold("Séoul"), "seoul");
        assert_eq!(fold("ÉTRI"), "etri");
        assert_eq!(fold("  K-Cloud  project "), "k cloud project");
        assert_eq!(
            fold("ministère de l’Enseignement supérieur"),
            "ministere de l enseignement superieur"
        );
        assert_eq!(
            fold("AI-Digital (AID) 30+ Project"),
            "ai digital aid 30 project"
        );
        assert_eq!(
            fold("Fonds franco-coréen pour l’IA"),
            "fonds franco coreen pour l ia"
        );
        assert_eq!(fold("8ᵉ réunion"), "8e reunion");
        assert_eq!(fold("ﬁnance ＡＢＣ"), "finance abc");
        assert_eq!(fold("İstanbul"), "istanbul");
    }

    #[test]
    fn vietnamese_tones_and_d_with_stroke_fold() {
        // đ/Đ do not decompose under NFKD: deunicode transliterates them.
        assert_eq!(
            fold("Trường Đại học Bách khoa, Đại học Đà Nẵng"),
            "truong dai hoc bach khoa dai hoc da nang"
        );
        assert_eq!(fold("Bộ Khoa học và Công nghệ"), "bo khoa hoc va cong nghe");
        assert_eq!(fold("Nguyễn Mạnh Hùng"), "nguyen manh hung");
        assert_eq!(
            fold("Straße Øresund Łódź Æon Œuvre"),
            "strasse oresund lodz aeon oeuvre"
        );
    }

    #[test]
    fn hangul_folds_to_letters_and_other_scripts_keep_theirs() {
        let folded = fold("과학기술정보통신부");
        assert_eq!(folded, "과학기술정보통신부".nfkd().collect::<String>());
        assert!(folded
            .chars()
            .all(|c| (0x1100..=0x11FF).contains(&(c as u32))));
        // A syllable being typed is a prefix of the full one.
        assert!(fold("과학").starts_with(&fold("과하")));
        // Compatibility jamo, as typed alone, are the leading letters.
        assert_eq!(fold("ㄱ"), "\u{1100}");
        assert_eq!(fold("МОСКВА Ελλάδα"), "москва ελλαδα");
        assert_eq!(fold("東京大学"), "東京大学");
    }

    #[test]
    fn exact_keys_ignore_spacing() {
        assert_eq!(exact_key(&fold("K-Cloud")), exact_key(&fold("kcloud")));
        assert_eq!(exact_key(&fold("Chung-Ang")), "chungang");
    }

    #[test]
    fn ascii_texts_fold_as_any_other() {
        // The ASCII shortcut must give what the whole path gives.
        for text in [
            "  K-Cloud  project ",
            "AI-Digital (AID) 30+ Project",
            "l'IA, c'est ~tout~ !",
            "ALL_CAPS and\tTabs\nNewlines",
            "",
            "--",
        ] {
            assert_eq!(fold(text), fold_any(text), "{text:?}");
        }
    }

    #[test]
    fn only_punctuation_folds_to_nothing() {
        assert_eq!(fold("!!! --- ???"), "");
        assert_eq!(fold(""), "");
        assert_eq!(fold(".*[a-z]+(foo|bar)?"), "a z foo bar");
    }

    #[test]
    fn unspaced_words_are_indexed_from_within() {
        let word = fold("정보통신부");
        let starts = inner_starts(&word);
        // 정|보|통|신|부: inner syllables 보, 통, 신 (부 alone is too short... it has 2 jamo).
        assert_eq!(starts.len(), 4);
        assert!(word[starts[0]..].starts_with(&fold("보통")));
        assert!(inner_starts("seoul").is_empty());
        assert_eq!(inner_starts("東京大学").len(), 2);
    }
}
