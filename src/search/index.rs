//! The search index as bytes: built once from the entities and their names,
//! written to one file beside a persistent store, and read back through a
//! memory mapping (nothing is parsed or copied when it is opened).
//!
//! Layout (little-endian): the magic `AIKGSIX1`, a version, a table of
//! sections (offset, length), then the sections:
//!
//! | section | what |
//! |---|---|
//! | stamp | what the index was built from ([`super::stamp`]) |
//! | strings | IRIs, names and their folded forms, languages, classes |
//! | entities | per entity: IRI, its names (a range), degree, same-as cluster |
//! | entity classes | per entity, where its classes start in the class list |
//! | class list, classes | class ids, and the IRI of each class |
//! | names | per name: entity, text, folded text, language, kind, word count |
//! | languages | the language tags |
//! | terms (FST) | every word and inner start of an unspaced word, mapped to its term number |
//! | term postings | per term: where its postings start, how many |
//! | postings | name ids, ascending |
//! | word counts | per name, one byte: its number of words (up to 127), and the high bit set for a name made from the entity's IRI; what a scan of many names reads first |
//! | key buckets | for each of 2^b buckets (b from the section's length), where its keys start in the key checks, and one past the last |
//! | key checks | per key (a word pair run together, after [`PAIR_MARK`], or a whole name run together, after [`WHOLE_MARK`]), the 32 bits of its [`key_hash`] after the b of its bucket; ascending within a bucket |
//! | key starts | per key, where its postings start in the postings, and one past the last key's |
//!
//! Word pairs and whole names are only ever looked up whole, never walked
//! by prefix or typo: they need no dictionary, only their hash. There are
//! millions of them (a name of n words has n - 1 pairs and one whole):
//! hashed, they are neither sorted as strings nor stored as keys. A key is
//! filed under the first b + 32 bits of its hash (2^b is an eighth to a
//! quarter of the keys' postings); two keys that share them share their postings:
//! a lookup returns the names of both, and the comparison of each name
//! with the text rejects the names of the other. No name is ever lost.
//!
//! Entities are numbered by degree, most connected first, and their names
//! in the same order: a posting list read from the start meets the most
//! connected entities first.

use super::normalize::{fold, inner_starts, words};
use crate::error::{Error, Result};
use crate::mapped::Bytes;

const MAGIC: &[u8; 8] = b"AIKGSIX1";
/// 2: word pairs run together are keyed after [`PAIR_MARK`], whole names
/// after [`WHOLE_MARK`].
/// 3: word pairs and whole names are looked up by hash ([`key_hash`]),
/// not in the FST.
/// 4: the word counts flag the names made from IRIs ([`IRI_NAME_BIT`]).
const VERSION: u32 = 4;

/// The bit of a name's word-count byte set when the name is made from
/// its entity's IRI: a scan bounds what such a name costs (it pays for
/// being no real name) without reading its record.
const IRI_NAME_BIT: u8 = 0x80;

/// A name's word-count byte: its number of words (up to 127), and
/// [`IRI_NAME_BIT`] for a name made from its entity's IRI.
fn word_count_byte(words: usize, kind: NameKind) -> u8 {
    let iri = if kind == NameKind::Iri {
        IRI_NAME_BIT
    } else {
        0
    };
    words.min(127) as u8 | iri
}

/// What a word-count byte says: how many words, and whether the name is
/// made from its entity's IRI.
pub fn word_count_of(byte: u8) -> (u8, bool) {
    (byte & !IRI_NAME_BIT, byte & IRI_NAME_BIT != 0)
}

/// The first byte of the key of a word pair run together ("k cloud" is
/// keyed `\xFF kcloud`): a pair and a whole name with the same letters
/// are different keys. Pairs are only ever looked up whole.
pub const PAIR_MARK: u8 = 0xFF;

/// The first byte of the key of a whole name, its words run together
/// ([`super::normalize::exact_key`]): the names a text matches whole are
/// looked up at once, not found among every name that holds its words.
pub const WHOLE_MARK: u8 = 0xFE;

/// The hash under which the index files a pair or whole-name key.
///
/// Written into the index, so it is defined here, not borrowed from a
/// hasher whose output may change between versions of a crate or of
/// Rust: 8 bytes at a time, little-endian, the length first, each step
/// a bijection of the word read (two keys of the same length that differ
/// in one word never collide), then the avalanche of MurmurHash3's
/// `fmix64`. A collision costs a candidate, never a name (see the module
/// documentation).
pub fn key_hash(key: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (key.len() as u64).wrapping_mul(K);
    let mut chunks = key.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        h = (h.rotate_left(23) ^ word).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(23) ^ u64::from_le_bytes(last)).wrapping_mul(K);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// A term number with this bit set is not a term of the FST but the
/// postings of a key: where they start (the low 32 bits) and how many
/// (bits 32 to 62), as [`Index::keyed`] returns it.
const KEYED: u64 = 1 << 63;

/// The most names one key may hold (their count fits in the 31 bits
/// [`KEYED`] leaves it).
const MAX_KEY_NAMES: usize = (1 << 31) - 1;

/// The bucket bits for an index whose keys have `postings` postings.
fn bucket_bits(postings: usize) -> u32 {
    (usize::BITS - (postings / 8).leading_zeros()).min(30)
}

/// The bucket of a hash and what is checked within it.
fn bucket_and_check(hash: u64, bits: u32) -> (usize, u32) {
    let short = hash >> (32 - bits);
    ((short >> 32) as usize, short as u32)
}

/// The key of the names whose words run together are `key`.
pub fn whole_key(key: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(key.len() + 1);
    bytes.push(WHOLE_MARK);
    bytes.extend_from_slice(key.as_bytes());
    bytes
}

