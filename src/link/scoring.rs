//! Candidates and scores. An inverted index maps normalised names, names
//! without their country qualifier, acronyms, initials and rare words to
//! records; each entity's candidates are scored by name, then filtered and
//! weighted by country, type, place and status.
//!
//! Name evidence (best one counts):
//!
//! | evidence | score |
//! |---|---|
//! | same normalised name as a record's label | 1.00 |
//! | same normalised name as an alias / alternate name | 0.95 |
//! | same name once the country's own name is left out ("… of Vietnam", "(South Korea)") | 0.93 |
//! | same acronym | 0.85 |
//! | our acronym = initials of the record's name | 0.70 |
//! | shared words (Jaccard ≥ 0.5) | 0.80 × Jaccard |
//!
//! Then: another country → rejected; our country unknown → × 0.85; record
//! without country → × 0.9; type incompatible with our class → × 0.7; our
//! city known and the record's city another → × 0.95, the same → + 0.03;
//! a second label or acronym of ours naming the same record → + 0.05.
//! Withdrawn records are never linked; an inactive one only through the
//! successor it states (× 0.95).

use super::normalize::{self, name_key, unqualified_key};
use super::{Dataset, Entity, EntityKind, NameKind, Record, Status};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Options of [`link`].
#[derive(Clone, Debug)]
pub struct LinkOptions {
    /// Lowest score of a link.
    pub min_score: f64,
    /// A best candidate closer than this to the second is ambiguous.
    pub margin: f64,
    /// Only entities of these aikg classes (local names); empty: the kinds the dataset describes.
    pub classes: Vec<String>,
    /// Country names → ISO code (from a country table), to know our countries' codes.
    pub country_names: Vec<(String, String)>,
    /// ISO codes of our countries already known (from another dataset's votes).
    pub known_codes: BTreeMap<String, String>,
}

impl Default for LinkOptions {
    fn default() -> Self {
        Self {
            min_score: 0.8,
            margin: 0.03,
            classes: Vec::new(),
            country_names: Vec::new(),
            known_codes: BTreeMap::new(),
        }
    }
}

/// What the linker decided for one entity.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    Link,
    /// Two records score within the margin.
    Ambiguous,
    /// The best candidate is below --min-score.
    BelowThreshold,
    NoCandidate,
}

impl Decision {
    pub fn as_str(&self) -> &'static str {
        match self {
            Decision::Link => "link",
            Decision::Ambiguous => "ambiguous (no link)",
            Decision::BelowThreshold => "no match (below threshold)",
            Decision::NoCandidate => "no match",
        }
    }
}

/// A scored candidate.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Index of the record in the dataset.
    pub record: usize,
    pub score: f64,
    /// How the score was reached, for the review table and the linkset.
    pub method: String,
}

/// One entity's outcome.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub entity: Entity,
    /// Our entity's ISO country code, if known.
    pub country: Option<String>,
    /// Best first (at most 3), rejected ones excluded.
    pub candidates: Vec<Candidate>,
    pub decision: Decision,
    /// Why candidates were rejected (withdrawn, other country...).
    pub rejected: Vec<String>,
}

impl Outcome {
    pub fn linked(&self) -> Option<&Candidate> {
        (self.decision == Decision::Link).then(|| &self.candidates[0])
    }
}

/// The inverted index of a dataset.
pub struct Index<'a> {
    pub dataset: &'a Dataset,
    by_name: HashMap<String, Vec<(u32, NameKind)>>,
    by_unqualified: HashMap<String, Vec<u32>>,
    by_acronym: HashMap<String, Vec<u32>>,
    by_initials: HashMap<String, Vec<u32>>,
    by_token: HashMap<String, Vec<u32>>,
    by_id: HashMap<&'a str, u32>,
    /// Each record's labels as sets of tokens (for shared-word scores).
    label_tokens: Vec<Vec<Vec<String>>>,
    /// Normalised country name → ISO code, from the records.
    pub country_names: HashMap<String, String>,
}

fn push<K: Eq + std::hash::Hash, V: PartialEq + Copy>(
    map: &mut HashMap<K, Vec<V>>,
    key: K,
    value: V,
) {
    let list = map.entry(key).or_default();
    if list.last() != Some(&value) {
        list.push(value);
    }
}

