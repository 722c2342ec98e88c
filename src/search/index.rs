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
//! | terms (FST) | every word, word pair run together (after [`PAIR_MARK`]), whole name run together (after [`WHOLE_MARK`]) and inner start of an unspaced word, mapped to its term number |
//! | term postings | per term: where its postings start, how many |
//! | postings | name ids, ascending |
//! | word counts | per name, its number of words (up to 255), one byte: what a scan of many names reads first |
//!
//! Entities are numbered by degree, most connected first, and their names
//! in the same order: a posting list read from the start meets the most
//! connected entities first.

use super::normalize::{fold, inner_starts, words};
use crate::error::{Error, Result};
use crate::mapped::Bytes;
use std::collections::HashMap;

const MAGIC: &[u8; 8] = b"AIKGSIX1";
/// 2: word pairs run together are keyed after [`PAIR_MARK`], whole names
/// after [`WHOLE_MARK`].
const VERSION: u32 = 2;

/// The first byte of the key of a word pair run together ("k cloud" is
/// keyed `\xFF kcloud`): no UTF-8 text starts with it, so that the prefix
/// and typo walks over the words never wander among the pairs (which
/// would multiply the terms a common word begins: "programme" begins
/// every "programme X"). Pairs are only ever looked up whole.
pub const PAIR_MARK: u8 = 0xFF;

