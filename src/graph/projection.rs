//! The projection of the RDF graph into a `petgraph` graph: entities are
//! nodes, object properties between entities are edges named by their
//! property, fundings and quantities (n-ary nodes) are folded into one
//! labelled edge or into their entity's notes (or kept as nodes with
//! `reify`). Every exporter and every algorithm works on this one structure.

use super::raw::{is_metadata_type, is_nary, Description, Name, RawGraph};
use super::vocab::{pick_label, short_name, Vocab};
use crate::namespaces::{self, AIKG, RDFS_LABEL};
use oxigraph::model::Literal;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{HashMap, HashSet, VecDeque};

/// What an entity node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Entity,
    /// A reified `aikg:Funding` (`--reify`).
    Funding,
    /// A reified `aikg:Quantity` (`--reify`).
    Quantity,
}

/// A node: one entity of the graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Its IRI (or `_:id` for a blank node).
    pub key: String,
    /// Its prefixed name if it has one, else its IRI: the id in every export.
    pub id: String,
    /// Its label in the chosen language (else another, else its name).
    pub label: String,
    /// Its classes (IRIs), sorted.
    pub classes: Vec<String>,
    /// Its literal values and links to things that are not entities
    /// (web pages, external identifiers): (property, value), sorted.
    pub attributes: Vec<(String, String)>,
    /// Folded n-ary facts: a funding without a named funder, a count.
    pub notes: Vec<String>,
    pub kind: NodeKind,
    /// The cluster it is drawn in (`--cluster`): (key, label).
    pub cluster: Option<(String, String)>,
}

/// An edge: a relation between two entities.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// The property's IRI.
    pub relation: Name,
    /// The property's label in the chosen language.
    pub relation_label: Name,
    /// What is written on the edge: the relation's label, and for a funding
    /// its amount and date ("funds · 826.2 bn KRW · 2023-06").
    pub label: Name,
    /// A symmetric relation (`owl:SymmetricProperty`), stored once.
    pub undirected: bool,
    /// The folded funding's values: (property, value), sorted.
    pub attributes: Vec<(String, String)>,
}

/// How to project.
#[derive(Clone, Debug)]
pub struct Options {
    /// Language of labels (`fr`, `en`...).
    pub lang: String,
    /// Keep fundings and quantities as nodes.
    pub reify: bool,
    /// Group nodes by country (`country`) or by the value of a property (IRI).
    pub cluster: Option<ClusterBy>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            lang: "en".into(),
            reify: false,
            cluster: None,
        }
    }
}

/// How nodes are grouped into clusters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClusterBy {
    /// The country: `aikg:country`, else the country the node is located in
    /// (through `aikg:locatedIn`), a country being its own cluster.
    Country,
    /// The value of a property (IRI).
    Property(String),
}

/// Which part of the projection to keep.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Keep the nodes within `depth` hops of this node (IRI).
    pub focus: Option<String>,
    pub depth: usize,
    /// Walk on through hubs ([`Hubs`]) instead of stopping at them.
    pub through_hubs: bool,
    /// Nodes (IRIs) whose neighbours are kept too, hubs or not: the nodes a
    /// user asked to open (the explorer's "expand").
    pub expand: Vec<String>,
    /// Keep only these relations (IRIs); nodes left without edges go too.
    pub relations: Vec<String>,
    /// Keep only the nodes of these classes or their subclasses (IRIs).
    pub classes: Vec<String>,
    /// Leave out the nodes of these classes or their subclasses (IRIs).
    pub without: Vec<String>,
}

/// The graph the exporters and algorithms work on; nodes are in the order of
/// their ids, edges in the order of (source, target, relation, label).
#[derive(Clone, Debug)]
pub struct Projection {
    pub graph: DiGraph<Node, Edge>,
    pub vocab: Vocab,
    pub lang: String,
    /// The focus node, when the selection has one.
    pub focus: Option<NodeIndex>,
    /// How the nodes were clustered.
    pub cluster_by: Option<ClusterBy>,
    /// Where a node links to in drawings (its key in, a URL out): the
    /// pages link each node of a neighbourhood to the node's page.
    pub links: Option<Links>,
}

