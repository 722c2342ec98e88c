//! Forward chaining to a fixpoint: every triple the chosen rule families
//! entail, each with the rule and the premises it was first derived from.
//!
//! Terms are interned as `u32`s and triples are `[s, p, o]` rows in one
//! append-only table: the stated triples first, then each inferred one as it
//! is found. The table is its own work list (a cursor walks it while rules
//! append), and a derivation only ever points at rows above it, so every
//! proof is finite and ends in stated triples.
//!
//! The schema (hierarchies, domains, ranges, inverses, symmetric and
//! transitive properties, sameAs classes) is read from the triples first and
//! closed (the scm-* and eq-sym/eq-trans rules); the instance rules then
//! follow *direct* schema edges, so a type three classes up is reached in
//! three steps, each with a one-line reason. Should an instance rule derive a
//! new schema triple (a property typed owl:TransitiveProperty through a
//! subclass, a sub-property of rdfs:subClassOf...), the schema is read again
//! and the table walked once more, until nothing changes.

use super::rules::{Family, Rule, RuleSet};
use oxigraph::model::{NamedNodeRef, Term, TermRef};
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;

/// An interned term.
pub type Id = u32;
/// "No premise" / "no entry".
pub const NONE: u32 = u32::MAX;

/// The vocabulary the rules read, interned first, at these ids.
pub mod vocab {
    use super::Id;
    pub const TYPE: Id = 0;
    pub const SUB_CLASS_OF: Id = 1;
    pub const SUB_PROPERTY_OF: Id = 2;
    pub const DOMAIN: Id = 3;
    pub const RANGE: Id = 4;
    pub const EQUIVALENT_CLASS: Id = 5;
    pub const EQUIVALENT_PROPERTY: Id = 6;
    pub const INVERSE_OF: Id = 7;
    pub const SYMMETRIC_PROPERTY: Id = 8;
    pub const TRANSITIVE_PROPERTY: Id = 9;
    pub const SAME_AS: Id = 10;

    pub(crate) const IRIS: [&str; 11] = [
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "http://www.w3.org/2000/01/rdf-schema#subClassOf",
        "http://www.w3.org/2000/01/rdf-schema#subPropertyOf",
        "http://www.w3.org/2000/01/rdf-schema#domain",
        "http://www.w3.org/2000/01/rdf-schema#range",
        "http://www.w3.org/2002/07/owl#equivalentClass",
        "http://www.w3.org/2002/07/owl#equivalentProperty",
        "http://www.w3.org/2002/07/owl#inverseOf",
        "http://www.w3.org/2002/07/owl#SymmetricProperty",
        "http://www.w3.org/2002/07/owl#TransitiveProperty",
        "http://www.w3.org/2002/07/owl#sameAs",
    ];
}
use vocab::*;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Iri,
    Blank,
    Literal,
}

/// The term table. Terms are found by a 64-bit hash of their borrowed form
/// (no copy of a term that is already there); the rare term whose hash
/// another term has taken goes to a second map.
#[derive(Clone, Default)]
pub struct Terms {
    ids: FxHashMap<u64, Id>,
    collided: FxHashMap<Term, Id>,
    terms: Vec<Term>,
    kinds: Vec<Kind>,
}

fn hash_of(term: TermRef<'_>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    term.hash(&mut hasher);
    hasher.finish()
}

impl Terms {
    fn with_vocabulary() -> Self {
        let mut terms = Self::default();
        for iri in vocab::IRIS {
            terms.intern(NamedNodeRef::new_unchecked(iri).into());
        }
        terms
    }

    pub fn intern(&mut self, term: TermRef<'_>) -> Id {
        let hash = hash_of(term);
        match self.ids.get(&hash) {
            Some(&id) if self.terms[id as usize].as_ref() == term => id,
            Some(_) => match self.collided.get(&term.into_owned()) {
                Some(&id) => id,
                None => {
                    let id = self.push(term);
                    self.collided.insert(term.into_owned(), id);
                    id
                }
            },
            None => {
                let id = self.push(term);
                self.ids.insert(hash, id);
                id
            }
        }
    }

    fn push(&mut self, term: TermRef<'_>) -> Id {
        let id = self.terms.len() as Id;
        self.kinds.push(match term {
            TermRef::NamedNode(_) => Kind::Iri,
            TermRef::BlankNode(_) => Kind::Blank,
            _ => Kind::Literal,
        });
        self.terms.push(term.into_owned());
        id
    }

    /// The id of a term, if the graph has it.
    pub fn get(&self, term: TermRef<'_>) -> Option<Id> {
        match self.ids.get(&hash_of(term)) {
            Some(&id) if self.terms[id as usize].as_ref() == term => Some(id),
            Some(_) => self.collided.get(&term.into_owned()).copied(),
            None => None,
        }
    }