/// The key of the word pair `joined` (two words run together).
pub fn pair_key(joined: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(joined.len() + 1);
    key.push(PAIR_MARK);
    key.extend_from_slice(joined.as_bytes());
    key
}

const STAMP: usize = 0;
const STRINGS: usize = 1;
const ENTITIES: usize = 2;
const ENTITY_CLASSES: usize = 3;
const CLASS_LIST: usize = 4;
const CLASSES: usize = 5;
const NAMES: usize = 6;
const LANGS: usize = 7;
const FST: usize = 8;
const TERMS: usize = 9;
const POSTINGS: usize = 10;
const WORD_COUNTS: usize = 11;
const KEY_BUCKETS: usize = 12;
const KEY_CHECKS: usize = 13;
const KEY_STARTS: usize = 14;
const SECTIONS: usize = 15;

const ENTITY_SIZE: usize = 24;
const NAME_SIZE: usize = 24;

/// What a name is to its entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NameKind {
    /// `rdfs:label`, `skos:prefLabel`, `schema:name`, `foaf:name`...
    Label,
    /// `skos:altLabel`, `schema:alternateName`...
    Alias,
    /// `aikg:acronym` (and its sub-properties).
    Acronym,
    /// The last segment of the entity's IRI (`K-Cloud` in `id:K-Cloud`).
    Iri,
}

impl NameKind {
    pub(crate) fn code(self) -> u8 {
        match self {
            Self::Label => 0,
            Self::Alias => 1,
            Self::Acronym => 2,
            Self::Iri => 3,
        }
    }

    pub(crate) fn from_code(code: u8) -> Self {
        match code {
            0 => Self::Label,
            1 => Self::Alias,
            2 => Self::Acronym,
            _ => Self::Iri,
        }
    }

    /// How `search` names it in its "why" column.
    pub fn name(self) -> &'static str {
        match self {
            Self::Label => "label",
            Self::Alias => "alias",
            Self::Acronym => "acronym",
            Self::Iri => "IRI",
        }
    }
}

/// One name of an entity, as read from the store.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct NameEntry {
    pub kind: NameKind,
    /// The language tag, lower case ("" for none).
    pub lang: String,
    pub text: String,
}

/// An entity and what the index keeps of it.
#[derive(Clone, Debug, Default)]
pub struct EntityEntry {
    pub iri: String,
    pub names: Vec<NameEntry>,
    pub classes: Vec<String>,
    /// How many statements it is the subject or the object of.
    pub degree: u32,
    /// IRIs it is `owl:sameAs` (either way).
    pub same_as: Vec<String>,
}

/// Serialises entities into an index whose stamp is `stamp`.
pub fn build(entities: Vec<EntityEntry>, stamp: &str) -> Result<Built> {
    build_hashed(entities, stamp, key_hash)
}

/// [`build`], with the keys hashed by `hash` (tests give one that makes
/// keys collide).
fn build_hashed(
    mut entities: Vec<EntityEntry>,
    stamp: &str,
    hash: fn(&[u8]) -> u64,
) -> Result<Built> {
    let started = std::time::Instant::now();
    // (IRIs are unique: the order is the same whatever the sort.)
    entities.sort_unstable_by(|a, b| b.degree.cmp(&a.degree).then_with(|| a.iri.cmp(&b.iri)));
    for entity in &mut entities {
        entity.names.sort();
        entity.names.dedup();
        entity.classes.sort();
        entity.classes.dedup();
    }
    let clusters = clusters(&entities);
    crate::timing("index: sorted", started);
    let folded = fold_names(&entities);
    crate::timing("index: folded", started);
    // The terms of the names and the rest of the index are independent:
    // filed on two threads, each reading the names in the same order.
    let (records, terms) = std::thread::scope(|scope| {
        let terms = scope.spawn(|| file_terms(&entities, &folded));
        let records = write_records(&entities, &folded, &clusters, hash);
        let terms = terms
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (records, terms)
    });
    let mut records = records?;
    let entity_count = entities.len() as u32;
    // What is left reads none of them: freed on another thread meanwhile
    // (millions of strings).
    let freeing = std::thread::spawn(move || drop((entities, folded, clusters)));
    crate::timing("index: names", started);
    // The keys' postings and the terms' are filed on two threads, the
    // keys' after the terms' in the postings section.
    let (terms, keys) = std::thread::scope(|scope| {
        let keyed = std::mem::take(&mut records.keyed);
        let keys = scope.spawn(move || file_keys(keyed));
        let terms = postings_of_terms(terms);
        let keys = keys.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (terms, keys)
    });
    let TermPostings {
        fst: fst_bytes,
        term_bytes,
        mut postings,
    } = terms?;
    let KeyPostings {
        buckets: key_buckets,
        checks: key_checks,
        starts: relative_starts,
        postings: key_postings,
    } = keys?;
    let base = postings.len() / 4;
    if base + key_postings.len() / 4 > u32::MAX as usize {
        return Err(too_large("more than 4 billion postings"));
    }
    postings.extend_from_slice(&key_postings);
    drop(key_postings);
    let mut key_starts = Vec::with_capacity(relative_starts.len() * 4);
    for start in relative_starts {
        put_u32(&mut key_starts, start + base as u32);
    }
    crate::timing("index: keys", started);
    let _ = freeing.join();

    Ok(Built {
        sections: [
            stamp.as_bytes().to_vec(),
            records.strings.bytes,
            records.entity_bytes,
            records.entity_classes,
            records.class_list,
            records.class_bytes,
            records.name_bytes,
            records.lang_bytes,
            fst_bytes,
            term_bytes,
            postings,
            records.word_counts,
            key_buckets,
            key_checks,
            key_starts,
        ],
        entities: entity_count,
        names: records.names,
    })
}