/// Where each node of a drawing links to, from its key.
#[derive(Clone)]
pub struct Links(pub std::sync::Arc<dyn Fn(&str) -> String + Send + Sync>);

impl std::fmt::Debug for Links {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Links")
    }
}

fn aikg(local: &str) -> String {
    format!("{AIKG}{local}")
}

/// The id of a node in every export: its prefixed name, else its IRI.
pub fn node_id(key: &str) -> String {
    if key.starts_with("_:") {
        return key.to_string();
    }
    namespaces::compact(key).unwrap_or_else(|| key.to_string())
}

const SKOS_PREF_LABEL: &str = "http://www.w3.org/2004/02/skos/core#prefLabel";
const SKOS_ALT_LABEL: &str = "http://www.w3.org/2004/02/skos/core#altLabel";
const AIKG_ACRONYM: &str = "https://w3id.org/aikg/ontology#acronym";

fn is_label_predicate(p: &str) -> bool {
    p == RDFS_LABEL || p == SKOS_PREF_LABEL
}

/// The label of a subject in a language: rdfs:label / skos:prefLabel, else
/// skos:altLabel, else aikg:acronym, else None.
fn label_in(d: &Description, lang: &str) -> Option<String> {
    pick_label(
        d.literals
            .iter()
            .filter(|(p, _)| is_label_predicate(p))
            .map(|(_, l)| (l.language().unwrap_or(""), l.value())),
        lang,
    )
    .or_else(|| {
        pick_label(
            d.literals_of(SKOS_ALT_LABEL)
                .map(|l| (l.language().unwrap_or(""), l.value())),
            lang,
        )
    })
    .or_else(|| {
        d.literals_of(AIKG_ACRONYM)
            .next()
            .map(|l| l.value().to_string())
    })
}

/// The values of a subject's literals worth showing: per property, those in
/// the chosen language when there are some, else the best other ones.
fn attributes_of(d: &Description, lang: &str) -> Vec<(String, String)> {
    let rank = |l: &Literal| match l.language() {
        None => 0,
        Some(t) if t.split('-').next().unwrap_or("").eq_ignore_ascii_case(lang) => 0,
        Some(t) if t.starts_with("en") => 1,
        Some(_) => 2,
    };
    let mut out = Vec::new();
    // The literals are sorted by property (RawGraph::finish): one run per
    // property.
    let mut rest = d.literals.as_slice();
    while let Some((p, _)) = rest.first() {
        let run = rest.iter().take_while(|(q, _)| q == p).count();
        let (literals, tail) = rest.split_at(run);
        rest = tail;
        if is_label_predicate(p) {
            continue;
        }
        let best = literals.iter().map(|(_, l)| rank(l)).min().unwrap_or(0);
        let name = short_property(p);
        for (_, l) in literals.iter().filter(|(_, l)| rank(l) == best) {
            out.push((name.clone(), l.value().replace('\n', " ")));
        }
    }
    out
}

fn literal<'a>(d: &'a Description, local: &str) -> Vec<&'a Literal> {
    d.literals
        .iter()
        .filter(|(q, _)| q.strip_prefix(AIKG) == Some(local))
        .map(|(_, l)| l)
        .collect()
}

/// [`short_name`] of a property, remembered (per thread): the same few
/// properties name the attributes of every node.
fn short_property(p: &str) -> String {
    thread_local! {
        static NAMES: std::cell::RefCell<FxHashMap<String, String>> = Default::default();
    }
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        match names.get(p) {
            Some(name) => name.clone(),
            None => {
                let name = short_name(p);
                if names.len() < 10_000 {
                    names.insert(p.to_string(), name.clone());
                }
                name
            }
        }
    })
}