    pub fn term(&self, id: Id) -> &Term {
        &self.terms[id as usize]
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn is_literal(&self, id: Id) -> bool {
        self.kinds[id as usize] == Kind::Literal
    }

    pub fn is_iri(&self, id: Id) -> bool {
        self.kinds[id as usize] == Kind::Iri
    }
}

/// The stated triples a closure starts from (the RDF merge of the graphs
/// they come from: each triple once).
#[derive(Clone)]
pub struct Input {
    pub terms: Terms,
    triples: Vec<[Id; 3]>,
    index: FxHashMap<[Id; 3], u32>,
}

impl Default for Input {
    fn default() -> Self {
        Self::new()
    }
}

impl Input {
    pub fn new() -> Self {
        Self {
            terms: Terms::with_vocabulary(),
            triples: Vec::new(),
            index: FxHashMap::default(),
        }
    }

    /// Adds a triple; returns its row (the same row for a triple stated twice).
    pub fn add<'a>(
        &mut self,
        subject: impl Into<TermRef<'a>>,
        predicate: NamedNodeRef<'a>,
        object: TermRef<'a>,
    ) -> u32 {
        let t = [
            self.terms.intern(subject.into()),
            self.terms.intern(predicate.into()),
            self.terms.intern(object),
        ];
        let next = self.triples.len() as u32;
        match self.index.entry(t) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                e.insert(next);
                self.triples.push(t);
                next
            }
        }
    }

    pub fn len(&self) -> usize {
        self.triples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.triples.is_empty()
    }

    pub fn triples(&self) -> &[[Id; 3]] {
        &self.triples
    }
}

/// How an inferred triple was first derived: the rule and up to three
/// premises (rows of the table, [`NONE`] when unused).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Derivation {
    pub rule: Rule,
    pub premises: [u32; 3],
}

impl Derivation {
    pub fn premises(&self) -> impl Iterator<Item = u32> + '_ {
        self.premises.iter().copied().filter(|&p| p != NONE)
    }
}

/// The stated triples and everything the rules entail from them.
pub struct Closure {
    pub terms: Terms,
    /// Stated rows first (`..stated`), then inferred ones.
    triples: Vec<[Id; 3]>,
    stated: usize,
    derivations: Vec<(Rule, [u32; 3])>,
    index: FxHashMap<[Id; 3], u32>,
    pub rules: RuleSet,
    /// How many times the schema was read again because an instance rule
    /// derived a schema triple.
    pub schema_rereads: u32,
    /// Stated owl:sameAs triples left aside: they link to another namespace.
    pub same_as_links: Vec<u32>,
}

impl Closure {
    pub fn stated_len(&self) -> usize {
        self.stated
    }

    pub fn inferred_len(&self) -> usize {
        self.triples.len() - self.stated
    }

    pub fn len(&self) -> usize {
        self.triples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.triples.is_empty()
    }

    pub fn triple(&self, row: u32) -> [Id; 3] {
        self.triples[row as usize]
    }

    pub fn is_stated(&self, row: u32) -> bool {
        (row as usize) < self.stated
    }

    /// The inferred rows.
    pub fn inferred(&self) -> impl Iterator<Item = u32> + '_ {
        self.stated as u32..self.triples.len() as u32
    }

    /// How an inferred row was derived (`None` for a stated one).
    pub fn derivation(&self, row: u32) -> Option<Derivation> {
        let i = (row as usize).checked_sub(self.stated)?;
        let (rule, premises) = self.derivations[i];
        Some(Derivation { rule, premises })
    }

    /// The row of a triple, if it holds.
    pub fn find(&self, triple: [Id; 3]) -> Option<u32> {
        self.index.get(&triple).copied()
    }

    /// The triple as oxigraph terms.
    pub fn terms_of(&self, row: u32) -> (&Term, &Term, &Term) {
        let [s, p, o] = self.triple(row);
        (self.terms.term(s), self.terms.term(p), self.terms.term(o))
    }

    /// The rows of the stated triples a row rests on (itself if stated).
    pub fn stated_support(&self, row: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut stack = vec![row];
        let mut seen = rustc_hash::FxHashSet::default();
        while let Some(r) = stack.pop() {
            if !seen.insert(r) {
                continue;
            }
            match self.derivation(r) {
                None => out.push(r),
                Some(d) => stack.extend(d.premises()),
            }
        }
        out.sort_unstable();
        out
    }
}

/// Whether `owl:sameAs` between these two terms is between the graph's own
/// entities: two IRIs of one namespace (the IRI up to its last `/` or `#`).
pub fn is_own_same_as(a: &Term, b: &Term) -> bool {
    fn namespace(iri: &str) -> &str {
        match iri.rfind(['/', '#']) {
            Some(i) => &iri[..=i],
            None => iri,
        }
    }
    match (a, b) {
        (Term::NamedNode(a), Term::NamedNode(b)) => namespace(a.as_str()) == namespace(b.as_str()),
        _ => false,
    }
}

