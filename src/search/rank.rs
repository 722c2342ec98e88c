//! Finding and ranking the names that match a search text.
//!
//! 1. The text is folded into words ([`super::normalize`]).
//! 2. Each word is looked up in the term dictionary: the word itself, the
//!    words it begins (from two characters on), the words within its typo
//!    budget ([`super::fuzzy`]). The rarest word's names are the
//!    candidates: a name that matches every word holds that one.
//! 3. Each candidate name is compared word by word with the text, and
//!    placed in a tier: the whole name (label, then alias, acronym, last
//!    segment of the IRI), every word as a word or a prefix, with typos, or only
//!    some of the words (only when too few names match them all).
//! 4. Within a tier: fewer prefixes and typos, fewer words of the name left
//!    unmatched, words in order; then the entity with more statements.
//!
//! Each entity appears once, with the name that matched it best.

use super::fuzzy::{distance_within, prefix_distance_within, typo_budget, Fuzzy};
use super::index::{pair_key, whole_key, word_count_of, Index, NameKind, NameShape};
use super::normalize::{exact_key, fold, inner_starts, is_unspaced, words};
use fst::automaton::{Automaton, Str};
use fst::{IntoStreamer, Streamer};
use std::collections::{HashMap, HashSet};

/// The longest text searched, in characters, and in words: longer texts
/// are not names (the longest label of the bundled data has 137).
pub const MAX_CHARS: usize = 1000;
pub const MAX_WORDS: usize = 32;

/// A prefix that begins more words than this is matched as a whole word
/// only (and the search says so).
const MAX_EXPANSIONS: usize = 20_000;

/// How a name matched, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// The whole label (after folding).
    Exact,
    /// The whole alias.
    Alias,
    /// The whole acronym.
    Acronym,
    /// The whole last segment of the IRI (`K-Cloud` for `id:K-Cloud`).
    Iri,
    /// Every word, as a whole word or the start of one.
    Words,
    /// Every word, some with typos.
    Fuzzy,
    /// Only some of the words.
    Partial,
}

impl Tier {
    pub fn name(self) -> &'static str {
        match self {
            Tier::Exact => "exact",
            Tier::Alias => "exact alias",
            Tier::Acronym => "acronym",
            Tier::Iri => "exact IRI",
            Tier::Words => "words",
            Tier::Fuzzy => "typos",
            Tier::Partial => "partial",
        }
    }

    /// Whether the whole name matched.
    pub fn is_exact(self) -> bool {
        self <= Tier::Iri
    }
}

/// What to search for, and among what.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only entities of one of these class ids.
    pub classes: Option<HashSet<u32>>,
    /// Only names in this language (or in none).
    pub lang: Option<String>,
}

/// One matching entity.
#[derive(Clone, Debug)]
pub struct Match {
    pub entity: u32,
    pub name: u32,
    pub tier: Tier,
    /// Within the tier, lower is better.
    pub cost: u32,
    /// How many prefixes and typos the best name needed.
    pub prefixes: u32,
    pub typos: u32,
    pub degree: u32,
}

/// The outcome of a search.
#[derive(Debug, Default)]
pub struct Found {
    pub matches: Vec<Match>,
    /// What the search could not do as asked (a prefix too short...).
    pub notes: Vec<String>,
}

/// Why a text cannot be searched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Empty,
    NoWords,
    TooLong { chars: usize, words: usize },
}

/// The words of a search text, checked.
pub fn query_words(text: &str) -> Result<Vec<String>, TextError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(TextError::Empty);
    }
    let chars = trimmed.chars().count();
    let folded = fold(trimmed);
    let list: Vec<String> = words(&folded).map(String::from).collect();
    if chars > MAX_CHARS || list.len() > MAX_WORDS {
        return Err(TextError::TooLong {
            chars,
            words: list.len(),
        });
    }
    if list.is_empty() {
        return Err(TextError::NoWords);
    }
    Ok(list)
}

/// The terms of the dictionary one word of the text may match: first
/// those it is or begins (the word itself first), then those only within
/// its typo budget (from `typos_from` on), so that the names reached
/// through a typo come last and are mostly cut short (see [`lower_bound`]).
struct WordTerms {
    terms: Vec<u64>,
    typos_from: usize,
    postings: u64,
    /// Whether every name [`compare`] can match this word with holds one
    /// of `terms` (not so when a prefix began too many words to list, or
    /// for a lone character of an unspaced script, which may start
    /// inside a word): then names without any can be passed over.
    complete: bool,
    /// The terms through which the word matches at no cost of its own:
    /// the word itself, two words of a name it runs together, or the word
    /// it makes with its neighbour.
    whole: Vec<u64>,
}

/// How a name holds a word of the text, cheapest first: the word itself,
/// a word it begins, a word within its typo budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    Whole,
    Prefix,
    Typo,
}

impl Reach {
    /// The least a name that holds the word this way pays for it.
    fn least(self) -> (Tier, u32) {
        match self {
            Reach::Whole => (Tier::Words, 0),
            Reach::Prefix => (Tier::Words, PREFIX_COST),
            Reach::Typo => (Tier::Fuzzy, TYPO_COST),
        }
    }
}