fn is_true(d: &Description, local: &str) -> bool {
    literal(d, local)
        .iter()
        .any(|l| l.value() == "true" || l.value() == "1")
}

/// A number as people read it: 826200000000 → "826.2 bn" (en) or
/// "826,2 Md" (fr); 518920000 → "518.92 M".
pub fn format_amount(value: &str, lang: &str) -> String {
    let Ok(v) = value.parse::<f64>() else {
        return value.to_string();
    };
    let fr = lang == "fr";
    let (scaled, unit) = if v.abs() >= 1e12 && !fr {
        (v / 1e12, " tn")
    } else if v.abs() >= 1e9 {
        (v / 1e9, if fr { " Md" } else { " bn" })
    } else if v.abs() >= 1e6 {
        (v / 1e6, " M")
    } else {
        (v, "")
    };
    let mut text = format!("{scaled:.2}");
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (text.clone(), None),
    };
    let negative = int.starts_with('-');
    let digits = int.trim_start_matches('-');
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(if fr { '\u{202f}' } else { ',' });
        }
        grouped.push(c);
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if let Some(f) = frac {
        out.push(if fr { ',' } else { '.' });
        out.push_str(&f);
    }
    out.push_str(unit);
    out
}

/// "826.2 bn KRW · 2023-06", the attributes of a funding, and "≈" marks.
fn funding_summary(d: &Description, lang: &str) -> (String, Vec<(String, String)>) {
    let mut parts = Vec::new();
    let approx = |flag: &str| if is_true(d, flag) { "≈ " } else { "" };
    let currency = literal(d, "currency")
        .first()
        .map(|l| l.value().to_string());
    if let Some(amount) = literal(d, "amount").first() {
        let mut text = format!(
            "{}{}",
            approx("approximate"),
            format_amount(amount.value(), lang)
        );
        if let Some(c) = &currency {
            text.push(' ');
            text.push_str(c);
        }
        parts.push(text);
    } else if let Some(eur) = literal(d, "amountEUR").first() {
        parts.push(format!(
            "{}{} EUR",
            approx("amountEURApproximate"),
            format_amount(eur.value(), lang)
        ));
    }
    let mut dates: Vec<&str> = literal(d, "date").iter().map(|l| l.value()).collect();
    dates.sort();
    if !dates.is_empty() {
        parts.push(dates.join(", "));
    } else {
        let start = literal(d, "startDate")
            .first()
            .map(|l| l.value().to_string());
        let end = literal(d, "endDate").first().map(|l| l.value().to_string());
        match (start, end) {
            (Some(s), Some(e)) => parts.push(format!("{s}–{e}")),
            (Some(s), None) => parts.push(format!("{s}–")),
            (None, Some(e)) => parts.push(format!("–{e}")),
            (None, None) => {}
        }
    }
    let basis = literal(d, "basis");
    if let Some(b) = pick_label(
        basis
            .iter()
            .map(|l| (l.language().unwrap_or(""), l.value())),
        lang,
    ) {
        parts.push(b);
    }
    (parts.join(" · "), attributes_of(d, lang))
}

fn join_label(relation: &str, summary: &str) -> String {
    if summary.is_empty() {
        relation.to_string()
    } else {
        format!("{relation} · {summary}")
    }
}