/// Whether `rules` read this triple as part of the schema (an axiom, a
/// property typed symmetric or transitive, an owl:sameAs; for owl:sameAs,
/// see also [`is_own_same_as`]).
pub fn reads_as_schema(rules: RuleSet, [_, p, o]: [Id; 3]) -> bool {
    match p {
        SUB_CLASS_OF => {
            rules.contains(Family::SubClass)
                || rules.contains(Family::Domain)
                || rules.contains(Family::Range)
        }
        SUB_PROPERTY_OF => {
            rules.contains(Family::SubProperty)
                || rules.contains(Family::Domain)
                || rules.contains(Family::Range)
        }
        DOMAIN => rules.contains(Family::Domain),
        RANGE => rules.contains(Family::Range),
        EQUIVALENT_CLASS | EQUIVALENT_PROPERTY => rules.contains(Family::Equivalence),
        INVERSE_OF => rules.contains(Family::Inverse),
        TYPE => {
            (o == SYMMETRIC_PROPERTY && rules.contains(Family::Symmetric))
                || (o == TRANSITIVE_PROPERTY && rules.contains(Family::Transitive))
        }
        SAME_AS => rules.contains(Family::SameAs),
        _ => false,
    }
}

/// Computes the closure of the stated triples under the rules.
pub fn materialise(input: Input, rules: RuleSet) -> Closure {
    let Input {
        terms,
        triples,
        index,
    } = input;
    let stated = triples.len();
    let mut state = State {
        terms,
        triples,
        index,
        derivations: Vec::new(),
        stated,
        trans_out: FxHashMap::default(),
        trans_in: FxHashMap::default(),
        dirty: false,
        building: false,
    };
    let mut schema = Schema::new(state.terms.len());
    let mut rereads = 0;
    let mut same_as_links = Vec::new();
    if !rules.is_empty() {
        loop {
            schema.build(&mut state, rules, &mut same_as_links);
            state.dirty = false;
            let mut cursor = 0;
            while cursor < state.triples.len() {
                schema.apply(&mut state, cursor as u32);
                cursor += 1;
            }
            if !state.dirty {
                break;
            }
            rereads += 1;
        }
    }
    Closure {
        terms: state.terms,
        triples: state.triples,
        stated,
        derivations: state.derivations,
        index: state.index,
        rules,
        schema_rereads: rereads,
        same_as_links,
    }
}

/// The growing table.
struct State {
    terms: Terms,
    triples: Vec<[Id; 3]>,
    index: FxHashMap<[Id; 3], u32>,
    derivations: Vec<(Rule, [u32; 3])>,
    stated: usize,
    /// For each transitive property: (p, x) → [(y, row of x p y)], and
    /// (p, y) → [(x, row)].
    trans_out: FxHashMap<(Id, Id), Vec<(Id, u32)>>,
    trans_in: FxHashMap<(Id, Id), Vec<(Id, u32)>>,
    /// An instance rule derived a schema triple: read the schema again.
    dirty: bool,
    /// The schema is being closed: its own conclusions do not make it dirty.
    building: bool,
}

impl State {
    fn add(&mut self, schema: &Schema, t: [Id; 3], rule: Rule, premises: [u32; 3]) {
        if t[0] == t[2]
            && matches!(
                t[1],
                SUB_CLASS_OF | SUB_PROPERTY_OF | EQUIVALENT_CLASS | EQUIVALENT_PROPERTY | SAME_AS
            )
        {
            // True of everything, and never stored (as owlrl's scm-sco).
            return;
        }
        let row = self.triples.len() as u32;
        match self.index.entry(t) {
            Entry::Occupied(e) => {
                // Keep the more telling proof: a type from the class hierarchy
                // rather than from a domain or range, when its premises come
                // first (so that proofs still only point upwards).
                let existing = *e.get();
                if let Some(i) = (existing as usize).checked_sub(self.stated) {
                    let (old, _) = self.derivations[i];
                    if old.typing_from_use()
                        && !rule.typing_from_use()
                        && premises.iter().all(|&p| p == NONE || p < existing)
                    {
                        self.derivations[i] = (rule, premises);
                    }
                }
                return;
            }
            Entry::Vacant(e) => {
                e.insert(row);
            }
        }
        self.triples.push(t);
        self.derivations.push((rule, premises));
        if schema.is_transitive(t[1]) {
            self.link(t, row);
        }
        if !self.building
            && schema.would_change(t)
            && (t[1] != SAME_AS || is_own_same_as(self.terms.term(t[0]), self.terms.term(t[2])))
        {
            self.dirty = true;
        }
    }

    fn link(&mut self, [s, p, o]: [Id; 3], row: u32) {
        self.trans_out.entry((p, s)).or_default().push((o, row));
        self.trans_in.entry((p, o)).or_default().push((s, row));
    }

    fn row(&self, t: [Id; 3]) -> u32 {
        self.index[&t]
    }
}