impl WordTerms {
    fn count(&mut self, index: &Index) {
        self.postings = self
            .terms
            .iter()
            .map(|&t| u64::from(index.posting_count(t)))
            .sum();
    }

    /// Adds a term that the word is part of (two words of the text run
    /// together).
    fn add_close(&mut self, term: u64) {
        if self.terms[..self.typos_from].contains(&term) {
            return;
        }
        self.terms.retain(|&t| t != term);
        self.terms.insert(self.typos_from, term);
        self.typos_from += 1;
        self.whole.push(term);
    }

    /// Each term, and how a name that holds it holds the word.
    fn reaches(&self) -> impl Iterator<Item = (u64, Reach)> + '_ {
        self.terms.iter().enumerate().map(|(i, &t)| {
            let reach = if i >= self.typos_from {
                Reach::Typo
            } else if self.whole.contains(&t) {
                Reach::Whole
            } else {
                Reach::Prefix
            };
            (t, reach)
        })
    }

    /// Each term, and whether it is reached only through a typo.
    fn iter(&self) -> impl Iterator<Item = (u64, bool)> + '_ {
        self.terms
            .iter()
            .enumerate()
            .map(|(i, &t)| (t, i >= self.typos_from))
    }
}

/// The terms a word of the text may match: the word itself, the two
/// words of a name it runs together ("kcloud" for "K-Cloud"), the words
/// it begins (from two characters on), the words within its typo budget.
fn terms_of(
    index: &Index,
    terms: &fst::Map<&[u8]>,
    word: &str,
    notes: &mut Vec<String>,
) -> WordTerms {
    let mut close: Vec<u64> = Vec::new();
    let chars = word.chars().count();
    let unspaced = word.chars().any(is_unspaced);
    let mut complete = chars >= 2 || !unspaced;
    if chars >= 2 {
        let mut stream = terms.search(Str::new(word).starts_with()).into_stream();
        while let Some((_, t)) = stream.next() {
            if close.len() == MAX_EXPANSIONS {
                complete = false;
                break;
            }
            close.push(t);
        }
        if !complete {
            close.clear();
            notes.push(format!(
                "{word:?} begins more than {MAX_EXPANSIONS} words: matched as a whole word only"
            ));
        }
    }
    let mut whole = Vec::new();
    if let Some(t) = terms.get(word) {
        close.retain(|&c| c != t);
        close.insert(0, t);
        whole.push(t);
    }
    if let Some(t) = index.keyed(&pair_key(word)) {
        close.push(t);
        whole.push(t);
    }
    let budget = typo_budget(word);
    let typos_from = close.len();
    if budget > 0 {
        // Words of unspaced scripts are often the start of a compound
        // ("과학기숳" for "과학기술정보통신부"): typos count against prefixes.
        let mut stream = terms
            .search(Fuzzy::new(word, budget, unspaced))
            .into_stream();
        while let Some((_, t)) = stream.next() {
            if !close[..typos_from].contains(&t) {
                close.push(t);
            }
        }
    }
    let mut word_terms = WordTerms {
        terms: close,
        typos_from,
        postings: 0,
        complete,
        whole,
    };
    word_terms.count(index);
    word_terms
}

/// Searches the index; `limit` entities at most.
pub fn search(index: &Index, query: &[String], filter: &Filter, limit: usize) -> Found {
    search_listing(index, query, filter, limit, HeldWords::LEAST_SCAN)
}