/// The folded names of `entities`, in order.
fn folded_names(folded: &[Folded]) -> impl Iterator<Item = &str> {
    folded.iter().flat_map(|part| {
        let mut start = 0;
        part.ends.iter().map(move |&end| {
            let name = &part.text[start..end];
            start = end;
            name
        })
    })
}

/// Every section but the terms' and the postings': strings, entities,
/// classes, names, languages, word counts; and each name's pair and
/// whole-name keys, hashed, as (hash, name).
struct Records {
    strings: Strings,
    entity_bytes: Vec<u8>,
    entity_classes: Vec<u8>,
    class_list: Vec<u8>,
    class_bytes: Vec<u8>,
    name_bytes: Vec<u8>,
    lang_bytes: Vec<u8>,
    word_counts: Vec<u8>,
    keyed: Vec<(u64, u32)>,
    names: u32,
}

fn write_records(
    entities: &[EntityEntry],
    folded: &[Folded],
    clusters: &[u32],
    hash: fn(&[u8]) -> u64,
) -> Result<Records> {
    // Sized once: grown as they fill, the largest would be copied again
    // and again.
    let names: usize = entities.iter().map(|e| e.names.len()).sum();
    let text: usize = entities
        .iter()
        .map(|e| e.iri.len() + e.names.iter().map(|n| n.text.len()).sum::<usize>())
        .sum();
    let mut strings = Strings {
        bytes: Vec::with_capacity(text + text / 2),
    };
    let mut langs: Vec<&str> = Vec::new();
    let mut lang_ids: rustc_hash::FxHashMap<&str, u16> = Default::default();
    let mut classes: Vec<&str> = Vec::new();
    let mut class_ids: rustc_hash::FxHashMap<&str, u32> = Default::default();
    let mut entity_bytes = Vec::with_capacity(entities.len() * ENTITY_SIZE);
    let mut entity_classes = Vec::with_capacity((entities.len() + 1) * 4);
    let mut class_list = Vec::new();
    let mut name_bytes = Vec::with_capacity(names * NAME_SIZE);
    let mut word_counts = Vec::with_capacity(names);
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(names * 3);
    let mut name_count: u32 = 0;
    let mut key = Vec::new();
    let mut word_list: Vec<&str> = Vec::new();
    let mut folded_names = folded_names(folded);
    // Most names in a row share their language: the last one is checked
    // before the map.
    let mut last_lang: Option<(&str, u16)> = None;
    for (id, entity) in entities.iter().enumerate() {
        let iri = strings.add(&entity.iri)?;
        put_u32(&mut entity_bytes, iri.0);
        put_u32(&mut entity_bytes, iri.1);
        put_u32(&mut entity_bytes, name_count);
        put_u32(&mut entity_bytes, entity.names.len() as u32);
        put_u32(&mut entity_bytes, entity.degree);
        put_u32(&mut entity_bytes, clusters[id]);
        put_u32(&mut entity_classes, (class_list.len() / 4) as u32);
        for class in &entity.classes {
            let next = classes.len() as u32;
            let class_id = *class_ids.entry(class.as_str()).or_insert_with(|| {
                classes.push(class.as_str());
                next
            });
            put_u32(&mut class_list, class_id);
        }
        for name in &entity.names {
            let folded = folded_names.next().unwrap_or_default();
            let lang = match last_lang {
                Some((tag, id)) if tag == name.lang => id,
                _ => {
                    let id = match lang_ids.get(name.lang.as_str()) {
                        Some(&id) => id,
                        None if langs.len() >= u16::MAX as usize => {
                            return Err(too_large("more than 65 535 language tags"))
                        }
                        None => {
                            let id = langs.len() as u16;
                            lang_ids.insert(name.lang.as_str(), id);
                            langs.push(name.lang.as_str());
                            id
                        }
                    };
                    last_lang = Some((name.lang.as_str(), id));
                    id
                }
            };
            let text = strings.add(&name.text)?;
            let folded_at = strings.add(folded)?;
            word_list.clear();
            word_list.extend(words(folded));
            put_u32(&mut name_bytes, id as u32);
            put_u32(&mut name_bytes, text.0);
            put_u32(&mut name_bytes, text.1);
            put_u32(&mut name_bytes, folded_at.0);
            put_u32(&mut name_bytes, folded_at.1);
            name_bytes.extend_from_slice(&lang.to_le_bytes());
            name_bytes.push(name.kind.code());
            name_bytes.push(word_list.len().min(255) as u8);
            word_counts.push(word_count_byte(word_list.len(), name.kind));
            if !word_list.is_empty() {
                key.clear();
                key.push(WHOLE_MARK);
                for word in &word_list {
                    key.extend_from_slice(word.as_bytes());
                }
                keyed.push((hash(&key), name_count));
            }
            for pair in word_list.windows(2) {
                key.clear();
                key.push(PAIR_MARK);
                key.extend_from_slice(pair[0].as_bytes());
                key.extend_from_slice(pair[1].as_bytes());
                keyed.push((hash(&key), name_count));
            }
            name_count = name_count
                .checked_add(1)
                .ok_or_else(|| too_large("more than 4 billion names"))?;
        }
    }
    put_u32(&mut entity_classes, (class_list.len() / 4) as u32);
    let mut class_bytes = Vec::with_capacity(classes.len() * 8);
    for class in &classes {
        let at = strings.add(class)?;
        put_u32(&mut class_bytes, at.0);
        put_u32(&mut class_bytes, at.1);
    }
    let mut lang_bytes = Vec::with_capacity(langs.len() * 8);
    for lang in &langs {
        let at = strings.add(lang)?;
        put_u32(&mut lang_bytes, at.0);
        put_u32(&mut lang_bytes, at.1);
    }
    Ok(Records {
        strings,
        entity_bytes,
        entity_classes,
        class_list,
        class_bytes,
        name_bytes,
        lang_bytes,
        word_counts,
        keyed,
        names: name_count,
    })
}