/// What the rules know about one property.
#[derive(Default, Clone)]
struct PropertyInfo {
    /// Direct super-properties: (q, row of the axiom, rule).
    supers: Vec<(Id, u32, Rule)>,
    domains: Vec<(Id, u32)>,
    ranges: Vec<(Id, u32)>,
    inverses: Vec<(Id, u32, Rule)>,
    symmetric: u32,
    transitive: u32,
}

impl PropertyInfo {
    fn new() -> Self {
        Self {
            symmetric: NONE,
            transitive: NONE,
            ..Self::default()
        }
    }
}

/// The schema as the instance rules read it.
struct Schema {
    rules: RuleSet,
    property_of: Vec<u32>,
    properties: Vec<PropertyInfo>,
    class_of: Vec<u32>,
    /// Direct superclasses: (d, row of the axiom, rule).
    classes: Vec<Vec<(Id, u32, Rule)>>,
    same_of: Vec<u32>,
    same_classes: Vec<Vec<Id>>,
    /// Own sameAs triples known when the schema was read.
    known_same_as: rustc_hash::FxHashSet<(Id, Id)>,
}

impl Schema {
    fn new(terms: usize) -> Self {
        Self {
            rules: RuleSet::NONE,
            property_of: vec![NONE; terms],
            properties: Vec::new(),
            class_of: vec![NONE; terms],
            classes: Vec::new(),
            same_of: vec![NONE; terms],
            same_classes: Vec::new(),
            known_same_as: Default::default(),
        }
    }

    fn is_transitive(&self, p: Id) -> bool {
        let i = self.property_of[p as usize];
        i != NONE && self.properties[i as usize].transitive != NONE
    }

    /// Would this new triple change the schema the instance rules read?
    fn would_change(&self, t: [Id; 3]) -> bool {
        reads_as_schema(self.rules, t)
            && (t[1] != SAME_AS || !self.known_same_as.contains(&(t[0], t[2])))
    }

    fn property(&mut self, p: Id) -> &mut PropertyInfo {
        let slot = &mut self.property_of[p as usize];
        if *slot == NONE {
            *slot = self.properties.len() as u32;
            self.properties.push(PropertyInfo::new());
        }
        &mut self.properties[*slot as usize]
    }

    fn class(&mut self, c: Id) -> &mut Vec<(Id, u32, Rule)> {
        let slot = &mut self.class_of[c as usize];
        if *slot == NONE {
            *slot = self.classes.len() as u32;
            self.classes.push(Vec::new());
        }
        &mut self.classes[*slot as usize]
    }

    /// Reads the schema from every triple of the table, adds what closes it
    /// (scm-*, eq-sym, eq-trans), and indexes it for the instance rules.
    fn build(&mut self, state: &mut State, rules: RuleSet, same_as_links: &mut Vec<u32>) {
        *self = Schema::new(state.terms.len());
        self.rules = rules;
        state.building = true;
        state.trans_out.clear();
        state.trans_in.clear();

        let on = |f| rules.contains(f);
        // The schema rows, by predicate.
        let mut rows: FxHashMap<Id, Vec<u32>> = FxHashMap::default();
        for (row, t) in state.triples.iter().enumerate() {
            let wanted = match t[1] {
                SUB_CLASS_OF | SUB_PROPERTY_OF | EQUIVALENT_CLASS | EQUIVALENT_PROPERTY
                | DOMAIN | RANGE | INVERSE_OF | SAME_AS => true,
                TYPE => t[2] == SYMMETRIC_PROPERTY || t[2] == TRANSITIVE_PROPERTY,
                _ => false,
            };
            if wanted {
                rows.entry(t[1]).or_default().push(row as u32);
            }
        }
        let rows_of = |state: &State, p: Id, rows: &FxHashMap<Id, Vec<u32>>| -> Vec<u32> {
            let mut r = rows.get(&p).cloned().unwrap_or_default();
            r.retain(|&row| {
                let t = state.triples[row as usize];
                t[0] != t[2]
            });
            r
        };

        // Hierarchies of classes and of properties.
        for (sub, eq, sub_family, rules_of) in [
            (
                SUB_CLASS_OF,
                EQUIVALENT_CLASS,
                Family::SubClass,
                [Rule::ScmEqc1, Rule::ScmSco, Rule::ScmEqc2],
            ),
            (
                SUB_PROPERTY_OF,
                EQUIVALENT_PROPERTY,
                Family::SubProperty,
                [Rule::ScmEqp1, Rule::ScmSpo, Rule::ScmEqp2],
            ),
        ] {
            let equivalences = rows_of(state, eq, &rows);
            if on(Family::Equivalence) {
                // scm-eqc1 / scm-eqp1.
                for &row in &equivalences {
                    let [a, _, b] = state.triples[row as usize];
                    state.add(self, [a, sub, b], rules_of[0], [row, NONE, NONE]);
                    state.add(self, [b, sub, a], rules_of[0], [row, NONE, NONE]);
                }
            }
            // Every sub triple now (stated, derived earlier, from equivalences).
            let subs: Vec<u32> = state
                .triples
                .iter()
                .enumerate()
                .filter(|(_, t)| t[1] == sub && t[0] != t[2])
                .map(|(r, _)| r as u32)
                .collect();
            if on(sub_family) {
                // scm-sco / scm-spo: breadth-first from each node, so that
                // (a sub x) exists before (a sub d) is derived through x.
                let mut next: FxHashMap<Id, Vec<(Id, u32)>> = FxHashMap::default();
                for &row in &subs {
                    let [a, _, b] = state.triples[row as usize];
                    next.entry(a).or_default().push((b, row));
                }
                let mut sources: Vec<Id> = next.keys().copied().collect();
                sources.sort_unstable();
                for a in sources {
                    let mut seen = rustc_hash::FxHashSet::default();
                    seen.insert(a);
                    let mut queue = std::collections::VecDeque::new();
                    queue.push_back(a);
                    while let Some(x) = queue.pop_front() {
                        let Some(edges) = next.get(&x) else { continue };
                        for &(d, edge) in edges {
                            if !seen.insert(d) {
                                continue;
                            }
                            if x != a {
                                let first = state.row([a, sub, x]);
                                state.add(self, [a, sub, d], rules_of[1], [first, edge, NONE]);
                            }
                            queue.push_back(d);
                        }
                    }
                }
            }
            if on(Family::Equivalence) {
                // scm-eqc2 / scm-eqp2.
                let all: Vec<u32> = state
                    .triples
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| t[1] == sub && t[0] != t[2])
                    .map(|(r, _)| r as u32)
                    .collect();
                for row in all {
                    let [a, _, b] = state.triples[row as usize];
                    if let Some(&back) = state.index.get(&[b, sub, a]) {
                        state.add(self, [a, eq, b], rules_of[2], [row, back, NONE]);
                    }
                }
            }
        }