/// [`search`], with the words of a partial scan of at least `least_scan`
/// names listed (see [`HeldWords`]; tests list them always and never).
fn search_listing(
    index: &Index,
    query: &[String],
    filter: &Filter,
    limit: usize,
    least_scan: u64,
) -> Found {
    let mut found = Found::default();
    let Some(terms) = index.terms() else {
        return found;
    };
    let mut per_word: Vec<WordTerms> = query
        .iter()
        .map(|w| terms_of(index, &terms, w, &mut found.notes))
        .collect();
    // Two words of the text may be one word of a name ("k aist", "seoul
    // tech"): that word counts for both.
    for i in 1..query.len() {
        if let Some(joined) = terms.get(format!("{}{}", query[i - 1], query[i])) {
            for word in [i - 1, i] {
                per_word[word].add_close(joined);
                per_word[word].count(index);
            }
        }
    }
    // A word found in few names tells more than a common one: partial
    // matches must hold at least half of the text's information (inverse
    // document frequency), so that "KAIST university" finds KAIST and
    // nonsense around a common word finds nothing.
    let total = f64::from(index.name_count()) + 1.0;
    let weights: Vec<f64> = per_word
        .iter()
        .map(|w| {
            (total / (w.postings.min(total as u64) as f64 + 1.0))
                .ln()
                .max(0.01)
        })
        .collect();
    // What a name costs at least once no name holds every word (the
    // second pass below): it misses a word, at least the least informative,
    // and leaves the name's words beyond the others unmatched. Unknown when
    // a word may match where its terms do not tell (see `complete`).
    let partial_floor = per_word.iter().all(|w| w.complete).then(|| {
        let total: f64 = weights.iter().sum();
        let least = weights.iter().copied().fold(f64::INFINITY, f64::min);
        // Rounded down: the comparison rounds a sum of the same weights.
        ((least / total) * MISSING_INFORMATION_COST).floor() as u32
    });
    let text = Prepared::new(query, weights);
    let mut top = TopK::new(limit);
    let consider = |name_id: u32, need_all: bool, through_typo: bool, top: &mut TopK| {
        let shape = index.name_shape(name_id);
        let degree = index.entity_degree(shape.entity);
        // Most candidates of a common word cannot enter the top: their
        // word count alone says so, before any comparison. A name reached
        // through a typo of the word can do no better than a typo (had it
        // the word itself, it was met through it before).
        if let Some(last) = top.last() {
            let mut bound = lower_bound(&text, &shape, degree);
            if through_typo {
                bound.0 = bound.0.max(Tier::Fuzzy);
                bound.1 = bound.1.max(TYPO_COST);
            }
            if let (false, Some(floor)) = (need_all, partial_floor) {
                let cost = partial_least_cost(u32::from(shape.words), text.words.len(), floor);
                if bound.0 < Tier::Partial {
                    bound.0 = Tier::Partial;
                    bound.1 = cost;
                } else {
                    bound.1 = bound.1.max(cost);
                }
            }
            if bound >= *last {
                return;
            }
        }
        if !accepts(index, filter, name_id, &shape) {
            return;
        }
        let Some(mut m) = compare(&text, index.name_folded(name_id), shape.kind, need_all) else {
            return;
        };
        m.name = name_id;
        m.entity = shape.entity;
        m.degree = degree;
        top.offer(m);
    };
    // Every word must match: the candidates are the names of the rarest
    // that also hold a term of each other word. The names that are the
    // whole text come first: every other name costs at least
    // `MIN_WORDS_COST` in its tier, and they come most connected first,
    // so the scan stops at the first that could not enter the top.
    if per_word.iter().all(|w| !w.terms.is_empty()) {
        if let Some(whole) = index.keyed(&whole_key(&text.key)) {
            for name_id in index.postings(whole) {
                consider(name_id, true, false, &mut top);
            }
        }
        let mut scan = AllWords::new(index, &per_word);
        let text_words = query.len() as u32;
        // The last of the top for which the scan is past its degree: names
        // that can at best tie with it in tier and cost cannot enter.
        let mut passed: Option<Key> = None;
        let word_counts = index.word_counts();
        // The last of the top changes only when a name is offered to it.
        let mut last_of_top = top.last().copied();
        while let Some((name_id, reach)) = scan.next(last_of_top.map(|last| (last.0, last.1))) {
            if let Some(last) = last_of_top {
                // A name of m words leaves at least m - n of them unmatched,
                // and pays for how it holds the rarest word, and for being
                // made from an IRI: most names of a common word are passed
                // over on their word-count byte alone.
                let (words, from_iri) =
                    word_count_of(word_counts.get(name_id as usize).copied().unwrap_or(0));
                let (tier, own) = reach.least();
                let cost = (u32::from(words).saturating_sub(text_words) * UNMATCHED_WORD_COST
                    + own)
                    .max(MIN_WORDS_COST)
                    + u32::from(from_iri) * IRI_NAME_COST;
                let ties = (tier, cost) == (last.0, last.1);
                if (tier, cost) > (last.0, last.1) || (ties && passed == Some(last)) {
                    continue;
                }
                let entity = index.name_shape(name_id).entity;
                let degree = std::cmp::Reverse(index.entity_degree(entity));
                if (degree, entity) >= (last.2, last.3) {
                    passed = Some(last);
                    if ties {
                        continue;
                    }
                }
                if (Tier::Words, MIN_WORDS_COST, degree, entity) >= last {
                    break;
                }
            }
            if scan.holds_the_other_words(name_id) {
                consider(name_id, true, reach == Reach::Typo, &mut top);
                last_of_top = top.last().copied();
            }
        }
    }
    // None: names that hold at least half of the text's information. Such
    // a name holds one of the most informative words that, together, leave
    // less than half of it to the others: the candidates are their names.
    if top.is_empty() && query.len() >= 2 {
        let total: f64 = text.weights.iter().sum();
        let mut order: Vec<usize> = (0..query.len())
            .filter(|&i| !per_word[i].terms.is_empty())
            .collect();
        order.sort_by(|&a, &b| text.weights[b].total_cmp(&text.weights[a]));
        let mut rest: f64 = order.iter().map(|&i| text.weights[i]).sum();
        let mut scanned = Vec::new();
        for &i in &order {
            if rest < total / 2.0 {
                break;
            }
            rest -= text.weights[i];
            scanned.push(i);
        }
        let held = HeldWords::new(index, &per_word, &scanned, &text.weights, least_scan);
        let word_counts = index.word_counts();
        'words: for &i in &scanned {
            for (term, through_typo) in per_word[i].iter() {
                // (A word whose terms are not all listed may be held by a
                // name met through a typo in a way its terms do not tell.)
                let through_typo = through_typo && per_word[i].complete;
                for name_id in index.postings(term) {
                    // Once the top is full, a name pays at least the floor
                    // and the words it has beyond those the text can match
                    // (as in `consider`): most are passed over on their
                    // word-count byte alone. The postings come most
                    // connected first: once a name of the least cost ties
                    // with the last of the top or worse, no later name of
                    // the term can enter it.
                    if let (Some(floor), Some(&last)) = (partial_floor, top.last()) {
                        let least = (Tier::Partial, floor);
                        if least > (last.0, last.1) {
                            break 'words;
                        }
                        let (words, from_iri) =
                            word_count_of(word_counts.get(name_id as usize).copied().unwrap_or(0));
                        let cost = partial_least_cost(u32::from(words), query.len(), floor)
                            + u32::from(from_iri) * IRI_NAME_COST;
                        if (Tier::Partial, cost) > (last.0, last.1) {
                            continue;
                        }
                        if least == (last.0, last.1) {
                            let entity = index.name_shape(name_id).entity;
                            let degree = std::cmp::Reverse(index.entity_degree(entity));
                            if (degree, entity) >= (last.2, last.3) {
                                break;
                            }
                        }
                    }
                    if !held.may_hold_half(name_id) {
                        continue;
                    }
                    consider(name_id, false, through_typo, &mut top);
                }
            }
        }
    }
    let mut matches = top.into_sorted();
    matches.truncate(limit);
    found.matches = matches;
    found
}

