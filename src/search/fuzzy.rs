//! Typo tolerance: the edit distance between words (insertions, deletions,
//! substitutions and transpositions of adjacent characters: the optimal
//! string alignment distance), and the same distance as an automaton that
//! walks the term dictionary (`fst`) and visits only the terms within
//! reach, as Lucene's and tantivy's fuzzy queries do.
//!
//! Characters, not bytes, are compared: the automaton gathers the bytes of
//! a UTF-8 character before it takes a step.

use fst::Automaton;
use std::rc::Rc;

/// How many typos a word of `chars` characters may carry: none up to 4,
/// one from 5, two from 9 (short words and acronyms must be exact, or
/// "kist" would find "kias"); none in a word with digits ("2024" is not
/// "2025").
pub fn typo_budget(word: &str) -> u8 {
    if word.chars().any(|c| c.is_numeric()) {
        return 0;
    }
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// The distance between `query` and `word` if it is at most `max`.
pub fn distance_within(query: &[char], word: &str, max: u8) -> Option<u8> {
    let word: Vec<char> = word.chars().collect();
    if query.len().abs_diff(word.len()) > max as usize {
        return None;
    }
    let d = dp(query, &word, max).get(word.len())?[query.len()];
    (d <= max).then_some(d)
}

/// The distance between `query` and the closest prefix of `word`, if at
/// most `max` ("electrotechnlogy" is one typo from a prefix of
/// "electrotechnology").
pub fn prefix_distance_within(query: &[char], word: &str, max: u8) -> Option<u8> {
    let word: Vec<char> = word.chars().collect();
    let d = dp(query, &word, max)
        .iter()
        .map(|row| row[query.len()])
        .min()?;
    (d <= max).then_some(d)
}

/// The dynamic-programming rows of the distance between `query` and each
/// prefix of `word` (row j: `word[..j]`), up to the first row that has no
/// cell within `max` (later rows only grow).
fn dp(query: &[char], word: &[char], max: u8) -> Vec<Vec<u8>> {
    let n = query.len();
    let mut rows: Vec<Vec<u8>> = Vec::with_capacity(word.len() + 1);
    rows.push((0..=n).map(|i| i.min(255) as u8).collect());
    for (j, &c) in word.iter().enumerate() {
        let prev = &rows[j];
        let mut row = vec![0u8; n + 1];
        row[0] = (j + 1).min(255) as u8;
        for i in 1..=n {
            let cost = u8::from(query[i - 1] != c);
            let mut best = (prev[i - 1] + cost).min(prev[i] + 1).min(row[i - 1] + 1);
            if i > 1 && j > 0 && query[i - 1] == word[j - 1] && query[i - 2] == c {
                best = best.min(rows[j - 1][i - 2] + 1);
            }
            row[i] = best;
        }
        let alive = row.iter().any(|&d| d <= max);
        rows.push(row);
        if !alive {
            break;
        }
    }
    rows
}

/// An automaton accepting the terms within `max` edits of a word (or,
/// with `prefix`, the terms that start with something within `max` edits
/// of it).
pub struct Fuzzy {
    query: Vec<char>,
    max: u8,
    prefix: bool,
}

impl Fuzzy {
    pub fn new(word: &str, max: u8, prefix: bool) -> Self {
        Self {
            query: word.chars().collect(),
            max,
            prefix,
        }
    }
}

/// Where the walk is: the last two rows (for transpositions), the last
/// character read, and the bytes of a character not read whole yet.
#[derive(Clone)]
pub struct FuzzyState(Option<Rc<Step>>);

pub struct Step {
    row: Vec<u8>,
    previous_row: Option<Vec<u8>>,
    last: Option<char>,
    pending: [u8; 4],
    pending_len: u8,
    /// With `prefix`: a prefix already matched, every continuation does.
    matched: bool,
}

impl Automaton for Fuzzy {
    type State = FuzzyState;

    fn start(&self) -> FuzzyState {
        FuzzyState(Some(Rc::new(Step {
            row: (0..=self.query.len()).map(|i| i.min(255) as u8).collect(),
            previous_row: None,
            last: None,
            pending: [0; 4],
            pending_len: 0,
            matched: self.prefix && self.query.len() <= self.max as usize,
        })))
    }

    fn is_match(&self, state: &FuzzyState) -> bool {
        match &state.0 {
            Some(step) => {
                step.pending_len == 0 && (step.matched || step.row[self.query.len()] <= self.max)
            }
            None => false,
        }
    }

    fn can_match(&self, state: &FuzzyState) -> bool {
        state.0.is_some()
    }

    fn will_always_match(&self, state: &FuzzyState) -> bool {
        matches!(&state.0, Some(step) if step.matched)
    }

    fn accept(&self, state: &FuzzyState, byte: u8) -> FuzzyState {
        let Some(step) = &state.0 else {
            return FuzzyState(None);
        };
        if step.matched {
            return state.clone();
        }
        let mut pending = step.pending;
        let mut pending_len = step.pending_len;
        pending[pending_len as usize] = byte;
        pending_len += 1;
        let c = match std::str::from_utf8(&pending[..pending_len as usize]) {
            Ok(s) => s.chars().next(),
            Err(e) if e.error_len().is_none() && pending_len < 4 => {
                // The character goes on in the next bytes.
                return FuzzyState(Some(Rc::new(Step {
                    row: step.row.clone(),
                    previous_row: step.previous_row.clone(),
                    last: step.last,
                    pending,
                    pending_len,
                    matched: false,
                })));
            }
            Err(_) => None,
        };
        let Some(c) = c else {
            return FuzzyState(None);
        };
        let n = self.query.len();
        let prev = &step.row;
        let mut row = vec![0u8; n + 1];
        row[0] = prev[0].saturating_add(1);
        for i in 1..=n {
            let cost = u8::from(self.query[i - 1] != c);
            let mut best = prev[i - 1]
                .saturating_add(cost)
                .min(prev[i].saturating_add(1))
                .min(row[i - 1].saturating_add(1));
            if let (Some(before), Some(last)) = (&step.previous_row, step.last) {
                if i > 1 && self.query[i - 1] == last && self.query[i - 2] == c {
                    best = best.min(before[i - 2].saturating_add(1));
                }
            }
            row[i] = best;
        }
        if row.iter().all(|&d| d > self.max) {
            return FuzzyState(None);
        }
        let matched = self.prefix && row[n] <= self.max;
        FuzzyState(Some(Rc::new(Step {
            row,
            previous_row: Some(prev.clone()),
            last: Some(c),
            pending: [0; 4],
            pending_len: 0,
            matched,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::{IntoStreamer, Set, Streamer};

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn distances_count_transpositions_as_one() {
        assert_eq!(distance_within(&chars("kiast"), "kaist", 1), Some(1));
        assert_eq!(distance_within(&chars("natinal"), "national", 1), Some(1));
        assert_eq!(
            distance_within(&chars("universty"), "university", 2),
            Some(1)
        );
        assert_eq!(distance_within(&chars("kist"), "kias", 1), None);
        assert_eq!(distance_within(&chars("seoul"), "seoul", 0), Some(0));
        assert_eq!(
            prefix_distance_within(&chars("electrotechnlogy"), "electrotechnology", 1),
            Some(1)
        );
        assert_eq!(prefix_distance_within(&chars("korae"), "korea", 1), Some(1));
        assert_eq!(prefix_distance_within(&chars("xyzzy"), "korea", 2), None);
    }

    #[test]
    fn budgets_grow_with_length_and_spare_numbers() {
        assert_eq!(typo_budget("kist"), 0);
        assert_eq!(typo_budget("kaist"), 1);
        assert_eq!(typo_budget("telecommunications"), 2);
        assert_eq!(typo_budget("2024abc"), 0);
    }

    fn walk(words: &[&str], query: &str, max: u8, prefix: bool) -> Vec<String> {
        let mut sorted = words.to_vec();
        sorted.sort();
        let set = Set::from_iter(sorted).unwrap();
        let mut stream = set.search(Fuzzy::new(query, max, prefix)).into_stream();
        let mut found = Vec::new();
        while let Some(key) = stream.next() {
            found.push(String::from_utf8(key.to_vec()).unwrap());
        }
        found
    }

    #[test]
    fn the_automaton_finds_what_the_distance_allows() {
        let words = [
            "kaist",
            "kist",
            "kias",
            "kisti",
            "korea",
            "seoul",
            "séoul",
            "과학",
            "과학기술",
        ];
        assert_eq!(
            walk(&words, "kiast", 1, false),
            vec!["kaist", "kias", "kist"]
        );
        assert_eq!(
            walk(&words, "kist", 1, false),
            vec!["kaist", "kist", "kisti"]
        );
        assert_eq!(walk(&words, "seoul", 1, false), vec!["seoul", "séoul"]);
        assert_eq!(walk(&words, "koera", 1, true), vec!["korea"]);
        assert_eq!(walk(&words, "과학", 0, true), vec!["과학", "과학기술"]);
        // Every term the automaton yields is within the distance, and no other.
        for query in ["kaist", "kias", "seul", "korae"] {
            for max in 0..=2 {
                let expected: Vec<String> = {
                    let mut w: Vec<&str> = words.to_vec();
                    w.sort();
                    w.into_iter()
                        .filter(|w| distance_within(&chars(query), w, max).is_some())
                        .map(String::from)
                        .collect()
                };
                assert_eq!(walk(&words, query, max, false), expected, "{query} {max}");
            }
        }
    }
}