        // Domains and ranges of the schema (scm-dom2 then scm-dom1; same for ranges).
        for (axiom, family, [by_property, by_class]) in [
            (DOMAIN, Family::Domain, [Rule::ScmDom2, Rule::ScmDom1]),
            (RANGE, Family::Range, [Rule::ScmRng2, Rule::ScmRng1]),
        ] {
            if !on(family) {
                continue;
            }
            let mut subs_of: FxHashMap<Id, Vec<(Id, u32)>> = FxHashMap::default();
            let mut supers_of: FxHashMap<Id, Vec<(Id, u32)>> = FxHashMap::default();
            for (row, t) in state.triples.iter().enumerate() {
                if t[0] == t[2] {
                    continue;
                }
                if t[1] == SUB_PROPERTY_OF {
                    subs_of.entry(t[2]).or_default().push((t[0], row as u32));
                } else if t[1] == SUB_CLASS_OF {
                    supers_of.entry(t[0]).or_default().push((t[2], row as u32));
                }
            }
            let axioms = rows_of(state, axiom, &rows);
            for &row in &axioms {
                let [q, _, c] = state.triples[row as usize];
                for &(p, via) in subs_of.get(&q).map(Vec::as_slice).unwrap_or(&[]) {
                    state.add(self, [p, axiom, c], by_property, [row, via, NONE]);
                }
            }
            let all: Vec<u32> = state
                .triples
                .iter()
                .enumerate()
                .filter(|(_, t)| t[1] == axiom)
                .map(|(r, _)| r as u32)
                .collect();
            for row in all {
                let [p, _, c] = state.triples[row as usize];
                for &(d, via) in supers_of.get(&c).map(Vec::as_slice).unwrap_or(&[]) {
                    state.add(self, [p, axiom, d], by_class, [row, via, NONE]);
                }
            }
        }