/// For the partial matches: which names may hold each word of the text,
/// as one bit per name of the index, so that a name that cannot hold
/// half of the text's information (what [`compare`] asks of a partial
/// match) is passed over without a comparison.
struct HeldWords {
    /// Per word, the names that hold one of its terms; `None` when any
    /// name may hold it (its terms do not tell every way a name holds
    /// it, or it has too many names to list for this scan).
    names: Vec<Option<NameSet>>,
    weights: Vec<f64>,
    half: f64,
}

impl HeldWords {
    /// A scan of fewer names than this compares them all.
    const LEAST_SCAN: u64 = 2_000;

    /// For a partial scan of the names of the words `scanned`; no word is
    /// listed for a scan of fewer than `least_scan` names.
    fn new(
        index: &Index,
        per_word: &[WordTerms],
        scanned: &[usize],
        weights: &[f64],
        least_scan: u64,
    ) -> Self {
        let total: f64 = weights.iter().sum();
        let scan: u64 = scanned.iter().map(|&i| per_word[i].postings).sum();
        let names = per_word
            .iter()
            .map(|word| {
                // A word's names are listed when that costs no more than
                // the scan they spare comparisons to.
                if scan < least_scan || !word.complete || word.postings > scan {
                    return None;
                }
                Some(NameSet::of_terms(index, &word.terms))
            })
            .collect();
        Self {
            names,
            weights: weights.to_vec(),
            // A sum of the same weights in another order may differ in
            // its last bits: the bound is loosened by as much.
            half: total / 2.0 * (1.0 - 1e-9),
        }
    }

    /// Whether the words `name` may hold weigh at least half of the text.
    fn may_hold_half(&self, name: u32) -> bool {
        let may: f64 = self
            .names
            .iter()
            .zip(&self.weights)
            .filter(|(names, _)| names.as_ref().is_none_or(|names| names.contains(name)))
            .map(|(_, w)| w)
            .sum();
        may >= self.half
    }
}

/// The least a partial match of a name of `words` words costs: the floor
/// (see [`search`]), and the name's words beyond those the text can match
/// (all of its `text_words` but one).
fn partial_least_cost(words: u32, text_words: usize, floor: u32) -> u32 {
    let matched_at_most = (text_words as u32).saturating_sub(1);
    words.saturating_sub(matched_at_most) * UNMATCHED_WORD_COST + floor
}

/// The least a name that is not the whole text costs when it holds every
/// word: were it to cost nothing, each of its words would be a word of the
/// text, in order, and none left over: it would be the whole text.
const MIN_WORDS_COST: u32 = 1;

/// A word with more terms than this is not looked up term by term in a
/// scan (the comparison tells whether a name holds it).
const MAX_CURSORS: usize = 8;

/// A word with more terms than [`MAX_CURSORS`] is looked up in a scan
/// through the list of its names, made when it has at most this many times
/// the names of the rarest word (else a name's comparison tells).
const MAX_LISTED_RATIO: u64 = 8;

/// The names of one term, read in ascending order as a scan goes (its
/// postings as the index holds them).
struct Cursor<'a> {
    postings: &'a [u8],
    at: usize,
    reach: Reach,
}