impl<'a> Index<'a> {
    pub fn build(dataset: &'a Dataset) -> Self {
        let mut index = Index {
            dataset,
            by_name: HashMap::new(),
            by_unqualified: HashMap::new(),
            by_acronym: HashMap::new(),
            by_initials: HashMap::new(),
            by_token: HashMap::new(),
            by_id: HashMap::new(),
            label_tokens: Vec::with_capacity(dataset.records.len()),
            country_names: HashMap::new(),
        };
        let mut qualifiers: HashMap<&str, Vec<String>> = HashMap::new();
        for (i, record) in dataset.records.iter().enumerate() {
            let i = i as u32;
            index.by_id.insert(record.id.as_str(), i);
            let mut label_tokens = Vec::new();
            let qualifier: &[String] = match record.country_name.as_deref() {
                Some(name) => qualifiers.entry(name).or_insert_with(|| {
                    if let Some(code) = &record.country {
                        index
                            .country_names
                            .entry(name_key(name))
                            .or_insert_with(|| code.clone());
                    }
                    normalize::tokens(name)
                }),
                None => &[],
            };
            for name in &record.names {
                if name.kind == NameKind::Acronym {
                    push(
                        &mut index.by_acronym,
                        normalize::acronym_key(&name.value),
                        i,
                    );
                    continue;
                }
                let tokens = normalize::tokens(&name.value);
                if tokens.is_empty() {
                    continue;
                }
                let key = tokens.join(" ");
                if normalize::looks_like_acronym(&name.value) {
                    push(
                        &mut index.by_acronym,
                        normalize::acronym_key(&name.value),
                        i,
                    );
                }
                if let Some(head) = normalize::strip_parenthetical(&name.value) {
                    let head = name_key(head);
                    if !head.is_empty() {
                        push(&mut index.by_name, head, (i, name.kind));
                    }
                }
                if !qualifier.is_empty() && tokens.iter().any(|t| qualifier.contains(t)) {
                    let unqualified = tokens
                        .iter()
                        .filter(|t| !qualifier.contains(t))
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ");
                    if !unqualified.is_empty() && unqualified != key {
                        push(&mut index.by_unqualified, unqualified, i);
                    }
                }
                if name.kind == NameKind::Label {
                    if let Some(initials) = normalize::initials(&name.value) {
                        push(&mut index.by_initials, initials, i);
                    }
                    let mut tokens = tokens;
                    tokens.sort();
                    tokens.dedup();
                    for token in &tokens {
                        push(&mut index.by_token, token.clone(), i);
                    }
                    label_tokens.push(tokens);
                }
                push(&mut index.by_name, key, (i, name.kind));
            }
            index.label_tokens.push(label_tokens);
        }
        index
    }

    pub fn record(&self, i: usize) -> &'a Record {
        &self.dataset.records[i]
    }

    pub fn find(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).map(|&i| i as usize)
    }
}

/// Which ROR types fit an aikg class. `None`: any.
fn compatible_types(class: &str) -> Option<&'static [&'static str]> {
    Some(match class {
        "University" => &["education"],
        "ResearchInstitute" => &["facility", "nonprofit", "government", "education"],
        "Agency" => &["government", "facility", "nonprofit"],
        "Ministry" | "GovernmentBody" | "Committee" => &["government"],
        "Company" => &["company"],
        "ResearchUnit" => &["facility", "education", "company", "nonprofit"],
        "InternationalOrganization" => &["government", "nonprofit", "other"],
        "City" | "District" | "Region" => &["city"],
        "Country" => &["country"],
        _ => return None,
    })
}

/// 1.0 if the record's type fits one of our classes, 0.7 if not, 1.0 if
/// either side says nothing decisive ("funder" is a role, not a type).
fn type_factor(entity: &Entity, record: &Record) -> (f64, Option<String>) {
    let types: Vec<&str> = record
        .types
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "funder")
        .collect();
    if types.is_empty() {
        return (1.0, None);
    }
    let mut known = false;
    for class in &entity.classes {
        if let Some(fits) = compatible_types(class) {
            known = true;
            if types.iter().any(|t| fits.contains(t)) {
                return (1.0, None);
            }
        }
    }
    if known {
        (
            0.7,
            Some(format!(
                "type {} ≠ {}",
                types.join("/"),
                entity.classes.join("/")
            )),
        )
    } else {
        (1.0, None)
    }
}