        // owl:sameAs among the graph's own entities: classes, then every pair.
        if on(Family::SameAs) {
            let mut edges: Vec<(Id, Id, u32)> = Vec::new();
            for &row in rows.get(&SAME_AS).map(Vec::as_slice).unwrap_or(&[]) {
                let [a, _, b] = state.triples[row as usize];
                if a == b {
                    continue;
                }
                if is_own_same_as(state.terms.term(a), state.terms.term(b)) {
                    edges.push((a, b, row));
                } else if (row as usize) < state.stated {
                    same_as_links.push(row);
                }
            }
            same_as_links.sort_unstable();
            same_as_links.dedup();
            // eq-sym for every edge, then eq-trans breadth-first.
            for &(a, b, row) in &edges {
                state.add(self, [b, SAME_AS, a], Rule::EqSym, [row, NONE, NONE]);
            }
            let mut next: FxHashMap<Id, Vec<Id>> = FxHashMap::default();
            for &(a, b, _) in &edges {
                next.entry(a).or_default().push(b);
                next.entry(b).or_default().push(a);
            }
            let mut nodes: Vec<Id> = next.keys().copied().collect();
            nodes.sort_unstable();
            for &a in &nodes {
                if self.same_of[a as usize] != NONE {
                    continue;
                }
                // The class of a, breadth-first.
                let class_index = self.same_classes.len() as u32;
                let mut class = vec![a];
                self.same_of[a as usize] = class_index;
                let mut i = 0;
                while i < class.len() {
                    for &d in &next[&class[i]] {
                        if self.same_of[d as usize] == NONE {
                            self.same_of[d as usize] = class_index;
                            class.push(d);
                        }
                    }
                    i += 1;
                }
                class.sort_unstable();
                self.same_classes.push(class);
            }
            for &a in &nodes {
                let mut seen = rustc_hash::FxHashSet::default();
                seen.insert(a);
                let mut queue = std::collections::VecDeque::from([a]);
                while let Some(x) = queue.pop_front() {
                    for &d in &next[&x] {
                        if !seen.insert(d) {
                            continue;
                        }
                        if x != a {
                            let first = state.row([a, SAME_AS, x]);
                            let second = state.row([x, SAME_AS, d]);
                            state.add(self, [a, SAME_AS, d], Rule::EqTrans, [first, second, NONE]);
                        }
                        queue.push_back(d);
                    }
                }
            }
            for class in &self.same_classes {
                for &a in class {
                    for &b in class {
                        if a != b {
                            self.known_same_as.insert((a, b));
                        }
                    }
                }
            }
        }

        // What the instance rules follow: direct edges, not the closure.
        let terms = &state.terms;
        for (row, t) in state.triples.iter().enumerate() {
            let row = row as u32;
            let [s, p, o] = *t;
            if s == o && p != TYPE {
                continue;
            }
            let derived_by = state.derivation_rule(row);
            let closes = derived_by.is_some_and(Rule::closes_schema);
            match p {
                SUB_CLASS_OF if on(Family::SubClass) && !closes => {
                    self.class(s).push((o, row, Rule::CaxSco));
                }
                EQUIVALENT_CLASS if on(Family::Equivalence) && !closes => {
                    self.class(s).push((o, row, Rule::CaxEqc1));
                    self.class(o).push((s, row, Rule::CaxEqc2));
                }
                SUB_PROPERTY_OF if on(Family::SubProperty) && !closes && terms.is_iri(o) => {
                    self.property(s).supers.push((o, row, Rule::PrpSpo1));
                }
                EQUIVALENT_PROPERTY if on(Family::Equivalence) && !closes => {
                    if terms.is_iri(o) {
                        self.property(s).supers.push((o, row, Rule::PrpEqp1));
                    }
                    if terms.is_iri(s) {
                        self.property(o).supers.push((s, row, Rule::PrpEqp2));
                    }
                }
                DOMAIN if on(Family::Domain) && !closes => {
                    self.property(s).domains.push((o, row));
                }
                RANGE if on(Family::Range) && !closes => {
                    self.property(s).ranges.push((o, row));
                }
                INVERSE_OF if on(Family::Inverse) => {
                    if terms.is_iri(o) {
                        self.property(s).inverses.push((o, row, Rule::PrpInv1));
                    }
                    if terms.is_iri(s) {
                        self.property(o).inverses.push((s, row, Rule::PrpInv2));
                    }
                }
                TYPE if o == SYMMETRIC_PROPERTY && on(Family::Symmetric) => {
                    let info = self.property(s);
                    if info.symmetric == NONE {
                        info.symmetric = row;
                    }
                }
                TYPE if o == TRANSITIVE_PROPERTY && on(Family::Transitive) => {
                    let info = self.property(s);
                    if info.transitive == NONE {
                        info.transitive = row;
                    }
                }
                _ => {}
            }
        }
        // The links of the transitive properties, for prp-trp.
        let mut links = Vec::new();
        for (row, t) in state.triples.iter().enumerate() {
            if self.is_transitive(t[1]) {
                links.push((*t, row as u32));
            }
        }
        for (t, row) in links {
            state.link(t, row);
        }
        state.building = false;
    }

    /// The instance rules, with the triple at `row` as their first premise.
    fn apply(&self, state: &mut State, row: u32) {
        let t @ [s, p, o] = state.triples[row as usize];
        let object_is_node = !state.terms.is_literal(o);
        let info = self.property_of[p as usize];
        if info != NONE {
            let info = &self.properties[info as usize];
            for &(q, axiom, rule) in &info.supers {
                state.add(self, [s, q, o], rule, [row, axiom, NONE]);
            }
            for &(c, axiom) in &info.domains {
                state.add(self, [s, TYPE, c], Rule::PrpDom, [row, axiom, NONE]);
            }
            if object_is_node {
                for &(c, axiom) in &info.ranges {
                    state.add(self, [o, TYPE, c], Rule::PrpRng, [row, axiom, NONE]);
                }
                for &(q, axiom, rule) in &info.inverses {
                    state.add(self, [o, q, s], rule, [row, axiom, NONE]);
                }
                if info.symmetric != NONE {
                    state.add(self, [o, p, s], Rule::PrpSymp, [row, info.symmetric, NONE]);
                }
            }
            if info.transitive != NONE {
                // (s p o) + (o p z) → (s p z); (w p s) + (s p o) → (w p o).
                let axiom = info.transitive;
                let after: Vec<(Id, u32)> =
                    state.trans_out.get(&(p, o)).cloned().unwrap_or_default();
                for (z, second) in after {
                    state.add(self, [s, p, z], Rule::PrpTrp, [row, second, axiom]);
                }
                let before: Vec<(Id, u32)> =
                    state.trans_in.get(&(p, s)).cloned().unwrap_or_default();
                for (w, first) in before {
                    state.add(self, [w, p, o], Rule::PrpTrp, [first, row, axiom]);
                }
            }
        }
        if p == TYPE {
            let class = self.class_of[o as usize];
            if class != NONE {
                for &(d, axiom, rule) in &self.classes[class as usize] {
                    state.add(self, [s, TYPE, d], rule, [row, axiom, NONE]);
                }
            }
        }
        if !self.same_classes.is_empty() {
            for (position, rule) in [(0, Rule::EqRepS), (1, Rule::EqRepP), (2, Rule::EqRepO)] {
                let x = t[position];
                let class = self.same_of[x as usize];
                if class == NONE {
                    continue;
                }
                for &y in &self.same_classes[class as usize] {
                    if y == x || (position == 1 && !state.terms.is_iri(y)) {
                        continue;
                    }
                    let same = state.row([x, SAME_AS, y]);
                    let mut copy = t;
                    copy[position] = y;
                    state.add(self, copy, rule, [row, same, NONE]);
                }
            }
        }
    }
}