/// Builds the projection of what was read.
pub fn project(raw: &RawGraph, vocab: Vocab, options: &Options) -> Projection {
    let lang = options.lang.as_str();
    let t0 = std::time::Instant::now();
    let funding_class = aikg("Funding");
    let quantity_class = aikg("Quantity");
    // Which subjects are entities, fundings, quantities.
    let mut entities: Vec<(&Name, &Description, NodeKind)> = Vec::new();
    let mut fundings = Vec::new();
    let mut quantities = Vec::new();
    // (metadata, funding, quantity) per class, computed once per class
    let mut kinds: FxHashMap<&str, (bool, bool, bool)> = FxHashMap::default();
    // Resources with statements but no rdf:type. In aikg's graph they are
    // external identifiers (ROR, GeoNames), drawn as attributes of the
    // entities linked to them; someone else's data may type nothing at all
    // (oxigraph and rdflib take it as it is), so there they are drawn too.
    let mut untyped = Vec::new();
    let mut uses_aikg_classes = false;
    for (key, d) in &raw.subjects {
        if d.types.is_empty() {
            if !d.literals.is_empty() || !d.links.is_empty() {
                untyped.push((key, d, NodeKind::Entity));
            }
            continue;
        }
        uses_aikg_classes |= d
            .types
            .iter()
            .any(|t| t.starts_with(crate::namespaces::AIKG));
        let (mut metadata, mut is_funding, mut is_quantity) = (false, false, false);
        for t in &d.types {
            let k = *kinds.entry(t).or_insert_with(|| {
                (
                    is_metadata_type(t),
                    vocab.is_a(t, &funding_class),
                    vocab.is_a(t, &quantity_class),
                )
            });
            metadata |= k.0;
            is_funding |= k.1;
            is_quantity |= k.2;
        }
        if metadata {
            continue;
        }
        match (is_funding, is_quantity, options.reify) {
            (true, _, false) => fundings.push((key, d)),
            (false, true, false) => quantities.push((key, d)),
            (true, _, true) => entities.push((key, d, NodeKind::Funding)),
            (false, true, true) => entities.push((key, d, NodeKind::Quantity)),
            _ => entities.push((key, d, NodeKind::Entity)),
        }
    }
    if !uses_aikg_classes {
        entities.extend(untyped);
    }
    let folded: FxHashSet<&str> = fundings
        .iter()
        .chain(&quantities)
        .map(|(k, _)| &***k)
        .collect();
    super::timing("p:classify", t0);
    // In the order of their ids, then keys.
    let mut entities: Vec<(String, &Name, &Description, NodeKind)> = entities
        .into_iter()
        .map(|(key, d, kind)| (node_id(key), key, d, kind))
        .collect();
    entities.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let make_node = |(id, key, d, kind): &(String, &Name, &Description, NodeKind)| {
        let mut notes = Vec::new();
        let label = label_in(d, lang).unwrap_or_else(|| match kind {
            NodeKind::Funding => funding_summary(d, lang).0,
            _ => short_name(key),
        });
        match kind {
            NodeKind::Funding => {
                let (summary, _) = funding_summary(d, lang);
                if !summary.is_empty() && summary != label {
                    notes.push(summary);
                }
            }
            NodeKind::Quantity => notes.push(quantity_text(d, lang, false)),
            NodeKind::Entity => {}
        }
        // sorted already (RawGraph::finish)
        let classes = d.types.iter().map(|t| t.to_string()).collect();
        Node {
            key: key.to_string(),
            id: id.clone(),
            label,
            classes,
            attributes: attributes_of(d, lang),
            notes,
            kind: *kind,
            cluster: None,
        }
    };
    let mut nodes: Vec<Node> = in_parallel(&entities, |part| part.iter().map(make_node).collect());
    let index: FxHashMap<&str, usize> = entities
        .iter()
        .enumerate()
        .map(|(i, (_, key, _, _))| (&***key, i))
        .collect();

    super::timing("p:nodes", t0);
    // Edges between entities; links to anything else are attributes.
    // room for every link (most are edges) and the fundings' edges: no copy
    // as it grows
    let links = entities
        .iter()
        .map(|(_, _, d, _)| d.links.len())
        .sum::<usize>();
    let mut edges: Vec<(usize, usize, Edge)> = Vec::with_capacity(links + fundings.len());
    // (symmetric, label) per property
    let mut relations: FxHashMap<&str, (bool, Name)> = FxHashMap::default();
    for (_, key, d, _) in &entities {
        let s = index[&***key];
        for (p, o) in &d.links {
            if let Some(&t) = index.get(&**o) {
                let (undirected, relation_label) = relations
                    .entry(p)
                    .or_insert_with(|| (vocab.is_symmetric(p), vocab.label(p, lang).into()))
                    .clone();
                let (s, t) = if undirected && nodes[t].id < nodes[s].id {
                    (t, s)
                } else {
                    (s, t)
                };
                edges.push((
                    s,
                    t,
                    Edge {
                        relation: p.clone(),
                        relation_label: relation_label.clone(),
                        label: relation_label,
                        undirected,
                        attributes: Vec::new(),
                    },
                ));
            } else if !folded.contains(&**o)
                && raw.subjects.get(o).is_none_or(|d| d.types.is_empty())
            {
                nodes[s].attributes.push((short_property(p), o.to_string()));
            }
        }
    }

    super::timing("p:edges", t0);
    // Fundings: one edge per (funder, recipient), replacing the plain
    // `funds` edge between them; without a funder, a note on the recipient.
    let funds: Name = aikg("funds").into();
    let funds_label: Name = vocab.label(&funds, lang).into();
    let mut funded_pairs = HashSet::new();
    fundings.sort_by_key(|(k, _)| *k);
    for (key, d) in &fundings {
        let ends = |local: &str| -> Vec<usize> {
            let p = aikg(local);
            let mut v: Vec<usize> = d
                .links_of(&p)
                .filter_map(|o| index.get(&**o).copied())
                .collect();
            v.sort();
            v
        };
        let (funders, recipients) = (ends("funder"), ends("recipient"));
        let (summary, mut attributes) = funding_summary(d, lang);
        attributes.insert(0, ("funding".to_string(), node_id(key)));
        if let Some(l) = label_in(d, lang) {
            attributes.insert(1, ("funding label".to_string(), l));
        }
        if !funders.is_empty() && !recipients.is_empty() {
            for &f in &funders {
                for &r in &recipients {
                    funded_pairs.insert((f, r));
                    edges.push((
                        f,
                        r,
                        Edge {
                            relation: funds.clone(),
                            relation_label: funds_label.clone(),
                            label: join_label(&funds_label, &summary).into(),
                            undirected: false,
                            attributes: attributes.clone(),
                        },
                    ));
                }
            }
        } else {
            let (targets, what) = if recipients.is_empty() {
                (funders, funds_label.clone())
            } else {
                (recipients, vocab.label(&aikg("Funding"), lang).into())
            };
            for t in targets {
                nodes[t].notes.push(join_label(&what, &summary));
                nodes[t]
                    .attributes
                    .push(("funding".to_string(), summary.clone()));
            }
        }
    }
    // The plain `funds` edge a funding edge draws already.
    edges.retain(|(s, t, e)| {
        !(e.relation == funds && funded_pairs.contains(&(*s, *t)) && e.attributes.is_empty())
    });
    // Sorted by (source, target, relation, label); a statement made in
    // several passages is one edge.
    edges.sort_by(|a, b| {
        (a.0, a.1, &a.2.relation, &a.2.label).cmp(&(b.0, b.1, &b.2.relation, &b.2.label))
    });
    edges.dedup_by(|a, b| {
        a.0 == b.0 && a.1 == b.1 && a.2.relation == b.2.relation && a.2.label == b.2.label
    });

    super::timing("p:fundings", t0);
    // Quantities: a note on the entity counted.
    quantities.sort_by_key(|(k, _)| *k);
    let of = aikg("quantityOf");
    for (_, d) in &quantities {
        let text = quantity_text(d, lang, true);
        for o in d.links_of(&of) {
            if let Some(&t) = index.get(&**o) {
                nodes[t].notes.push(text.clone());
                nodes[t]
                    .attributes
                    .push(("quantity".to_string(), text.clone()));
            }
        }
    }
    for n in &mut nodes {
        n.attributes.sort();
        n.attributes.dedup();
        n.notes.sort();
        n.notes.dedup();
    }

    if let Some(by) = &options.cluster {
        assign_clusters(raw, &vocab, by, lang, &mut nodes);
    }

    super::timing("p:notes", t0);
    let mut graph = DiGraph::with_capacity(nodes.len(), edges.len());
    for n in nodes {
        graph.add_node(n);
    }
    for (s, t, e) in edges {
        graph.add_edge(NodeIndex::new(s), NodeIndex::new(t), e);
    }
    Projection {
        graph,
        vocab,
        lang: lang.to_string(),
        focus: None,
        cluster_by: options.cluster.clone(),
        links: None,
    }
}