/// The terms of the names (each word, and each inner start of an unspaced
/// word), numbered as they are met, and each occurrence as (term, name),
/// names ascending.
struct Terms {
    ids: rustc_hash::FxHashMap<Box<[u8]>, u32>,
    occurrences: Vec<(u32, u32)>,
}

fn file_terms(entities: &[EntityEntry], folded: &[Folded]) -> Terms {
    let names: usize = entities.iter().map(|e| e.names.len()).sum();
    let mut ids: rustc_hash::FxHashMap<Box<[u8]>, u32> = Default::default();
    let mut occurrences: Vec<(u32, u32)> = Vec::with_capacity(names * 3);
    let mut add = |term: &[u8], name: u32| {
        let next = ids.len() as u32;
        let id = match ids.get(term) {
            Some(&id) => id,
            None => *ids.entry(term.into()).or_insert(next),
        };
        occurrences.push((id, name));
    };
    // Names are numbered as [`write_records`] numbers them (it refuses
    // more than u32 can count, and then this is not used).
    for (name, folded) in (0u32..).zip(folded_names(folded)) {
        for word in words(folded) {
            add(word.as_bytes(), name);
            for start in inner_starts(word) {
                add(&word.as_bytes()[start..], name);
            }
        }
    }
    Terms { ids, occurrences }
}

/// The FST of the terms (each mapped to its number in byte order), each
/// term's postings (start, count), and the postings.
struct TermPostings {
    fst: Vec<u8>,
    term_bytes: Vec<u8>,
    postings: Vec<u8>,
}

