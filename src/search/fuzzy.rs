//! Typo tolerance: the edit distance between words (insertions, deletions,
//! substitutions and transpositions of adjacent characters: the optimal
//! string alignment distance), and the same distance as an automaton that
//! walks the term dictionary (`fst`) and visits only the terms within
//! reach, as Lucene's and tantivy's fuzzy queries do.
//!
//! Characters, not bytes, are compared: the automaton gathers the bytes of
//! a UTF-8 character before it takes a step.

use fst::Automaton;

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

/// The most typos a word may carry (see [`typo_budget`]): the width of
/// the band of the distance table that is computed.
pub const MAX_TYPOS: u8 = 2;
const WIDTH: usize = 2 * MAX_TYPOS as usize + 1;
/// Further than any budget: a cell outside the table or out of reach.
const FAR: u8 = u8::MAX / 2;

/// One row of the distance table between the query and what has been read
/// of a word, only where it can be within `MAX_TYPOS`: the cells of query
/// positions `read - MAX_TYPOS ..= read + MAX_TYPOS` (a cell further from
/// the diagonal is more than `MAX_TYPOS` anyway), with the row before
/// (for transpositions). Fixed size: stepping allocates nothing.
#[derive(Clone, Copy, Debug)]
struct Band {
    /// How many characters of the word have been read.
    read: u32,
    row: [u8; WIDTH],
    previous: [u8; WIDTH],
    last: Option<char>,
}

impl Band {
    fn start(query_len: usize) -> Self {
        let mut row = [FAR; WIDTH];
        for (k, cell) in row.iter_mut().enumerate() {
            // Query position k - MAX_TYPOS: distance from the empty word.
            if let Some(i) = k.checked_sub(MAX_TYPOS as usize) {
                if i <= query_len {
                    *cell = i as u8;
                }
            }
        }
        Self {
            read: 0,
            row,
            previous: [FAR; WIDTH],
            last: None,
        }
    }

    /// The row after reading `c`.
    fn step(&self, query: &[char], c: char) -> Self {
        let n = query.len() as i64;
        let read = self.read as i64 + 1;
        let mut row = [FAR; WIDTH];
        for k in 0..WIDTH {
            // The query position of cell k in the new row.
            let i = read - i64::from(MAX_TYPOS) + k as i64;
            if i < 0 || i > n {
                continue;
            }
            if i == 0 {
                row[k] = (read as u64).min(FAR as u64) as u8;
                continue;
            }
            let i = i as usize;
            let cost = u8::from(query[i - 1] != c);
            // Diagonal: row before, query position i - 1 (same k).
            let mut best = self.row[k].saturating_add(cost);
            // Above: row before, query position i (k + 1).
            if k + 1 < WIDTH {
                best = best.min(self.row[k + 1].saturating_add(1));
            }
            // Left: this row, query position i - 1 (k - 1).
            if k > 0 {
                best = best.min(row[k - 1].saturating_add(1));
            }
            // Transposition: two rows before, query position i - 2 (same k).
            if i > 1
                && self
                    .last
                    .is_some_and(|last| query[i - 1] == last && query[i - 2] == c)
            {
                best = best.min(self.previous[k].saturating_add(1));
            }
            row[k] = best.min(FAR);
        }
        Self {
            read: read as u32,
            row,
            previous: self.row,
            last: Some(c),
        }
    }

    /// The distance between the query and the word read so far, if it is
    /// in the band.
    fn distance(&self, query_len: usize) -> u8 {
        let k = query_len as i64 - self.read as i64 + i64::from(MAX_TYPOS);
        usize::try_from(k)
            .ok()
            .and_then(|k| self.row.get(k).copied())
            .unwrap_or(FAR)
    }

    /// Whether reading on can still end within `max`.
    fn alive(&self, max: u8) -> bool {
        self.row.iter().any(|&d| d <= max)
    }
}

/// The distance between `query` and `word` if it is at most `max` (at
/// most [`MAX_TYPOS`]).
pub fn distance_within(query: &[char], word: &str, max: u8) -> Option<u8> {
    let max = max.min(MAX_TYPOS);
    // Lengths further apart than `max` are too.
    if word.chars().count().abs_diff(query.len()) > usize::from(max) {
        return None;
    }
    let mut band = Band::start(query.len());
    for c in word.chars() {
        band = band.step(query, c);
        if !band.alive(max) {
            return None;
        }
    }
    let d = band.distance(query.len());
    (d <= max).then_some(d)
}