impl State {
    fn derivation_rule(&self, row: u32) -> Option<Rule> {
        let i = (row as usize).checked_sub(self.stated)?;
        Some(self.derivations[i].0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    const EX: &str = "http://example.org/";

    fn iri(local: &str) -> Term {
        if let Some(i) = vocab::IRIS
            .iter()
            .position(|v| v.ends_with(&format!("#{local}")))
        {
            return NamedNode::new_unchecked(vocab::IRIS[i]).into();
        }
        NamedNode::new_unchecked(format!("{EX}{local}")).into()
    }

    fn closure(triples: &[(&str, &str, &str)], rules: RuleSet) -> Closure {
        let mut input = Input::new();
        for (s, p, o) in triples {
            let Term::NamedNode(p) = iri(p) else {
                unreachable!()
            };
            let o = match o.strip_prefix('"') {
                Some(lit) => Literal::new_simple_literal(lit.trim_end_matches('"')).into(),
                None => iri(o),
            };
            input.add(iri(s).as_ref(), p.as_ref(), o.as_ref());
        }
        materialise(input, rules)
    }

    fn holds(c: &Closure, s: &str, p: &str, o: &str) -> bool {
        let ids = [iri(s), iri(p), iri(o)].map(|t| c.terms.get(t.as_ref()));
        match ids {
            [Some(s), Some(p), Some(o)] => c.find([s, p, o]).is_some(),
            _ => false,
        }
    }

    fn assert_all_hold(c: &Closure, triples: &[(&str, &str, &str)]) {
        for (s, p, o) in triples {
            assert!(holds(c, s, p, o), "{s} {p} {o}");
        }
    }

    fn inferred(c: &Closure) -> Vec<String> {
        let mut out: Vec<String> = c
            .inferred()
            .map(|r| {
                let (s, p, o) = c.terms_of(r);
                let short = |t: &Term| {
                    let text = t.to_string();
                    text.trim_start_matches('<')
                        .trim_end_matches('>')
                        .rsplit(['/', '#'])
                        .next()
                        .unwrap()
                        .to_string()
                };
                format!("{} {} {}", short(s), short(p), short(o))
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn subclass_chain_is_followed_and_recorded_step_by_step() {
        let c = closure(
            &[
                ("a", "subClassOf", "b"),
                ("b", "subClassOf", "c"),
                ("x", "type", "a"),
            ],
            RuleSet::RDFS,
        );
        assert_eq!(
            inferred(&c),
            ["a subClassOf c", "x type b", "x type c"],
            "scm-sco and cax-sco"
        );
        let row = c.find([
            c.terms.get(iri("x").as_ref()).unwrap(),
            TYPE,
            c.terms.get(iri("c").as_ref()).unwrap(),
        ]);
        let d = c.derivation(row.unwrap()).unwrap();
        assert_eq!(d.rule, Rule::CaxSco);
        // x type c rests on: x type a, a ⊑ b, b ⊑ c.
        assert_eq!(c.stated_support(row.unwrap()), vec![0, 1, 2]);
    }

    #[test]
    fn transitive_symmetric_inverse() {
        let c = closure(
            &[
                ("in", "type", "TransitiveProperty"),
                ("with", "type", "SymmetricProperty"),
                ("funds", "inverseOf", "funder"),
                ("a", "in", "b"),
                ("b", "in", "c"),
                ("c", "in", "d"),
                ("a", "with", "b"),
                ("a", "funds", "p"),
                ("q", "funder", "b"),
                ("a", "with", "\"text\""),
            ],
            RuleSet::RL,
        );
        assert_all_hold(
            &c,
            &[
                ("a", "in", "c"),
                ("a", "in", "d"),
                ("b", "in", "d"),
                ("b", "with", "a"),
                ("p", "funder", "a"),
                ("b", "funds", "q"),
            ],
        );
        // Nothing with a literal subject.
        for r in c.inferred() {
            assert!(!c.terms.is_literal(c.triple(r)[0]));
        }
        assert!(!holds(&c, "d", "in", "a"));
    }

    #[test]
    fn each_family_can_be_switched_off() {
        let facts = [
            ("p", "domain", "D"),
            ("p", "range", "R"),
            ("x", "p", "y"),
            ("x", "type", "A"),
            ("A", "subClassOf", "B"),
        ];
        let rdfs = closure(&facts, RuleSet::RDFS);
        assert!(holds(&rdfs, "x", "type", "D"));
        assert!(holds(&rdfs, "y", "type", "R"));
        assert!(holds(&rdfs, "x", "type", "B"));
        let no_domain_range = closure(
            &facts,
            RuleSet::RDFS.without(Family::Domain).without(Family::Range),
        );
        assert_eq!(inferred(&no_domain_range), ["x type B"]);
        let none = closure(&facts, RuleSet::NONE);
        assert_eq!(none.inferred_len(), 0);
    }

    #[test]
    fn equivalences_both_ways_and_the_schema_closed_like_owl_rl() {
        let c = closure(
            &[
                ("A", "equivalentClass", "B"),
                ("B", "subClassOf", "C"),
                ("y", "type", "B"),
                ("p", "equivalentProperty", "q"),
                ("q", "domain", "A"),
                ("x", "p", "z"),
            ],
            RuleSet::RL,
        );
        assert_all_hold(
            &c,
            &[
                ("y", "type", "A"),
                ("y", "type", "C"),
                ("A", "subClassOf", "B"),
                ("B", "subClassOf", "A"),
                ("A", "subClassOf", "C"),
                ("B", "equivalentClass", "A"),
                ("x", "q", "z"),
                ("x", "type", "A"),
                ("x", "type", "B"),
                ("p", "domain", "A"),
                ("q", "domain", "C"),
                ("p", "domain", "C"),
            ],
        );
        assert!(
            !holds(&c, "A", "subClassOf", "A"),
            "reflexive triples are not stored"
        );
    }

    #[test]
    fn same_as_merges_own_entities_only() {
        let mut input = Input::new();
        let own = |l: &str| Term::from(NamedNode::new_unchecked(format!("{EX}id/{l}")));
        let wd = Term::from(NamedNode::new_unchecked(
            "http://www.wikidata.org/entity/Q1",
        ));
        let same = NamedNode::new_unchecked(vocab::IRIS[SAME_AS as usize]);
        let knows = NamedNode::new_unchecked(format!("{EX}knows"));
        input.add(own("a").as_ref(), same.as_ref(), own("b").as_ref());
        input.add(own("b").as_ref(), same.as_ref(), own("c").as_ref());
        input.add(own("a").as_ref(), same.as_ref(), wd.as_ref());
        input.add(own("a").as_ref(), knows.as_ref(), own("x").as_ref());
        input.add(wd.as_ref(), knows.as_ref(), own("y").as_ref());
        let c = materialise(input, RuleSet::RL);
        let id = |t: &Term| c.terms.get(t.as_ref()).unwrap();
        let knows = id(&knows.into());
        assert!(c.find([id(&own("c")), knows, id(&own("x"))]).is_some());
        assert!(c.find([id(&own("c")), SAME_AS, id(&own("a"))]).is_some());
        assert!(c.find([id(&own("a")), knows, id(&own("y"))]).is_none());
        assert!(c.find([id(&wd), knows, id(&own("x"))]).is_none());
        assert_eq!(c.same_as_links.len(), 1);
    }

    #[test]
    fn a_schema_triple_derived_by_an_instance_rule_is_followed() {
        // p is transitive only through a subclass of owl:TransitiveProperty.
        let c = closure(
            &[
                ("Kind", "subClassOf", "TransitiveProperty"),
                ("p", "type", "Kind"),
                ("a", "p", "b"),
                ("b", "p", "c"),
            ],
            RuleSet::RL,
        );
        assert!(holds(&c, "p", "type", "TransitiveProperty"));
        assert!(holds(&c, "a", "p", "c"));
        assert_eq!(c.schema_rereads, 1);
    }
}