/// Whether the dataset can describe this kind of entity at all.
fn kind_fits(kind: EntityKind, record: &Record) -> bool {
    let place = |t: &str| record.types.iter().any(|x| x == t);
    match kind {
        EntityKind::Organization => !place("city") && !place("country"),
        EntityKind::Country => place("country"),
        EntityKind::City => place("city"),
        // A district or a region is not a city: reported, never linked to one.
        EntityKind::OtherPlace => false,
    }
}

#[derive(Default)]
struct Evidence {
    score: f64,
    method: String,
    /// Distinct names of ours that reached the record at a strong tier.
    names: HashSet<String>,
}

fn add(
    evidence: &mut HashMap<usize, Evidence>,
    record: usize,
    score: f64,
    method: String,
    ours: &str,
) {
    let e = evidence.entry(record).or_default();
    if score >= 0.85 {
        e.names.insert(ours.to_string());
    }
    if score > e.score {
        e.score = score;
        e.method = method;
    }
}

fn name_evidence(
    index: &Index,
    entity: &Entity,
    country_words: &[String],
) -> HashMap<usize, Evidence> {
    let mut evidence: HashMap<usize, Evidence> = HashMap::new();
    for label in &entity.labels {
        let mut keys = vec![name_key(label)];
        if let Some(head) = normalize::strip_parenthetical(label) {
            keys.push(name_key(head));
        }
        for key in keys.iter().filter(|k| !k.is_empty()) {
            for &(i, kind) in index.by_name.get(key).into_iter().flatten() {
                let (score, what) = if kind == NameKind::Label {
                    (1.0, "name")
                } else {
                    (0.95, "other name")
                };
                add(
                    &mut evidence,
                    i as usize,
                    score,
                    format!("{what} \"{label}\""),
                    key,
                );
            }
            let unqualified = unqualified_key(label, country_words);
            for i in index.by_unqualified.get(key).into_iter().flatten() {
                add(
                    &mut evidence,
                    *i as usize,
                    0.93,
                    format!("name without country \"{label}\""),
                    key,
                );
            }
            if !unqualified.is_empty() && &unqualified != key {
                for &(i, _) in index.by_name.get(&unqualified).into_iter().flatten() {
                    add(
                        &mut evidence,
                        i as usize,
                        0.93,
                        format!("name without country \"{label}\""),
                        key,
                    );
                }
                for i in index.by_unqualified.get(&unqualified).into_iter().flatten() {
                    add(
                        &mut evidence,
                        *i as usize,
                        0.93,
                        format!("name without country \"{label}\""),
                        key,
                    );
                }
            }
        }
        if normalize::looks_like_acronym(label) {
            for i in index
                .by_acronym
                .get(&normalize::acronym_key(label))
                .into_iter()
                .flatten()
            {
                add(
                    &mut evidence,
                    *i as usize,
                    0.85,
                    format!("acronym \"{label}\""),
                    &normalize::acronym_key(label),
                );
            }
        }
        // Shared rare words.
        let tokens: HashSet<String> = normalize::tokens(label).into_iter().collect();
        if tokens.len() >= 2 {
            let mut seen: HashSet<u32> = HashSet::new();
            for token in &tokens {
                let Some(list) = index.by_token.get(token) else {
                    continue;
                };
                if list.len() > 300 {
                    continue;
                }
                for &i in list {
                    if !seen.insert(i) {
                        continue;
                    }
                    let jaccard = index.label_tokens[i as usize]
                        .iter()
                        .map(|theirs| {
                            let inter =
                                theirs.iter().filter(|t| tokens.contains(*t)).count() as f64;
                            inter / (tokens.len() as f64 + theirs.len() as f64 - inter)
                        })
                        .fold(0.0, f64::max);
                    if jaccard >= 0.5 {
                        add(
                            &mut evidence,
                            i as usize,
                            0.8 * jaccard,
                            format!("shared words ({jaccard:.2}) \"{label}\""),
                            "",
                        );
                    }
                }
            }
        }
    }
    for acronym in &entity.acronyms {
        let key = normalize::acronym_key(acronym);
        for i in index.by_acronym.get(&key).into_iter().flatten() {
            add(
                &mut evidence,
                *i as usize,
                0.85,
                format!("acronym \"{acronym}\""),
                &key,
            );
        }
        for i in index.by_initials.get(&key).into_iter().flatten() {
            add(
                &mut evidence,
                *i as usize,
                0.7,
                format!("acronym \"{acronym}\" = initials of the name"),
                "",
            );
        }
    }
    evidence
}