/// The distance between `query` and the closest prefix of `word`, if at
/// most `max` ("electrotechnlogy" is one typo from a prefix of
/// "electrotechnology").
pub fn prefix_distance_within(query: &[char], word: &str, max: u8) -> Option<u8> {
    let max = max.min(MAX_TYPOS);
    let mut band = Band::start(query.len());
    let mut best = band.distance(query.len());
    for c in word.chars() {
        band = band.step(query, c);
        if !band.alive(max) {
            break;
        }
        best = best.min(band.distance(query.len()));
    }
    (best <= max).then_some(best)
}

/// An automaton accepting the terms within `max` edits of a word (or,
/// with `prefix`, the terms that start with something within `max` edits
/// of it); `max` is at most [`MAX_TYPOS`].
pub struct Fuzzy {
    query: Vec<char>,
    max: u8,
    prefix: bool,
}

impl Fuzzy {
    pub fn new(word: &str, max: u8, prefix: bool) -> Self {
        Self {
            query: word.chars().collect(),
            max: max.min(MAX_TYPOS),
            prefix,
        }
    }
}

/// Where the walk is (`None`: nowhere within reach): the band of the
/// distance table, and the bytes of a character not read whole yet.
#[derive(Clone, Copy, Debug)]
pub struct FuzzyState(Option<Step>);

#[derive(Clone, Copy, Debug)]
pub struct Step {
    band: Band,
    pending: [u8; 4],
    pending_len: u8,
    /// With `prefix`: a prefix already matched, every continuation does.
    matched: bool,
}

impl Automaton for Fuzzy {
    type State = FuzzyState;

    fn start(&self) -> FuzzyState {
        FuzzyState(Some(Step {
            band: Band::start(self.query.len()),
            pending: [0; 4],
            pending_len: 0,
            matched: self.prefix && self.query.len() <= self.max as usize,
        }))
    }

    fn is_match(&self, state: &FuzzyState) -> bool {
        match &state.0 {
            Some(step) => {
                step.pending_len == 0
                    && (step.matched || step.band.distance(self.query.len()) <= self.max)
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
            return *state;
        }
        let mut pending = step.pending;
        let mut pending_len = step.pending_len;
        pending[pending_len as usize] = byte;
        pending_len += 1;
        let c = match std::str::from_utf8(&pending[..pending_len as usize]) {
            Ok(s) => s.chars().next(),
            Err(e) if e.error_len().is_none() && pending_len < 4 => {
                // The character goes on in the next bytes.
                return FuzzyState(Some(Step {
                    pending,
                    pending_len,
                    ..*step
                }));
            }
            Err(_) => None,
        };
        let Some(c) = c else {
            return FuzzyState(None);
        };
        let band = step.band.step(&self.query, c);
        if !band.alive(self.max) {
            return FuzzyState(None);
        }
        let matched = self.prefix && band.distance(self.query.len()) <= self.max;
        FuzzyState(Some(Step {
            band,
            pending: [0; 4],
            pending_len: 0,
            matched,
        }))
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

    /// The optimal string alignment distance, the whole table: what the
    /// band must agree with wherever the distance is within reach.
    fn full_distance(a: &[char], b: &[char]) -> Vec<Vec<usize>> {
        let mut d = vec![vec![0; a.len() + 1]; b.len() + 1];
        for (j, row) in d.iter_mut().enumerate() {
            row[0] = j;
        }
        for (i, cell) in d[0].iter_mut().enumerate() {
            *cell = i;
        }
        for j in 1..=b.len() {
            for i in 1..=a.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (d[j - 1][i - 1] + cost)
                    .min(d[j - 1][i] + 1)
                    .min(d[j][i - 1] + 1);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[j - 2][i - 2] + 1);
                }
                d[j][i] = best;
            }
        }
        d
    }

    #[test]
    fn the_band_agrees_with_the_whole_table() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "kaist",
            "kiast",
            "kista",
            "akist",
            "seoul",
            "soeul",
            "seul",
            "seoull",
            "national",
            "natinal",
            "nationla",
            "antional",
            "abcdef",
            "badcfe",
            "universite",
            "univeristy",
            "university",
            "과학기술",
            "과학기숳",
            "과하",
            "séoul",
        ];
        for q in words {
            let query = chars(q);
            for w in words {
                let word = chars(w);
                let table = full_distance(&query, &word);
                let whole = table[word.len()][query.len()];
                let prefix = table.iter().map(|row| row[query.len()]).min().unwrap_or(0);
                for max in 0..=MAX_TYPOS {
                    let expected = (whole <= max as usize).then_some(whole as u8);
                    assert_eq!(distance_within(&query, w, max), expected, "{q} {w} {max}");
                    let expected = (prefix <= max as usize).then_some(prefix as u8);
                    assert_eq!(
                        prefix_distance_within(&query, w, max),
                        expected,
                        "prefix {q} {w} {max}"
                    );
                }
            }
        }
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