/// `f` applied to the parts of a large slice on every core (up to 8), the
/// results concatenated in order: the same as `f(items)`, sooner.
pub(crate) fn in_parallel<T: Sync, U: Send>(
    items: &[T],
    f: impl Fn(&[T]) -> Vec<U> + Sync,
) -> Vec<U> {
    let threads = crate::cores();
    if threads < 2 || items.len() < 10_000 {
        return f(items);
    }
    let size = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(size)
            .map(|part| scope.spawn(|| f(part)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// "ETRI laboratories specialised in AI: 3" (with its label) or "3 labs".
fn quantity_text(d: &Description, lang: &str, with_label: bool) -> String {
    let value = literal(d, "value")
        .first()
        .map(|l| l.value().to_string())
        .unwrap_or_default();
    let unit = pick_label(
        literal(d, "unit")
            .iter()
            .map(|l| (l.language().unwrap_or(""), l.value())),
        lang,
    );
    match (with_label.then(|| label_in(d, lang)).flatten(), unit) {
        (Some(label), _) => format!("{label}: {value}"),
        (None, Some(unit)) => format!("{value} {unit}"),
        (None, None) => value,
    }
}

/// The cluster of each node: its country (itself for a country; else
/// `aikg:country`; else the first country up its `aikg:locatedIn` chain), or
/// the value of a property.
fn assign_clusters(raw: &RawGraph, vocab: &Vocab, by: &ClusterBy, lang: &str, nodes: &mut [Node]) {
    let name_of = |key: &str| -> String {
        raw.subjects
            .get(key)
            .and_then(|d| label_in(d, lang))
            .unwrap_or_else(|| short_name(key))
    };
    let country_class = aikg("Country");
    let is_country = |key: &str| {
        raw.subjects
            .get(key)
            .is_some_and(|d| d.types.iter().any(|t| vocab.is_a(t, &country_class)))
    };
    let targets = |key: &str, p: &str| -> Vec<String> {
        raw.subjects
            .get(key)
            .map(|d| d.links_of(p).map(|o| o.to_string()).collect())
            .unwrap_or_default()
    };
    for node in nodes.iter_mut() {
        node.cluster = match by {
            ClusterBy::Country => {
                let country = if is_country(&node.key) {
                    Some(node.key.clone())
                } else if let Some(c) = targets(&node.key, &aikg("country")).into_iter().min() {
                    Some(c)
                } else {
                    // up the locatedIn chain, breadth first
                    let located = aikg("locatedIn");
                    let mut seen = HashSet::new();
                    let mut queue: VecDeque<String> = targets(&node.key, &located).into();
                    let mut found = None;
                    while let Some(place) = queue.pop_front() {
                        if !seen.insert(place.clone()) {
                            continue;
                        }
                        if is_country(&place) {
                            found = Some(place);
                            break;
                        }
                        if let Some(c) = targets(&place, &aikg("country")).into_iter().min() {
                            found = Some(c);
                            break;
                        }
                        let mut up = targets(&place, &located);
                        up.sort();
                        queue.extend(up);
                    }
                    found
                };
                country.map(|c| (node_id(&c), name_of(&c)))
            }
            ClusterBy::Property(p) => {
                let d = raw.subjects.get(node.key.as_str());
                let link = targets(&node.key, p)
                    .into_iter()
                    .min()
                    .map(|o| (node_id(&o), name_of(&o)));
                link.or_else(|| {
                    d.and_then(|d| {
                        let mut values: Vec<&str> = d.literals_of(p).map(|l| l.value()).collect();
                        values.sort();
                        values.first().map(|v| (v.to_string(), v.to_string()))
                    })
                })
            }
        };
    }
}

/// The targets of cluster links that a neighbourhood read may have left out.
pub fn cluster_targets(raw: &RawGraph, by: &ClusterBy) -> Vec<String> {
    let props: Vec<String> = match by {
        ClusterBy::Country => vec![aikg("country"), aikg("locatedIn")],
        ClusterBy::Property(p) => vec![p.clone()],
    };
    let mut out: Vec<String> = raw
        .subjects
        .values()
        .flat_map(|d| {
            d.links
                .iter()
                .filter(|(p, _)| props.iter().any(|q| **q == **p))
                .map(|(_, o)| o.to_string())
        })
        .filter(|o| !raw.subjects.contains_key(o.as_str()))
        .collect();
    out.sort();
    out.dedup();
    out
}

impl Projection {
    /// Is this edge shown by the clusters already (a node's `aikg:country`
    /// edge to the country whose cluster it is drawn in)?
    pub fn implied_by_cluster(&self, edge: petgraph::graph::EdgeIndex) -> bool {
        let Some(by) = &self.cluster_by else {
            return false;
        };
        let Some((source, target)) = self.graph.edge_endpoints(edge) else {
            return false;
        };
        let relation = &self.graph[edge].relation;
        let is_cluster_property = match by {
            ClusterBy::Country => {
                matches!(relation.strip_prefix(AIKG), Some("country" | "locatedIn"))
            }
            ClusterBy::Property(p) => **relation == **p,
        };
        is_cluster_property
            && self.graph[source]
                .cluster
                .as_ref()
                .is_some_and(|(key, _)| *key == self.graph[target].id)
    }

    /// The node of an IRI.
    pub fn find(&self, key: &str) -> Option<NodeIndex> {
        self.graph
            .node_indices()
            .find(|&i| self.graph[i].key == key)
    }

    /// The part of the projection a selection keeps (nodes and edges keep
    /// their order).
    pub fn select(self, selection: &Selection) -> Projection {
        if selection.focus.is_none()
            && selection.relations.is_empty()
            && selection.classes.is_empty()
            && selection.without.is_empty()
        {
            return self;
        }
        let Projection {
            graph,
            vocab,
            lang,
            cluster_by,
            links,
            ..
        } = self;
        let keep_class = |n: &Node| {
            (selection.classes.is_empty()
                || n.classes
                    .iter()
                    .any(|c| selection.classes.iter().any(|wanted| vocab.is_a(c, wanted))))
                && !n.classes.iter().any(|c| {
                    selection
                        .without
                        .iter()
                        .any(|unwanted| vocab.is_a(c, unwanted))
                })
        };
        let keep_relation = |e: &Edge| {
            selection.relations.is_empty() || selection.relations.iter().any(|r| **r == *e.relation)
        };
        let focus_key = selection.focus.clone();
        let degrees: HashMap<String, usize> = if focus_key.is_some() {
            graph
                .node_indices()
                .map(|i| (graph[i].key.clone(), graph.neighbors_undirected(i).count()))
                .collect()
        } else {
            HashMap::new()
        };
        let mut graph = graph.filter_map(
            |_, n| {
                (keep_class(n) || focus_key.as_deref() == Some(n.key.as_str())).then(|| n.clone())
            },
            |_, e| keep_relation(e).then(|| e.clone()),
        );
        let mut focus = focus_key
            .as_deref()
            .and_then(|k| graph.node_indices().find(|&i| graph[i].key == k));
        if let Some(f) = focus {
            // Hubs are told by their degree before the filters: a country is
            // a hub whatever the picture keeps of it.
            let hubs = Hubs::new(&vocab);
            let is_hub = |i: NodeIndex| {
                !selection.through_hubs
                    && hubs.is_hub(&graph[i], degrees.get(&graph[i].key).copied().unwrap_or(0))
            };
            let mut kept: HashSet<NodeIndex> = walk_from(&graph, f, selection.depth, is_hub)
                .into_keys()
                .collect();
            for key in &selection.expand {
                if let Some(x) = graph.node_indices().find(|&i| graph[i].key == *key) {
                    if kept.contains(&x) {
                        kept.extend(graph.neighbors_undirected(x));
                    }
                }
            }
            graph = graph.filter_map(
                |i, n| kept.contains(&i).then(|| n.clone()),
                |_, e| Some(e.clone()),
            );
            focus = graph
                .node_indices()
                .find(|&i| Some(graph[i].key.as_str()) == focus_key.as_deref());
        }
        if !selection.relations.is_empty() {
            let connected: HashSet<NodeIndex> = graph
                .edge_references()
                .flat_map(|e| [e.source(), e.target()])
                .chain(focus)
                .collect();
            graph = graph.filter_map(
                |i, n| connected.contains(&i).then(|| n.clone()),
                |_, e| Some(e.clone()),
            );
            focus = graph
                .node_indices()
                .find(|&i| Some(graph[i].key.as_str()) == focus_key.as_deref());
        }
        Projection {
            graph,
            vocab,
            lang,
            focus,
            cluster_by,
            links,
        }
    }

    /// Number of nodes and edges.
    pub fn size(&self) -> (usize, usize) {
        (self.graph.node_count(), self.graph.edge_count())
    }
}

/// The nodes a focus walk stops at unless asked to go through: countries,
/// topics, and any node with more than [`Hubs::MAX_DEGREE`] edges. Through
/// them nearly everything is two hops from everything (the Korea node
/// touches a third of the graph): a focus on KAIST at depth 2 drew the whole
/// of Korea. A hub within reach is drawn; the walk does not go past it.
pub struct Hubs<'a> {
    vocab: &'a Vocab,
    classes: Vec<String>,
}

impl<'a> Hubs<'a> {
    /// Edges beyond which a node is a hub whatever its class.
    pub const MAX_DEGREE: usize = 30;
    /// Classes (aikg local names) whose members are hubs, with their
    /// subclasses.
    pub const CLASSES: &'static [&'static str] = &["Country", "Topic"];

    pub fn new(vocab: &'a Vocab) -> Self {
        let classes = Self::CLASSES.iter().map(|local| aikg(local)).collect();
        Self { vocab, classes }
    }

    /// Whether a node of this many edges (in the whole projection) is a hub.
    pub fn is_hub(&self, node: &Node, degree: usize) -> bool {
        degree > Self::MAX_DEGREE
            || node
                .classes
                .iter()
                .any(|c| self.classes.iter().any(|hub| self.vocab.is_a(c, hub)))
    }
}

/// Distances (in hops, ignoring direction) from `start`, up to `max`, not
/// walking on from the nodes `stop` says (`start` itself is always left).
pub fn walk_from(
    graph: &DiGraph<Node, Edge>,
    start: NodeIndex,
    max: usize,
    stop: impl Fn(NodeIndex) -> bool,
) -> HashMap<NodeIndex, usize> {
    let mut dist = HashMap::new();
    dist.insert(start, 0);
    let mut queue = VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        let d = dist[&n];
        if d >= max || (n != start && stop(n)) {
            continue;
        }
        for m in graph.neighbors_undirected(n) {
            if let std::collections::hash_map::Entry::Vacant(v) = dist.entry(m) {
                v.insert(d + 1);
                queue.push_back(m);
            }
        }
    }
    dist
}

/// Distances (in hops, ignoring direction) from a node, up to `max`.
pub fn distances_from(
    graph: &DiGraph<Node, Edge>,
    start: NodeIndex,
    max: Option<usize>,
) -> HashMap<NodeIndex, usize> {
    walk_from(graph, start, max.unwrap_or(usize::MAX), |_| false)
}

/// `is_nary` re-exported for the pipeline.
pub fn describes_nary(d: &Description) -> bool {
    is_nary(d)
}