impl Cursor<'_> {
    fn len(&self) -> usize {
        self.postings.len() / 4
    }

    fn name_at(&self, k: usize) -> u32 {
        let b = &self.postings[k * 4..k * 4 + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    fn head(&self) -> Option<u32> {
        (self.at < self.len()).then(|| self.name_at(self.at))
    }

    /// Moves to the first name at or after `name` (galloping: the names
    /// passed over are not read), and tells whether it is `name`.
    fn seek(&mut self, name: u32) -> bool {
        let count = self.len();
        let (mut low, mut step) = (self.at, 1);
        if low >= count {
            return false;
        }
        if self.name_at(low) >= name {
            return self.name_at(low) == name;
        }
        while low + step < count && self.name_at(low + step) < name {
            low += step;
            step *= 2;
        }
        // name_at(low) < name; the first at or after it is in low + 1..=low + step.
        let (mut k, mut high) = (low + 1, (low + step).min(count));
        while k < high {
            let mid = k + (high - k) / 2;
            if self.name_at(mid) < name {
                k = mid + 1;
            } else {
                high = mid;
            }
        }
        self.at = k;
        k < count && self.name_at(k) == name
    }
}

/// The names that may hold every word of the text, in ascending order
/// (the most connected entities first): the names of the rarest word,
/// each looked up in the postings of the other words (those with a few,
/// complete terms) as the scan goes, so that a scan stopped early reads
/// little of them.
struct AllWords<'a> {
    /// The rarest word's terms, merged.
    rarest: Vec<Cursor<'a>>,
    /// Its names when it has too many terms to merge as the scan goes.
    listed: Option<std::vec::IntoIter<(u32, Reach)>>,
    others: Vec<OtherWord<'a>>,
    /// The last `worst` given to [`next`](Self::next).
    worst: Option<(Tier, u32)>,
}

/// The names that hold one of some terms, one bit per name of the index:
/// set in one pass over the terms' postings, where merging them in order
/// would sort them all.
struct NameSet(Vec<u64>);

impl NameSet {
    fn of_terms(index: &Index, terms: &[u64]) -> Self {
        let mut bits = vec![0u64; (index.name_count() as usize).div_ceil(64)];
        for &term in terms {
            for name in index.postings(term) {
                if let Some(word) = bits.get_mut(name as usize / 64) {
                    *word |= 1 << (name % 64);
                }
            }
        }
        Self(bits)
    }

    fn contains(&self, name: u32) -> bool {
        self.0
            .get(name as usize / 64)
            .is_some_and(|bits| bits & (1 << (name % 64)) != 0)
    }
}

/// Another word of the text, as the scan looks a name up in it.
enum OtherWord<'a> {
    /// A few terms: each one's postings, sought as the scan goes.
    Terms(Vec<Cursor<'a>>),
    /// Many terms (a short word begins many words): the names of all of
    /// them.
    Names(NameSet),
}

impl<'a> AllWords<'a> {
    fn new(index: &'a Index, per_word: &[WordTerms]) -> Self {
        let cursors = |w: &WordTerms| -> Vec<Cursor<'a>> {
            w.reaches()
                .map(|(term, reach)| Cursor {
                    postings: index.posting_slice(term),
                    at: 0,
                    reach,
                })
                .collect()
        };
        let rarest = (0..per_word.len())
            .min_by_key(|&i| per_word[i].postings)
            .unwrap_or(0);
        let most = per_word
            .get(rarest)
            .map_or(0, |w| w.postings.saturating_mul(MAX_LISTED_RATIO));
        let others = (0..per_word.len())
            .filter(|&i| i != rarest && per_word[i].complete)
            .filter_map(|i| {
                let word = &per_word[i];
                if word.terms.len() <= MAX_CURSORS {
                    return Some(OtherWord::Terms(cursors(word)));
                }
                if word.postings > most {
                    return None;
                }
                Some(OtherWord::Names(NameSet::of_terms(index, &word.terms)))
            })
            .collect();
        let Some(word) = per_word.get(rarest) else {
            return Self {
                rarest: Vec::new(),
                listed: None,
                others,
                worst: None,
            };
        };
        if word.terms.len() <= MAX_CURSORS {
            let mut rarest = cursors(word);
            if !word.complete {
                // A name may hold the word in a way its terms do not
                // tell: how it was met says nothing of the cost.
                rarest.iter_mut().for_each(|c| c.reach = Reach::Whole);
            }
            return Self {
                rarest,
                listed: None,
                others,
                worst: None,
            };
        }
        // Each term's names are ascending: a stable sort merges these runs
        // (as `name << 2 | reach`, so that a name held several ways comes
        // first with the cheapest).
        let mut packed: Vec<u64> = Vec::with_capacity(word.postings as usize);
        for (term, reach) in word.reaches() {
            let reach = if word.complete { reach } else { Reach::Whole };
            packed.extend(
                index
                    .postings(term)
                    .map(|name| (u64::from(name) << 2) | reach as u64),
            );
        }
        packed.sort();
        let mut listed: Vec<(u32, Reach)> = Vec::with_capacity(packed.len());
        for p in packed {
            let name = (p >> 2) as u32;
            if listed.last().is_none_or(|c| c.0 != name) {
                let reach = match p & 3 {
                    0 => Reach::Whole,
                    1 => Reach::Prefix,
                    _ => Reach::Typo,
                };
                listed.push((name, reach));
            }
        }
        Self {
            rarest: Vec::new(),
            listed: Some(listed.into_iter()),
            others,
            worst: None,
        }
    }

    /// The next name of the rarest word, and the cheapest way it holds it.
    /// `worst`, the tier and cost of the last of the top (if it is full):
    /// a term through which a name costs more at least is not read on (a
    /// name it holds that another term holds too is met through that one).
    fn next(&mut self, worst: Option<(Tier, u32)>) -> Option<(u32, Reach)> {
        if let Some(listed) = &mut self.listed {
            return listed.next();
        }
        if worst != self.worst {
            self.worst = worst;
            if let Some(worst) = worst {
                self.rarest.retain(|c| c.reach.least() <= worst);
            }
        }
        // One term (the most common case): its postings as they come.
        if let [only] = self.rarest.as_mut_slice() {
            let name = only.head()?;
            only.at += 1;
            return Some((name, only.reach));
        }
        let name = self.rarest.iter().filter_map(Cursor::head).min()?;
        let mut reach = Reach::Typo;
        for cursor in &mut self.rarest {
            if cursor.head() == Some(name) {
                reach = reach.min(cursor.reach);
                cursor.at += 1;
            }
        }
        Some((name, reach))
    }

    /// Whether a name holds a term of each other word looked up (names come
    /// in ascending order).
    fn holds_the_other_words(&mut self, name: u32) -> bool {
        self.others.iter_mut().all(|word| match word {
            OtherWord::Terms(cursors) => {
                let mut held = false;
                for cursor in cursors.iter_mut() {
                    held |= cursor.seek(name);
                }
                held
            }
            OtherWord::Names(names) => names.contains(name),
        })
    }
}