fn postings_of_terms(terms: Terms) -> Result<TermPostings> {
    let Terms { ids, occurrences } = terms;
    // The postings of each term, in the order the terms were met.
    let mut starts = vec![0usize; ids.len() + 1];
    for &(term, _) in &occurrences {
        starts[term as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut filled = starts.clone();
    let mut by_term = vec![0u32; occurrences.len()];
    for &(term, name) in &occurrences {
        let at = &mut filled[term as usize];
        // A term twice in one name is one posting (the pairs come in name
        // order, so a repeat follows its first).
        if *at > starts[term as usize] && by_term[*at - 1] == name {
            continue;
        }
        by_term[*at] = name;
        *at += 1;
    }
    drop(occurrences);
    let mut sorted: Vec<(Box<[u8]>, u32)> = ids.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut fst_builder = fst::MapBuilder::memory();
    let mut term_bytes = Vec::with_capacity(sorted.len() * 8);
    let mut postings = Vec::with_capacity(by_term.len() * 4);
    for (number, (term, id)) in sorted.iter().enumerate() {
        fst_builder
            .insert(term, number as u64)
            .map_err(|e| Error::Storage(format!("building the search index: {e}")))?;
        let list = &by_term[starts[*id as usize]..filled[*id as usize]];
        put_u32(&mut term_bytes, (postings.len() / 4) as u32);
        put_u32(&mut term_bytes, list.len() as u32);
        for name in list {
            put_u32(&mut postings, *name);
        }
    }
    let fst = fst_builder
        .into_inner()
        .map_err(|e| Error::Storage(format!("building the search index: {e}")))?;
    Ok(TermPostings {
        fst,
        term_bytes,
        postings,
    })
}

/// The key sections: buckets, checks, and where each key's postings
/// start, counted from the first key's (the caller places them after the
/// terms' postings).
struct KeyPostings {
    buckets: Vec<u8>,
    checks: Vec<u8>,
    starts: Vec<u32>,
    postings: Vec<u8>,
}

fn file_keys(keyed: Vec<(u64, u32)>) -> Result<KeyPostings> {
    // The keys by bucket (a counting sort: the entries come in name order
    // and stay so within a bucket), then each bucket's few by check.
    let bits = bucket_bits(keyed.len());
    let mut bucket_starts = vec![0usize; (1usize << bits) + 1];
    for &(hash, _) in &keyed {
        bucket_starts[bucket_and_check(hash, bits).0 + 1] += 1;
    }
    for i in 1..bucket_starts.len() {
        bucket_starts[i] += bucket_starts[i - 1];
    }
    let mut placed = bucket_starts.clone();
    let mut by_bucket = vec![(0u32, 0u32); keyed.len()];
    for &(hash, name) in &keyed {
        let (bucket, check) = bucket_and_check(hash, bits);
        by_bucket[placed[bucket]] = (check, name);
        placed[bucket] += 1;
    }
    drop(keyed);
    drop(placed);
    let mut buckets = Vec::with_capacity(bucket_starts.len() * 4);
    let mut checks = Vec::new();
    let mut starts = Vec::new();
    let mut postings = Vec::with_capacity(by_bucket.len() * 4);
    put_u32(&mut buckets, 0);
    for bucket in bucket_starts.windows(2) {
        let entries = &mut by_bucket[bucket[0]..bucket[1]];
        // A key twice in one name is one posting.
        entries.sort_unstable();
        let mut run = 0;
        while run < entries.len() {
            let check = entries[run].0;
            let end = run + entries[run..].partition_point(|&(c, _)| c == check);
            if end - run > MAX_KEY_NAMES {
                return Err(too_large(
                    "more than 2 billion names of one name or word pair",
                ));
            }
            put_u32(&mut checks, check);
            starts.push((postings.len() / 4) as u32);
            let mut last = None;
            for &(_, name) in &entries[run..end] {
                if last != Some(name) {
                    put_u32(&mut postings, name);
                    last = Some(name);
                }
            }
            run = end;
        }
        put_u32(&mut buckets, (checks.len() / 4) as u32);
    }
    starts.push((postings.len() / 4) as u32);
    Ok(KeyPostings {
        buckets,
        checks,
        starts,
        postings,
    })
}

/// The folded names of some entities, run together, and where each ends.
struct Folded {
    text: String,
    ends: Vec<usize>,
}

/// The folded form of every name of `entities`, in order, folded on
/// every core (folding is what costs most in a build after filing the
/// terms, and each name is folded on its own).
fn fold_names(entities: &[EntityEntry]) -> Vec<Folded> {
    // Small parts dealt in turn: the names of the most connected entities,
    // first, are not those of the others (more scripts, more accents).
    const PART: usize = 4096;
    let threads = crate::cores();
    let parts: Vec<&[EntityEntry]> = entities.chunks(PART).collect();
    let mut dealt: Vec<std::vec::IntoIter<Folded>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|thread| {
                let parts = &parts;
                scope.spawn(move || {
                    parts
                        .iter()
                        .skip(thread)
                        .step_by(threads)
                        .map(|part| {
                            let mut folded = Folded {
                                text: String::new(),
                                ends: Vec::new(),
                            };
                            for name in part.iter().flat_map(|e| &e.names) {
                                folded.text.push_str(&fold(&name.text));
                                folded.ends.push(folded.text.len());
                            }
                            folded
                        })
                        .collect::<Vec<Folded>>()
                        .into_iter()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    (0..parts.len())
        .filter_map(|i| dealt[i % threads].next())
        .collect()
}

/// An index just built, as its sections: written to its file as they
/// are (not copied into one buffer first: at a million entities, the
/// index is hundreds of megabytes).
pub struct Built {
    sections: [Vec<u8>; SECTIONS],
    pub entities: u32,
    pub names: u32,
}

impl Built {
    fn header(&self) -> Vec<u8> {
        let size = 8 + 4 + 4 + SECTIONS * 16;
        let mut header = Vec::with_capacity(size);
        header.extend_from_slice(MAGIC);
        put_u32(&mut header, VERSION);
        put_u32(&mut header, SECTIONS as u32);
        let mut offset = size as u64;
        for section in &self.sections {
            header.extend_from_slice(&offset.to_le_bytes());
            header.extend_from_slice(&(section.len() as u64).to_le_bytes());
            offset += section.len() as u64;
        }
        header
    }

    /// The same index, stamped `stamp` (built before the stamp was known).
    pub fn with_stamp(mut self, stamp: &str) -> Self {
        self.sections[STAMP] = stamp.as_bytes().to_vec();
        self
    }

    /// Its size in bytes.
    pub fn size(&self) -> usize {
        self.header().len() + self.sections.iter().map(Vec::len).sum::<usize>()
    }

    pub fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(&self.header())?;
        for section in &self.sections {
            out.write_all(section)?;
        }
        Ok(())
    }

    /// The index as one buffer, to search in memory.
    pub fn into_bytes(self) -> Vec<u8> {
        let mut out = self.header();
        out.reserve(self.sections.iter().map(Vec::len).sum());
        for section in self.sections {
            out.extend_from_slice(&section);
        }
        out
    }
}

fn too_large(what: &str) -> Error {
    Error::usage(
        format!("the search index cannot hold {what}"),
        "search works on stores of up to hundreds of millions of names; split the data into several stores",
    )
}

fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

#[derive(Default)]
struct Strings {
    bytes: Vec<u8>,
}

impl Strings {
    fn add(&mut self, s: &str) -> Result<(u32, u32)> {
        let at = u32::try_from(self.bytes.len())
            .ok()
            .filter(|at| at.checked_add(s.len() as u32).is_some() && s.len() <= u32::MAX as usize)
            .ok_or_else(|| too_large("more than 4 GiB of names and IRIs"))?;
        self.bytes.extend_from_slice(s.as_bytes());
        Ok((at, s.len() as u32))
    }
}

/// The cluster of each entity (the smallest entity id among those
/// `owl:sameAs` links join, directly or through IRIs outside the index).
fn clusters(entities: &[EntityEntry]) -> Vec<u32> {
    if entities.iter().all(|e| e.same_as.is_empty()) {
        return (0..entities.len() as u32).collect();
    }
    let mut ids: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for (i, e) in entities.iter().enumerate() {
        ids.insert(&e.iri, i);
    }
    let mut parent: Vec<usize> = (0..entities.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut outside: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for (i, e) in entities.iter().enumerate() {
        for other in &e.same_as {
            let j = match ids.get(other.as_str()) {
                Some(&j) => j,
                None => *outside.entry(other).or_insert(i),
            };
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    (0..entities.len())
        .map(|i| root(&mut parent, i) as u32)
        .collect()
}

/// An index, owned or mapped from its file.
pub struct Index {
    bytes: Bytes,
    /// [`key_hash`] (tests give another).
    key_hash: fn(&[u8]) -> u64,
    sections: [(usize, usize); SECTIONS],
}

/// One entity of the index.
#[derive(Clone, Copy, Debug)]
pub struct EntityView<'a> {
    pub iri: &'a str,
    pub first_name: u32,
    pub name_count: u32,
    pub degree: u32,
    pub cluster: u32,
}

/// One name of the index.
#[derive(Clone, Copy, Debug)]
pub struct NameView<'a> {
    pub entity: u32,
    pub text: &'a str,
    pub folded: &'a str,
    pub lang: &'a str,
    pub kind: NameKind,
    pub words: u8,
}

/// What ranking needs to know of a name before comparing it.
#[derive(Clone, Copy, Debug)]
pub struct NameShape {
    pub entity: u32,
    pub kind: NameKind,
    pub words: u8,
    /// The length of the folded name, in bytes.
    pub folded_len: u32,
}

impl Index {
    /// Reads an index from its bytes, checking its structure (not its
    /// content: accessors never read out of bounds whatever the bytes).
    pub fn from_bytes(bytes: Bytes) -> std::result::Result<Self, String> {
        let data: &[u8] = &bytes;
        if data.len() < 16 || &data[..8] != MAGIC {
            return Err("not an aikg search index".into());
        }
        let version = u32::from_le_bytes(data[8..12].try_into().unwrap_or_default());
        let count = u32::from_le_bytes(data[12..16].try_into().unwrap_or_default()) as usize;
        if version != VERSION || count != SECTIONS {
            return Err(format!("index format {version}, this aikg reads {VERSION}"));
        }
        let mut sections = [(0usize, 0usize); SECTIONS];
        for (i, section) in sections.iter_mut().enumerate() {
            let at = 16 + i * 16;
            let field = |k: usize| -> Option<usize> {
                let raw = data.get(at + k..at + k + 8)?;
                usize::try_from(u64::from_le_bytes(raw.try_into().ok()?)).ok()
            };
            let (offset, len) = (field(0).ok_or("truncated")?, field(8).ok_or("truncated")?);
            if offset.checked_add(len).is_none_or(|end| end > data.len()) {
                return Err("truncated".into());
            }
            *section = (offset, len);
        }
        let index = Self {
            bytes,
            sections,
            key_hash,
        };
        let sized = |s: usize, size: usize| index.section(s).len().is_multiple_of(size);
        if !(sized(ENTITIES, ENTITY_SIZE)
            && sized(NAMES, NAME_SIZE)
            && sized(TERMS, 8)
            && sized(POSTINGS, 4)
            && sized(CLASS_LIST, 4)
            && sized(CLASSES, 8)
            && sized(LANGS, 8)
            && index.section(ENTITY_CLASSES).len() == (index.entity_count() as usize + 1) * 4
            && index.section(WORD_COUNTS).len() == index.name_count() as usize
            && sized(KEY_BUCKETS, 4)
            && (index.section(KEY_BUCKETS).len() / 4)
                .checked_sub(1)
                .is_some_and(|b| b.is_power_of_two() && b <= 1 << 32)
            && sized(KEY_CHECKS, 4)
            && index.section(KEY_STARTS).len() == index.section(KEY_CHECKS).len() + 4)
        {
            return Err("inconsistent sections".into());
        }
        fst::Map::new(index.section(FST)).map_err(|e| e.to_string())?;
        Ok(index)
    }

    fn section(&self, s: usize) -> &[u8] {
        let (offset, len) = self.sections[s];
        &self.bytes[offset..offset + len]
    }

    fn u32_at(&self, s: usize, at: usize) -> u32 {
        self.section(s)
            .get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u32::from_le_bytes)
    }

    fn string(&self, at: u32, len: u32) -> &str {
        let strings = self.section(STRINGS);
        let (at, len) = (at as usize, len as usize);
        strings
            .get(at..at.saturating_add(len))
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// What the index was built from.
    pub fn stamp(&self) -> &str {
        std::str::from_utf8(self.section(STAMP)).unwrap_or("")
    }

    pub fn entity_count(&self) -> u32 {
        (self.section(ENTITIES).len() / ENTITY_SIZE) as u32
    }

    pub fn name_count(&self) -> u32 {
        (self.section(NAMES).len() / NAME_SIZE) as u32
    }

    /// The size of the index in bytes.
    pub fn size(&self) -> usize {
        self.bytes.len()
    }

    pub fn entity(&self, id: u32) -> EntityView<'_> {
        let at = id as usize * ENTITY_SIZE;
        let field = |k: usize| self.u32_at(ENTITIES, at + k * 4);
        EntityView {
            iri: self.string(field(0), field(1)),
            first_name: field(2),
            name_count: field(3),
            degree: field(4),
            cluster: field(5),
        }
    }

    /// The class ids of an entity.
    pub fn entity_classes(&self, id: u32) -> impl Iterator<Item = u32> + '_ {
        let start = self.u32_at(ENTITY_CLASSES, id as usize * 4) as usize;
        let end = self.u32_at(ENTITY_CLASSES, id as usize * 4 + 4) as usize;
        (start..end.max(start)).map(move |i| self.u32_at(CLASS_LIST, i * 4))
    }

    pub fn class_count(&self) -> u32 {
        (self.section(CLASSES).len() / 8) as u32
    }

    pub fn class_iri(&self, class: u32) -> &str {
        let at = class as usize * 8;
        self.string(self.u32_at(CLASSES, at), self.u32_at(CLASSES, at + 4))
    }

    pub fn name(&self, id: u32) -> NameView<'_> {
        let at = id as usize * NAME_SIZE;
        let field = |k: usize| self.u32_at(NAMES, at + k * 4);
        let tail = self.section(NAMES).get(at + 20..at + 24).unwrap_or(&[0; 4]);
        let lang = u16::from_le_bytes([tail[0], tail[1]]) as usize;
        NameView {
            entity: field(0),
            text: self.string(field(1), field(2)),
            folded: self.string(field(3), field(4)),
            lang: self.string(
                self.u32_at(LANGS, lang * 8),
                self.u32_at(LANGS, lang * 8 + 4),
            ),
            kind: NameKind::from_code(tail[2]),
            words: tail[3],
        }
    }

    /// A name's entity, kind, word count and folded length (no string read).
    pub fn name_shape(&self, id: u32) -> NameShape {
        let at = id as usize * NAME_SIZE;
        let tail = self.section(NAMES).get(at + 20..at + 24).unwrap_or(&[0; 4]);
        NameShape {
            entity: self.u32_at(NAMES, at),
            kind: NameKind::from_code(tail[2]),
            words: tail[3],
            folded_len: self.u32_at(NAMES, at + 16),
        }
    }

    /// Per name, its word-count byte (read with [`word_count_of`]).
    pub fn word_counts(&self) -> &[u8] {
        self.section(WORD_COUNTS)
    }

    /// An entity's degree (no string read).
    pub fn entity_degree(&self, id: u32) -> u32 {
        self.u32_at(ENTITIES, id as usize * ENTITY_SIZE + 16)
    }

    /// A name's folded text.
    pub fn name_folded(&self, id: u32) -> &str {
        let at = id as usize * NAME_SIZE;
        self.string(self.u32_at(NAMES, at + 12), self.u32_at(NAMES, at + 16))
    }

    /// What the index holds, as collected from a store (to add to it).
    pub fn collected(&self) -> super::collect::Collected {
        let mut collected = super::collect::Collected::default();
        for id in 0..self.entity_count() {
            let entity = self.entity(id);
            let iri = entity.iri.to_string();
            for n in entity.first_name..entity.first_name.saturating_add(entity.name_count) {
                let name = self.name(n);
                if name.kind != NameKind::Iri {
                    collected.names.push((
                        iri.clone(),
                        NameEntry {
                            kind: name.kind,
                            lang: name.lang.to_string(),
                            text: name.text.to_string(),
                        },
                    ));
                }
            }
            for class in self.entity_classes(id) {
                collected
                    .types
                    .push((iri.clone(), self.class_iri(class).to_string()));
            }
            if entity.cluster != id {
                collected
                    .same_as
                    .push((iri.clone(), self.entity(entity.cluster).iri.to_string()));
            }
            collected.degrees.insert(iri, entity.degree);
        }
        collected
    }

    /// The term dictionary (checked when the index was opened).
    pub fn terms(&self) -> Option<fst::Map<&[u8]>> {
        fst::Map::new(self.section(FST)).ok()
    }

    /// The names filed under a word pair or whole-name key ([`pair_key`],
    /// [`whole_key`]), and under any other key that shares its bucket and
    /// check, as a term number for [`posting_slice`](Self::posting_slice)
    /// and [`posting_count`](Self::posting_count); `None` if there are none.
    pub fn keyed(&self, key: &[u8]) -> Option<u64> {
        let buckets = (self.section(KEY_BUCKETS).len() / 4).saturating_sub(1);
        let (bucket, check) =
            bucket_and_check((self.key_hash)(key), buckets.trailing_zeros().min(32));
        let first = self.u32_at(KEY_BUCKETS, bucket * 4) as usize;
        let end = self.u32_at(KEY_BUCKETS, bucket * 4 + 4) as usize;
        let (mut low, mut high) = (first, end.max(first));
        while low < high {
            let mid = low + (high - low) / 2;
            match self.u32_at(KEY_CHECKS, mid * 4).cmp(&check) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => {
                    let start = self.u32_at(KEY_STARTS, mid * 4);
                    let count = self.u32_at(KEY_STARTS, mid * 4 + 4).saturating_sub(start);
                    let count = count.min(MAX_KEY_NAMES as u32);
                    return Some(KEYED | u64::from(count) << 32 | u64::from(start));
                }
            }
        }
        None
    }

    /// How many names hold a term.
    pub fn posting_count(&self, term: u64) -> u32 {
        if term & KEYED != 0 {
            return ((term >> 32) as u32) & (MAX_KEY_NAMES as u32);
        }
        self.u32_at(TERMS, term as usize * 8 + 4)
    }

    /// The names that hold a term, in ascending order, as little-endian
    /// `u32`s.
    pub fn posting_slice(&self, term: u64) -> &[u8] {
        let start = if term & KEYED != 0 {
            term as u32 as usize
        } else {
            self.u32_at(TERMS, term as usize * 8) as usize
        };
        let count = self.posting_count(term) as usize;
        self.section(POSTINGS)
            .get(start * 4..(start + count) * 4)
            .unwrap_or(&[])
    }

    /// The names that hold a term, in ascending order.
    pub fn postings(&self, term: u64) -> impl Iterator<Item = u32> + '_ {
        self.posting_slice(term)
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labelled(iri: &str, labels: &[&str], degree: u32) -> EntityEntry {
        EntityEntry {
            iri: iri.to_string(),
            names: labels
                .iter()
                .map(|text| NameEntry {
                    kind: NameKind::Label,
                    lang: "en".to_string(),
                    text: text.to_string(),
                })
                .collect(),
            degree,
            ..EntityEntry::default()
        }
    }

    fn entities() -> Vec<EntityEntry> {
        vec![
            labelled("http://e/snu", &["Seoul National University"], 9),
            labelled("http://e/nus", &["National University of Singapore"], 8),
            labelled("http://e/kcloud", &["K-Cloud"], 7),
            labelled("http://e/alpha", &["Alpha Beta"], 6),
            labelled(
                "http://e/gamma",
                &["Gamma Delta", "Gamma Delta Gamma Delta"],
                5,
            ),
        ]
    }

    fn opened(built: Built, hash: fn(&[u8]) -> u64) -> Index {
        let mut index = Index::from_bytes(Bytes::Owned(built.into_bytes())).unwrap();
        index.key_hash = hash;
        index
    }

    /// The folded names a key finds.
    fn found<'a>(index: &'a Index, key: &[u8]) -> Vec<&'a str> {
        index.keyed(key).map_or(Vec::new(), |term| {
            let names: Vec<u32> = index.postings(term).collect();
            assert_eq!(names.len(), index.posting_count(term) as usize);
            assert!(
                names.windows(2).all(|w| w[0] < w[1]),
                "ascending: {names:?}"
            );
            names.into_iter().map(|n| index.name_folded(n)).collect()
        })
    }

    #[test]
    fn word_pairs_and_whole_names_are_found_by_their_hash() {
        let index = opened(build(entities(), "s").unwrap(), key_hash);
        assert_eq!(
            found(&index, &whole_key("seoulnationaluniversity")),
            ["seoul national university"]
        );
        assert_eq!(
            found(&index, &pair_key("nationaluniversity")),
            [
                "seoul national university",
                "national university of singapore"
            ]
        );
        assert_eq!(found(&index, &pair_key("kcloud")), ["k cloud"]);
        assert_eq!(found(&index, &whole_key("kcloud")), ["k cloud"]);
        // A pair twice in one name is one posting.
        assert_eq!(
            found(&index, &pair_key("gammadelta")),
            ["gamma delta", "gamma delta gamma delta"]
        );
        // A pair is not a whole name, nor the reverse.
        assert!(found(&index, &whole_key("nationaluniversity")).is_empty());
        assert!(found(&index, &pair_key("alphabetagamma")).is_empty());
        assert!(found(&index, &whole_key("seoul")).is_empty());
        // The FST holds the words, not the pairs nor the whole names.
        let terms = index.terms().unwrap();
        assert!(terms.get("seoul").is_some());
        assert!(terms.get(pair_key("nationaluniversity")).is_none());
        assert!(terms.get(whole_key("kcloud")).is_none());
        assert!(terms.get("nationaluniversity").is_none());
    }

    #[test]
    fn keys_that_share_a_hash_lose_no_name_and_the_comparison_sorts_them_out() {
        // Every key collides with every other: each lookup returns the
        // names of all of them.
        fn collide(_: &[u8]) -> u64 {
            42
        }
        let index = opened(build_hashed(entities(), "s", collide).unwrap(), collide);
        assert_eq!(found(&index, &whole_key("alphabeta")).len(), 6);
        assert_eq!(found(&index, &pair_key("nosuchpair")).len(), 6);
        // A search finds what it finds with the real hash.
        let real = opened(build(entities(), "s").unwrap(), key_hash);
        let filter = super::super::rank::Filter::default();
        for text in [
            "alpha beta",
            "gamma delta",
            "kcloud",
            "seoul national university",
            "national university",
            "k cloud",
        ] {
            let words = super::super::rank::query_words(text).unwrap();
            let hits = |index: &Index| -> Vec<(u32, u32, super::super::rank::Tier)> {
                super::super::rank::search(index, &words, &filter, 10)
                    .matches
                    .iter()
                    .map(|m| (m.entity, m.name, m.tier))
                    .collect()
            };
            let expected = hits(&real);
            assert!(!expected.is_empty(), "{text}");
            assert_eq!(hits(&index), expected, "{text}");
        }
    }

    #[test]
    fn an_index_of_another_format_is_refused() {
        let bytes = build(entities(), "s").unwrap().into_bytes();
        assert!(Index::from_bytes(Bytes::Owned(bytes.clone())).is_ok());
        // The format before word pairs and whole names were hashed.
        let mut old = bytes.clone();
        old[8..12].copy_from_slice(&2u32.to_le_bytes());
        old[12..16].copy_from_slice(&12u32.to_le_bytes());
        let refused = Index::from_bytes(Bytes::Owned(old)).err().unwrap();
        assert_eq!(
            refused,
            format!("index format 2, this aikg reads {VERSION}")
        );
        let mut other = bytes.clone();
        other[..8].copy_from_slice(b"NOTANIDX");
        assert_eq!(
            Index::from_bytes(Bytes::Owned(other)).err().unwrap(),
            "not an aikg search index"
        );
        // Key sections that do not fit together are refused too.
        let mut truncated = bytes;
        let at = 16 + KEY_STARTS * 16 + 8;
        let len = u64::from_le_bytes(truncated[at..at + 8].try_into().unwrap());
        truncated[at..at + 8].copy_from_slice(&(len - 4).to_le_bytes());
        assert_eq!(
            Index::from_bytes(Bytes::Owned(truncated)).err().unwrap(),
            "inconsistent sections"
        );
    }

    #[test]
    fn the_key_hash_is_part_of_the_format() {
        // Indexes on disk were written with these values: a change of the
        // hash must change VERSION.
        assert_eq!(key_hash(b""), PINNED[0]);
        assert_eq!(key_hash(&whole_key("seoulnationaluniversity")), PINNED[1]);
        assert_eq!(key_hash(&pair_key("kcloud")), PINNED[2]);
        // Keys of one length that differ in one byte never share a hash.
        let key = whole_key("seoulnationaluniversity");
        for at in 0..key.len() {
            let mut changed = key.clone();
            changed[at] ^= 1;
            assert_ne!(key_hash(&changed), key_hash(&key), "byte {at}");
        }
        // Nor do keys that differ only in trailing zero bytes.
        assert_ne!(key_hash(b"ab"), key_hash(b"ab\0"));
    }

    /// Computed by a transcription of [`key_hash`] into Python, not by the
    /// function itself.
    const PINNED: [u64; 3] = [0, 16_716_510_594_560_911_518, 10_638_108_676_519_469_885];
}