/// Our country entities' ISO codes: by name (country table, the records'
/// country names), else by the votes of entities of that country whose name
/// alone points to records of one country.
pub fn country_codes(
    index: &Index,
    entities: &[Entity],
    options: &LinkOptions,
) -> BTreeMap<String, String> {
    let mut names: HashMap<String, String> = index.country_names.clone();
    for (name, code) in &options.country_names {
        names.insert(name_key(name), code.clone());
    }
    let mut codes = options.known_codes.clone();
    let countries: Vec<&Entity> = entities
        .iter()
        .filter(|e| e.kind == Some(EntityKind::Country))
        .collect();
    for country in &countries {
        if let Some(code) = country.labels.iter().find_map(|l| names.get(&name_key(l))) {
            codes.insert(country.iri.clone(), code.clone());
        }
    }
    for country in countries {
        if codes.contains_key(&country.iri) {
            continue;
        }
        let mut votes: BTreeMap<String, usize> = BTreeMap::new();
        let mut total = 0;
        for entity in entities
            .iter()
            .filter(|e| e.country.as_deref() == Some(&country.iri) && e.iri != country.iri)
        {
            // Only the records a full name of ours names exactly (cheap lookups).
            let strong: HashSet<&str> = entity
                .labels
                .iter()
                .flat_map(|l| index.by_name.get(&name_key(l)).into_iter().flatten())
                .filter_map(|&(i, _)| index.record(i as usize).country.as_deref())
                .collect();
            if strong.len() == 1 {
                total += 1;
                *votes
                    .entry(strong.into_iter().next().unwrap_or_default().to_string())
                    .or_default() += 1;
            }
        }
        let Some((code, count)) = votes
            .into_iter()
            .max_by_key(|(code, n)| (*n, std::cmp::Reverse(code.clone())))
        else {
            continue;
        };
        // At least two votes, four in five agreeing, and the country's name
        // sharing a word with ours when we know it.
        let our_words: HashSet<String> = country
            .labels
            .iter()
            .flat_map(|l| normalize::tokens(l))
            .collect();
        let name_agrees = names
            .iter()
            .filter(|(_, c)| **c == code)
            .all(|(name, _)| name.split(' ').any(|w| our_words.contains(w)));
        if count >= 2 && count * 5 >= total * 4 && name_agrees {
            codes.insert(country.iri.clone(), code);
        }
    }
    codes
}