/// The kinds of match of one word, cheapest first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    Whole,
    Prefix,
    Typos,
}

/// How a match ranks: tier, cost, the more connected entity first.
type Key = (Tier, u32, std::cmp::Reverse<u32>, u32);

fn key(m: &Match) -> Key {
    (m.tier, m.cost, std::cmp::Reverse(m.degree), m.entity)
}

/// The best `limit` entities so far, each with its best match.
struct TopK {
    limit: usize,
    keys: std::collections::BTreeSet<Key>,
    best: HashMap<u32, Match>,
}

impl TopK {
    fn new(limit: usize) -> Self {
        Self {
            limit: limit.max(1),
            keys: std::collections::BTreeSet::new(),
            best: HashMap::new(),
        }
    }

    fn is_empty(&self) -> bool {
        self.best.is_empty()
    }

    /// The worst key of a full top: a candidate must do better to enter.
    fn last(&self) -> Option<&Key> {
        (self.keys.len() >= self.limit)
            .then(|| self.keys.last())
            .flatten()
    }

    fn offer(&mut self, m: Match) {
        let new = key(&m);
        if let Some(old) = self.best.get(&m.entity) {
            let old = key(old);
            if old <= new {
                return;
            }
            self.keys.remove(&old);
        } else if self.last().is_some_and(|last| new >= *last) {
            return;
        }
        self.keys.insert(new);
        self.best.insert(m.entity, m);
        while self.keys.len() > self.limit {
            if let Some(worst) = self.keys.pop_last() {
                self.best.remove(&worst.3);
            }
        }
    }

    fn into_sorted(self) -> Vec<Match> {
        let mut best = self.best;
        self.keys
            .into_iter()
            .filter_map(|k| best.remove(&k.3))
            .collect()
    }
}

/// The best key a name could reach, from its shape alone: the whole name
/// only if its words run together are as long as the text's; else at
/// least the words of the name no word of the text can cover (one word of
/// the text covers at most two of the name).
fn lower_bound(text: &Prepared<'_>, shape: &NameShape, degree: u32) -> Key {
    let m = u32::from(shape.words);
    let run_together = (shape.folded_len as usize).saturating_sub(m.saturating_sub(1) as usize);
    let iri = u32::from(shape.kind == NameKind::Iri);
    let (tier, cost) = if m > 0 && run_together == text.key.len() {
        let tier = match shape.kind {
            NameKind::Label => Tier::Exact,
            NameKind::Alias => Tier::Alias,
            NameKind::Acronym => Tier::Acronym,
            NameKind::Iri => Tier::Iri,
        };
        (tier, 0)
    } else {
        let covered = text.words.len() as u32;
        (
            Tier::Words,
            m.saturating_sub(covered) * UNMATCHED_WORD_COST + iri * IRI_NAME_COST,
        )
    };
    (tier, cost, std::cmp::Reverse(degree), shape.entity)
}

fn accepts(index: &Index, filter: &Filter, name: u32, shape: &NameShape) -> bool {
    if let Some(lang) = &filter.lang {
        let tag = index.name(name).lang;
        if !tag.is_empty() && !language_matches(tag, lang) {
            return false;
        }
    }
    if let Some(classes) = &filter.classes {
        if !index
            .entity_classes(shape.entity)
            .any(|c| classes.contains(&c))
        {
            return false;
        }
    }
    true
}

/// Whether a language tag falls under a language range (`fr` covers
/// `fr-CA`), case-insensitively.
pub fn language_matches(tag: &str, range: &str) -> bool {
    let (tag, range) = (tag.to_ascii_lowercase(), range.to_ascii_lowercase());
    tag == range
        || tag
            .strip_prefix(&range)
            .is_some_and(|rest| rest.starts_with('-'))
}