/// The first byte of the key of a whole name, its words run together
/// ([`super::normalize::exact_key`]): the names a text matches whole are
/// looked up at once, not found among every name that holds its words.
pub const WHOLE_MARK: u8 = 0xFE;

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
const SECTIONS: usize = 12;

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
    fn code(self) -> u8 {
        match self {
            Self::Label => 0,
            Self::Alias => 1,
            Self::Acronym => 2,
            Self::Iri => 3,
        }
    }

    fn from_code(code: u8) -> Self {
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
pub fn build(mut entities: Vec<EntityEntry>, stamp: &str) -> Result<Built> {
    entities.sort_by(|a, b| b.degree.cmp(&a.degree).then_with(|| a.iri.cmp(&b.iri)));
    let clusters = clusters(&entities);
    let mut strings = Strings::default();
    let mut langs: Vec<String> = Vec::new();
    let mut lang_ids: HashMap<String, u16> = HashMap::new();
    let mut classes: Vec<String> = Vec::new();
    let mut class_ids: HashMap<String, u32> = HashMap::new();
    let mut entity_bytes = Vec::with_capacity(entities.len() * ENTITY_SIZE);
    let mut entity_classes = Vec::with_capacity((entities.len() + 1) * 4);
    let mut class_list = Vec::new();
    let mut name_bytes = Vec::new();
    let mut word_counts = Vec::new();
    // Each distinct term gets a number as it is met; its postings are
    // gathered as (term, name) pairs, names ascending, then grouped by
    // term (most terms, pairs and whole names, have one name: a list
    // each would be millions of allocations).
    let mut term_ids: rustc_hash::FxHashMap<Box<[u8]>, u32> = Default::default();
    let mut occurrences: Vec<(u32, u32)> = Vec::new();
    let mut name_count: u32 = 0;
    for (id, entity) in entities.iter_mut().enumerate() {
        entity.names.sort();
        entity.names.dedup();
        let iri = strings.add(&entity.iri)?;
        put_u32(&mut entity_bytes, iri.0);
        put_u32(&mut entity_bytes, iri.1);
        put_u32(&mut entity_bytes, name_count);
        put_u32(&mut entity_bytes, entity.names.len() as u32);
        put_u32(&mut entity_bytes, entity.degree);
        put_u32(&mut entity_bytes, clusters[id]);
        put_u32(&mut entity_classes, (class_list.len() / 4) as u32);
        entity.classes.sort();
        entity.classes.dedup();
        for class in &entity.classes {
            let next = class_ids.len() as u32;
            let class_id = *class_ids.entry(class.clone()).or_insert_with(|| {
                classes.push(class.clone());
                next
            });
            put_u32(&mut class_list, class_id);
        }
        for name in &entity.names {
            let folded = fold(&name.text);
            let next = lang_ids.len();
            if next >= u16::MAX as usize && !lang_ids.contains_key(&name.lang) {
                return Err(too_large("more than 65 535 language tags"));
            }
            let lang = *lang_ids.entry(name.lang.clone()).or_insert_with(|| {
                langs.push(name.lang.clone());
                next as u16
            });
            let text = strings.add(&name.text)?;
            let folded_at = strings.add(&folded)?;
            let word_list: Vec<&str> = words(&folded).collect();
            put_u32(&mut name_bytes, id as u32);
            put_u32(&mut name_bytes, text.0);
            put_u32(&mut name_bytes, text.1);
            put_u32(&mut name_bytes, folded_at.0);
            put_u32(&mut name_bytes, folded_at.1);
            name_bytes.extend_from_slice(&lang.to_le_bytes());
            name_bytes.push(name.kind.code());
            name_bytes.push(word_list.len().min(255) as u8);
            word_counts.push(word_list.len().min(255) as u8);
            let mut add = |term: &[u8]| {
                let next = term_ids.len() as u32;
                let id = match term_ids.get(term) {
                    Some(&id) => id,
                    None => *term_ids.entry(term.into()).or_insert(next),
                };
                occurrences.push((id, name_count));
            };
            let mut pair = Vec::new();
            if !word_list.is_empty() {
                pair.push(WHOLE_MARK);
                for word in &word_list {
                    pair.extend_from_slice(word.as_bytes());
                }
                add(&pair);
            }
            for (i, word) in word_list.iter().enumerate() {
                add(word.as_bytes());
                if let Some(next) = word_list.get(i + 1) {
                    pair.clear();
                    pair.push(PAIR_MARK);
                    pair.extend_from_slice(word.as_bytes());
                    pair.extend_from_slice(next.as_bytes());
                    add(&pair);
                }
                for start in inner_starts(word) {
                    add(&word.as_bytes()[start..]);
                }
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
    // The postings of each term, in the order the terms were met.
    let mut starts = vec![0usize; term_ids.len() + 1];
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
    let mut sorted: Vec<(Box<[u8]>, u32)> = term_ids.into_iter().collect();
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
    if postings.len() / 4 > u32::MAX as usize {
        return Err(too_large("more than 4 billion postings"));
    }
    let fst_bytes = fst_builder
        .into_inner()
        .map_err(|e| Error::Storage(format!("building the search index: {e}")))?;
    Ok(Built {
        sections: [
            stamp.as_bytes().to_vec(),
            strings.bytes,
            entity_bytes,
            entity_classes,
            class_list,
            class_bytes,
            name_bytes,
            lang_bytes,
            fst_bytes,
            term_bytes,
            postings,
            word_counts,
        ],
        entities: entities.len() as u32,
        names: name_count,
    })
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
    let mut ids: HashMap<&str, usize> = HashMap::new();
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
    let mut outside: HashMap<&str, usize> = HashMap::new();
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
        let index = Self { bytes, sections };
        let sized = |s: usize, size: usize| index.section(s).len().is_multiple_of(size);
        if !(sized(ENTITIES, ENTITY_SIZE)
            && sized(NAMES, NAME_SIZE)
            && sized(TERMS, 8)
            && sized(POSTINGS, 4)
            && sized(CLASS_LIST, 4)
            && sized(CLASSES, 8)
            && sized(LANGS, 8)
            && index.section(ENTITY_CLASSES).len() == (index.entity_count() as usize + 1) * 4
            && index.section(WORD_COUNTS).len() == index.name_count() as usize)
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

    /// How many words a name has (up to 255), read from one byte.
    pub fn word_count(&self, id: u32) -> u8 {
        self.section(WORD_COUNTS)
            .get(id as usize)
            .copied()
            .unwrap_or(0)
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

    /// How many names hold a term.
    pub fn posting_count(&self, term: u64) -> u32 {
        self.u32_at(TERMS, term as usize * 8 + 4)
    }

    /// The names that hold a term, in ascending order, as little-endian
    /// `u32`s.
    pub fn posting_slice(&self, term: u64) -> &[u8] {
        let start = self.u32_at(TERMS, term as usize * 8) as usize;
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