/// Links every entity the dataset can describe.
pub fn link(index: &Index, entities: &[Entity], options: &LinkOptions) -> Vec<Outcome> {
    let codes = country_codes(index, entities, options);
    let by_iri: HashMap<&str, &Entity> = entities.iter().map(|e| (e.iri.as_str(), e)).collect();
    let dataset_kinds: HashSet<EntityKind> = [
        EntityKind::Organization,
        EntityKind::Country,
        EntityKind::City,
    ]
    .into_iter()
    .filter(|k| {
        index
            .dataset
            .records
            .iter()
            .take(1000)
            .any(|r| kind_fits(*k, r))
    })
    .collect();
    let mut outcomes = Vec::new();
    for entity in entities {
        let Some(kind) = entity.kind else { continue };
        let wanted = if options.classes.is_empty() {
            dataset_kinds.contains(&kind)
                || (kind == EntityKind::OtherPlace && dataset_kinds.contains(&EntityKind::City))
        } else {
            entity.classes.iter().any(|c| options.classes.contains(c))
        };
        if !wanted {
            continue;
        }
        let country = if kind == EntityKind::Country {
            codes.get(&entity.iri).cloned()
        } else {
            entity.country.as_ref().and_then(|c| codes.get(c).cloned())
        };
        let country_words: Vec<String> = entity
            .country
            .as_ref()
            .and_then(|c| by_iri.get(c.as_str()))
            .map(|c| c.labels.iter().flat_map(|l| normalize::tokens(l)).collect())
            .unwrap_or_default();
        let city_keys: HashSet<String> = entity
            .city
            .as_ref()
            .and_then(|c| by_iri.get(c.as_str()))
            .map(|c| c.labels.iter().map(|l| name_key(l)).collect())
            .unwrap_or_default();
        let mut evidence = name_evidence(index, entity, &country_words);
        // A country whose code our places and organisations gave: the
        // country record with that code.
        if let (EntityKind::Country, Some(code)) = (kind, &country) {
            if options.known_codes.contains_key(&entity.iri) {
                for (i, r) in index.dataset.records.iter().enumerate() {
                    if r.country.as_deref() == Some(code) && kind_fits(kind, r) {
                        add(&mut evidence, i, 0.9, format!("ISO code {code}, from the records of the places and organisations in it"), "");
                    }
                }
            }
        }
        let mut rejected = Vec::new();
        let mut scored: BTreeMap<usize, Candidate> = BTreeMap::new();
        for (i, e) in evidence {
            let mut record_index = i;
            let mut record = index.record(i);
            let mut method = e.method.clone();
            let mut factor = 1.0;
            if !kind_fits(kind, record) {
                continue;
            }
            match record.status {
                Status::Active => {}
                Status::Withdrawn => {
                    rejected.push(format!("{} withdrawn", record.id));
                    continue;
                }
                Status::Inactive => {
                    let successor = record
                        .successors
                        .iter()
                        .filter_map(|s| index.find(s))
                        .find(|&s| index.record(s).status == Status::Active);
                    match successor {
                        Some(s) => {
                            method = format!("{method}; {} is inactive, its successor", record.id);
                            record_index = s;
                            record = index.record(s);
                            factor *= 0.95;
                        }
                        None => {
                            rejected.push(format!("{} inactive, no successor stated", record.id));
                            continue;
                        }
                    }
                }
            }
            match (&country, &record.country) {
                (Some(ours), Some(theirs)) if ours != theirs => {
                    rejected.push(format!("{} in {theirs}, ours in {ours}", record.id));
                    continue;
                }
                (Some(_), Some(_)) => method.push_str("; same country"),
                (None, Some(_)) => {
                    factor *= 0.85;
                    method.push_str("; our country unknown");
                }
                (_, None) => factor *= 0.9,
            }
            let (type_factor, type_note) = type_factor(entity, record);
            factor *= type_factor;
            if let Some(note) = type_note {
                method.push_str(&format!("; {note}"));
            }
            let mut bonus = 0.0;
            if let (false, Some((_, city))) = (city_keys.is_empty(), &record.city) {
                if city_keys.contains(&name_key(city)) {
                    bonus += 0.03;
                    method.push_str("; same city");
                } else {
                    factor *= 0.95;
                    method.push_str(&format!("; city {city}"));
                }
            }
            if e.names.len() >= 2 {
                bonus += 0.05;
                method.push_str(&format!("; {} names agree", e.names.len()));
            }
            let score = ((e.score * factor + bonus).min(1.0) * 1000.0).round() / 1000.0;
            let candidate = Candidate {
                record: record_index,
                score,
                method,
            };
            match scored.get(&record_index) {
                Some(c) if c.score >= score => {}
                _ => {
                    scored.insert(record_index, candidate);
                }
            }
        }
        let mut candidates: Vec<Candidate> = scored.into_values().collect();
        candidates.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| index.record(a.record).id.cmp(&index.record(b.record).id))
        });
        candidates.truncate(3);
        rejected.sort();
        rejected.dedup();
        let decision = match candidates.as_slice() {
            [] => Decision::NoCandidate,
            [best, ..] if best.score < options.min_score => Decision::BelowThreshold,
            [best, second, ..] if second.score > best.score - options.margin => Decision::Ambiguous,
            _ => Decision::Link,
        };
        outcomes.push(Outcome {
            entity: entity.clone(),
            country,
            candidates,
            decision,
            rejected,
        });
    }
    outcomes
}