/// Costs within a tier.
const PREFIX_COST: u32 = 3;
const TYPO_COST: u32 = 3;
const UNMATCHED_WORD_COST: u32 = 1;
const OUT_OF_ORDER_COST: u32 = 1;
/// For a partial match: this much when all of the text's information is
/// missing (see [`search`]).
const MISSING_INFORMATION_COST: f64 = 40.0;
/// The IRI's last segment is a name of last resort: a label that matches
/// as well is the better reason.
const IRI_NAME_COST: u32 = 1;
/// One word of the text for two of the name ("kcloud" for "k cloud"): as
/// much as the name word it leaves unmatched otherwise, so that a name of
/// m words costs at least m - n for n words of text (see [`lower_bound`]).
const JOIN_COST: u32 = UNMATCHED_WORD_COST;
const _: () = assert!(
    MIN_WORDS_COST <= UNMATCHED_WORD_COST
        && MIN_WORDS_COST <= OUT_OF_ORDER_COST
        && MIN_WORDS_COST <= IRI_NAME_COST
        && MIN_WORDS_COST <= JOIN_COST
        && MIN_WORDS_COST <= PREFIX_COST
        && MIN_WORDS_COST <= TYPO_COST
);

/// The words of a search text, ready to compare with names.
struct Prepared<'a> {
    words: &'a [String],
    chars: Vec<Vec<char>>,
    key: String,
    /// How much each word tells (see [`search`]).
    weights: Vec<f64>,
    /// Each word's typo budget, and whether it is of an unspaced script
    /// (the same for every name compared: computed once).
    budgets: Vec<u8>,
    unspaced: Vec<bool>,
}

impl<'a> Prepared<'a> {
    fn new(words: &'a [String], weights: Vec<f64>) -> Self {
        Self {
            words,
            chars: words.iter().map(|w| w.chars().collect()).collect(),
            key: exact_key(&words.join(" ")),
            weights,
            budgets: words.iter().map(|w| typo_budget(w)).collect(),
            unspaced: words.iter().map(|w| w.chars().any(is_unspaced)).collect(),
        }
    }
}

/// Whether the words of `folded`, run together, are `key` (as
/// `exact_key(folded) == key`, without making the key).
fn runs_together_to(folded: &str, key: &str) -> bool {
    let mut rest = key.as_bytes();
    for word in words(folded) {
        match rest.strip_prefix(word.as_bytes()) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    rest.is_empty()
}

/// How well the words of a text match a folded text (`aikg:matches`).
pub fn text_match(query: &[String], folded: &str) -> Option<Tier> {
    let text = Prepared::new(query, vec![1.0; query.len()]);
    compare(&text, folded, NameKind::Label, false).map(|m| m.tier)
}

/// How a name (folded, of kind `kind`) matches the words of the text, if
/// it does; with `need_all`, only if it holds every word (a partial match
/// is not wanted: the comparison stops at the first word it misses).
fn compare(text: &Prepared<'_>, folded: &str, kind: NameKind, need_all: bool) -> Option<Match> {
    let query = text.words;
    let name_words: Vec<&str> = words(folded).collect();
    let mut result = Match {
        entity: 0,
        name: 0,
        tier: Tier::Partial,
        cost: 0,
        prefixes: 0,
        typos: 0,
        degree: 0,
    };
    if !name_words.is_empty() && runs_together_to(folded, &text.key) {
        result.tier = match kind {
            NameKind::Label => Tier::Exact,
            NameKind::Alias => Tier::Alias,
            NameKind::Acronym => Tier::Acronym,
            NameKind::Iri => Tier::Iri,
        };
        return Some(result);
    }
    let mut used = vec![false; name_words.len()];
    let mut matched = 0usize;
    let mut matched_weight = 0.0;
    let mut missing = 0u32;
    let mut out_of_order = 0u32;
    let mut last: Option<usize> = None;
    let mut i = 0;
    while i < query.len() {
        let word = query[i].as_str();
        // Two words of the text that are one word of the name ("seoul
        // tech" for "SeoulTech").
        if let Some(next) = query.get(i + 1) {
            let joined = name_words.iter().enumerate().position(|(j, w)| {
                !used[j]
                    && w.len() == word.len() + next.len()
                    && w.starts_with(word)
                    && w.ends_with(next.as_str())
            });
            if let Some(j) = joined {
                used[j] = true;
                matched += 2;
                matched_weight += text.weights[i] + text.weights[i + 1];
                out_of_order += u32::from(last.is_some_and(|l| j < l));
                last = Some(j);
                i += 2;
                continue;
            }
        }
        let budget = text.budgets[i];
        let unspaced = text.unspaced[i];
        // (cost, position, span, prefix, typos); the cheaper kinds of match
        // are looked for first, typos only when no word matches otherwise.
        let mut choice: Option<(u32, usize, usize, bool, u8)> = None;
        for pass in [Pass::Whole, Pass::Prefix, Pass::Typos] {
            if pass == Pass::Typos && budget == 0 {
                break;
            }
            for (j, name_word) in name_words.iter().enumerate() {
                if used[j] {
                    continue;
                }
                let candidate = match pass {
                    Pass::Whole if *name_word == word => Some((0, 1, false, 0)),
                    // One word of the text that is two of the name ("kcloud").
                    Pass::Whole
                        if name_words.get(j + 1).is_some_and(|next| {
                            !used[j + 1]
                                && name_word.len() + next.len() == word.len()
                                && word.starts_with(name_word)
                                && word.ends_with(next)
                        }) =>
                    {
                        Some((JOIN_COST, 2, false, 0))
                    }
                    Pass::Prefix
                        if (word.chars().nth(1).is_some() && name_word.starts_with(word))
                            || (unspaced
                                && inner_starts(name_word)
                                    .iter()
                                    .any(|&s| name_word[s..].starts_with(word))) =>
                    {
                        Some((PREFIX_COST, 1, true, 0))
                    }
                    Pass::Typos => {
                        let distance = if unspaced {
                            prefix_distance_within(&text.chars[i], name_word, budget)
                        } else {
                            distance_within(&text.chars[i], name_word, budget)
                        };
                        distance.map(|d| {
                            let cost = TYPO_COST * u32::from(d) + PREFIX_COST * u32::from(unspaced);
                            (cost, 1, unspaced, d)
                        })
                    }
                    _ => None,
                };
                if let Some((cost, span, prefix, typos)) = candidate {
                    // Ties go to the first word after the last one matched.
                    let in_order = last.is_none_or(|l| j > l);
                    let better = match choice {
                        None => true,
                        Some((c, p, _, _, _)) => {
                            cost < c || (cost == c && in_order && last.is_some_and(|l| p < l))
                        }
                    };
                    if better {
                        choice = Some((cost, j, span, prefix, typos));
                    }
                }
            }
            if choice.is_some() {
                break;
            }
        }
        match choice {
            Some((cost, j, span, prefix, typos)) => {
                used[j..j + span].fill(true);
                matched += 1;
                matched_weight += text.weights[i];
                result.cost += cost;
                result.prefixes += u32::from(prefix);
                result.typos += u32::from(typos);
                out_of_order += u32::from(last.is_some_and(|l| j < l));
                last = Some(j + span - 1);
            }
            None if need_all => return None,
            None => missing += 1,
        }
        i += 1;
    }
    if matched == 0 {
        return None;
    }
    let unmatched_name_words = used.iter().filter(|u| !**u).count() as u32;
    result.cost += unmatched_name_words * UNMATCHED_WORD_COST + out_of_order * OUT_OF_ORDER_COST;
    if kind == NameKind::Iri {
        result.cost += IRI_NAME_COST;
    }
    result.tier = if missing > 0 {
        let total: f64 = text.weights.iter().sum();
        if matched_weight < total / 2.0 {
            return None;
        }
        result.cost += ((1.0 - matched_weight / total) * MISSING_INFORMATION_COST).round() as u32;
        Tier::Partial
    } else if result.typos > 0 {
        Tier::Fuzzy
    } else {
        Tier::Words
    };
    Some(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapped::Bytes;
    use crate::search::index::{build, EntityEntry, NameEntry};

    /// Names made of a few words drawn from a small vocabulary (a fixed
    /// pseudo-random sequence), so that partial matches abound.
    fn index_of_many_names() -> Index {
        const WORDS: &[&str] = &[
            "laboratoire",
            "de",
            "semi",
            "conducteurs",
            "cao",
            "tau",
            "institut",
            "science",
            "lab",
            "nam",
            "ha",
            "university",
            "programme",
            "seoul",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let entities = (0..3000)
            .map(|i| {
                let words = 4 + next(6);
                let label: Vec<&str> = (0..words).map(|_| WORDS[next(WORDS.len())]).collect();
                EntityEntry {
                    iri: format!("http://e/{i}"),
                    names: vec![NameEntry {
                        kind: NameKind::Label,
                        lang: "fr".to_string(),
                        text: label.join(" "),
                    }],
                    degree: next(50) as u32,
                    ..EntityEntry::default()
                }
            })
            .collect();
        Index::from_bytes(Bytes::Owned(build(entities, "s").unwrap().into_bytes())).unwrap()
    }

    /// Listing the words a partial match may hold passes over names, never
    /// over a match: the same entities, tiers and costs as comparing every
    /// name of the scan, down to the last partial match (the limit is above
    /// the number of names: a name passed over wrongly would be missing).
    #[test]
    fn listed_words_change_no_partial_match() {
        let index = index_of_many_names();
        let mut partial = 0;
        for text in [
            "laboratoire de semi conducteurs de cao tau",
            "cao tau semi lab nam ha programme",
            "institut science nam seoul lab university cao",
            "university seoul programme tau cao de ha",
            "semi laboratoire science programme ha institut nam",
            "lab de ha nam seoul conducteurs smei",
            "conducteurs institut tau university laboratoire nam seoul",
            "programme science de cao lab semi ha",
            "seoul tau institut laboratoire conducteurs university programme",
        ] {
            let query: Vec<String> = text.split(' ').map(String::from).collect();
            let filter = Filter::default();
            let ranked = |least_scan| -> Vec<(u32, Tier, u32)> {
                search_listing(&index, &query, &filter, 3000, least_scan)
                    .matches
                    .iter()
                    .map(|m| (m.entity, m.tier, m.cost))
                    .collect()
            };
            let listed = ranked(0);
            assert_eq!(listed, ranked(u64::MAX), "{text}");
            partial += usize::from(listed.iter().any(|m| m.1 == Tier::Partial));
        }
        assert!(partial >= 3, "the texts are matched partially: {partial}");
    }
}
