//! The validator: SHACL Core semantics (sections 2-4) evaluated set at a
//! time over a [`Graph`] index.
//!
//! A shape is checked against all its focus nodes at once: targets come from
//! the index (class members through one pass over rdf:type and
//! rdfs:subClassOf*), value nodes are slices of the index for predicate
//! paths, `sh:class` tests membership in a set computed once per class, and
//! nested shapes (`sh:node`, `sh:not`, `sh:and`, `sh:or`, `sh:xone`,
//! qualified value shapes) are checked once for all the distinct value
//! nodes that reach them, with the answers memoised per (shape, node).

use super::graph::{Graph, Id};
use super::shapes::{Constraint, Schema, ShapeId};
use super::values;
use oxigraph::model::{Term, TermRef};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cmp::Ordering;

/// A validation result, in ids; [`super::report`] turns it into terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResult {
    pub focus: Id,
    pub shape: ShapeId,
    /// Index of the constraint in the shape's `constraints`.
    pub constraint: usize,
    pub value: Option<Id>,
    /// For sh:closed: the predicate of the triple that is not allowed.
    pub closed_predicate: Option<Id>,
}

pub struct Engine<'a> {
    g: &'a Graph,
    schema: &'a Schema,
    class_members: FxHashMap<Id, FxHashSet<Id>>,
    conforms: FxHashMap<(ShapeId, Id), bool>,
}

/// Value nodes of each focus node.
enum Values {
    /// A node shape: the focus node itself.
    Focus,
    /// A predicate path: a slice of the index.
    Predicate(Id),
    /// Any other path, evaluated.
    Computed(Vec<Vec<Id>>),
}

impl<'a> Engine<'a> {
    pub fn new(g: &'a Graph, schema: &'a Schema) -> Self {
        Self {
            g,
            schema,
            class_members: FxHashMap::default(),
            conforms: FxHashMap::default(),
        }
    }

    /// Validates the data graph against every shape with targets.
    pub fn validate(&mut self) -> Vec<RawResult> {
        let mut out = Vec::new();
        let targeted: Vec<ShapeId> = self.schema.targeted().collect();
        for s in targeted {
            if self.schema.shapes[s].deactivated {
                continue;
            }
            let focus = self.focus_nodes(s);
            self.check_shape(s, &focus, true, &mut out);
        }
        out
    }

    /// The focus nodes of a shape's targets, sorted, distinct.
    pub fn focus_nodes(&mut self, s: ShapeId) -> Vec<Id> {
        let t = &self.schema.shapes[s].targets;
        let mut focus: Vec<Id> = t.nodes.clone();
        for &c in &t.classes {
            focus.extend(self.g.instances(c));
        }
        if !t.subjects_of.is_empty() || !t.objects_of.is_empty() {
            for [s, p, o] in self.g.triples() {
                if t.subjects_of.contains(&p) {
                    focus.push(s);
                }
                if t.objects_of.contains(&p) {
                    focus.push(o);
                }
            }
        }
        focus.sort_unstable();
        focus.dedup();
        focus
    }

    fn members(&mut self, class: Id) {
        let g = self.g;
        self.class_members
            .entry(class)
            .or_insert_with(|| g.instances(class).into_iter().collect());
    }

    /// Does each node conform to shape `s`? Answers are memoised; a node met
    /// again while its own check is under way is taken to conform.
    fn ensure_conformance(&mut self, s: ShapeId, nodes: &[Id]) {
        let mut todo: Vec<Id> = nodes
            .iter()
            .copied()
            .filter(|&n| !self.conforms.contains_key(&(s, n)))
            .collect();
        if todo.is_empty() {
            return;
        }
        todo.sort_unstable();
        todo.dedup();
        for &n in &todo {
            self.conforms.insert((s, n), true);
        }
        if self.schema.shapes[s].deactivated {
            return;
        }
        let mut out = Vec::new();
        self.check_shape(s, &todo, false, &mut out);
        for r in out {
            self.conforms.insert((s, r.focus), false);
        }
    }

    fn conforms_to(&self, s: ShapeId, node: Id) -> bool {
        self.conforms.get(&(s, node)).copied().unwrap_or(true)
    }

    /// Checks `focus` against shape `s`. With `report`, nested property
    /// shapes add their own results; without, every failure is attributed to
    /// the focus node (for conformance checks).
    fn check_shape(&mut self, s: ShapeId, focus: &[Id], report: bool, out: &mut Vec<RawResult>) {
        let schema = self.schema;
        let g = self.g;
        let shape = &schema.shapes[s];
        if shape.deactivated || focus.is_empty() {
            return;
        }
        let values = match &shape.path {
            None => Values::Focus,
            Some((_, super::paths::CPath::Predicate(p))) => Values::Predicate(*p),
            Some((_, path)) => Values::Computed(focus.iter().map(|&f| path.eval(g, f)).collect()),
        };
        let vals = |i: usize| -> &[Id] {
            match &values {
                Values::Focus => std::slice::from_ref(&focus[i]),
                Values::Predicate(p) => g.objects(focus[i], *p),
                Values::Computed(v) => &v[i],
            }
        };
        let result = |focus: Id, constraint: usize, value: Option<Id>| RawResult {
            focus,
            shape: s,
            constraint,
            value,
            closed_predicate: None,
        };
        for (ci, c) in shape.constraints.iter().enumerate() {
            // Nested shapes: check every distinct value node once, first.
            let nested: Vec<ShapeId> = match c {
                Constraint::Not(x) | Constraint::Node(x) => vec![*x],
                Constraint::Property(x) if !report => vec![*x],
                Constraint::And(xs) | Constraint::Or(xs) | Constraint::Xone(xs) => xs.clone(),
                Constraint::QualifiedMinCount {
                    shape, siblings, ..
                }
                | Constraint::QualifiedMaxCount {
                    shape, siblings, ..
                } => {
                    let mut v = siblings.clone();
                    v.push(*shape);
                    v
                }
                _ => Vec::new(),
            };
            if !nested.is_empty() {
                let mut all: Vec<Id> = (0..focus.len())
                    .flat_map(|i| vals(i).iter().copied())
                    .collect();
                all.sort_unstable();
                all.dedup();
                for x in nested {
                    self.ensure_conformance(x, &all);
                }
            }
            match c {
                Constraint::Class(class) => {
                    self.members(*class);
                    let members = &self.class_members[class];
                    for (i, &f) in focus.iter().enumerate() {
                        for &v in vals(i) {
                            if !members.contains(&v) {
                                out.push(result(f, ci, Some(v)));
                            }
                        }
                    }
                }
                Constraint::Property(ps) => {
                    if report {
                        let all: Vec<Id> = (0..focus.len())
                            .flat_map(|i| vals(i).iter().copied())
                            .collect();
                        self.check_shape(*ps, &all, true, out);
                    } else {
                        for (i, &f) in focus.iter().enumerate() {
                            if let Some(&v) = vals(i).iter().find(|&&v| !self.conforms_to(*ps, v)) {
                                out.push(result(f, ci, Some(v)));
                            }
                        }
                    }
                }
                Constraint::MinCount(n) => {
                    for (i, &f) in focus.iter().enumerate() {
                        if (vals(i).len() as u64) < *n {
                            out.push(result(f, ci, None));
                        }
                    }
                }
                Constraint::MaxCount(n) => {
                    for (i, &f) in focus.iter().enumerate() {
                        if vals(i).len() as u64 > *n {
                            out.push(result(f, ci, None));
                        }
                    }
                }
                Constraint::UniqueLang => {
                    // Borrowed tags, compared ignoring ASCII case: no string
                    // is allocated per focus node.
                    let mut langs: Vec<&str> = Vec::new();
                    for (i, &f) in focus.iter().enumerate() {
                        langs.clear();
                        langs.extend(vals(i).iter().filter_map(|&v| match g.term(v) {
                            Term::Literal(l) => l.language(),
                            _ => None,
                        }));
                        if langs.len() < 2 {
                            continue;
                        }
                        langs.sort_unstable_by(|a, b| cmp_ignore_ascii_case(a, b));
                        // One result per tag that occurs more than once.
                        let mut k = 1;
                        while k < langs.len() {
                            if langs[k].eq_ignore_ascii_case(langs[k - 1]) {
                                out.push(result(f, ci, None));
                                while k < langs.len() && langs[k].eq_ignore_ascii_case(langs[k - 1])
                                {
                                    k += 1;
                                }
                            } else {
                                k += 1;
                            }
                        }
                    }
                }
                Constraint::Equals(p) | Constraint::Disjoint(p) => {
                    let equals = matches!(c, Constraint::Equals(_));
                    for (i, &f) in focus.iter().enumerate() {
                        let a = vals(i);
                        let b = g.objects(f, *p);
                        if equals {
                            for &v in a {
                                if b.binary_search(&v).is_err() {
                                    out.push(result(f, ci, Some(v)));
                                }
                            }
                            for &v in b {
                                if !a.contains(&v) {
                                    out.push(result(f, ci, Some(v)));
                                }
                            }
                        } else {
                            for &v in a {
                                if b.binary_search(&v).is_ok() {
                                    out.push(result(f, ci, Some(v)));
                                }
                            }
                        }
                    }
                }
                Constraint::LessThan(p) | Constraint::LessThanOrEquals(p) => {
                    let or_equal = matches!(c, Constraint::LessThanOrEquals(_));
                    for (i, &f) in focus.iter().enumerate() {
                        for &v in vals(i) {
                            for &o in g.objects(f, *p) {
                                let ok =
                                    match values::compare(g.term(v).as_ref(), g.term(o).as_ref()) {
                                        Some(Ordering::Less) => true,
                                        Some(Ordering::Equal) => or_equal,
                                        _ => false,
                                    };
                                if !ok {
                                    out.push(result(f, ci, Some(v)));
                                }
                            }
                        }
                    }
                }
                Constraint::QualifiedMinCount {
                    shape: q,
                    count,
                    siblings,
                }
                | Constraint::QualifiedMaxCount {
                    shape: q,
                    count,
                    siblings,
                } => {
                    let min = matches!(c, Constraint::QualifiedMinCount { .. });
                    for (i, &f) in focus.iter().enumerate() {
                        let n = vals(i)
                            .iter()
                            .filter(|&&v| {
                                self.conforms_to(*q, v)
                                    && !siblings.iter().any(|&s| self.conforms_to(s, v))
                            })
                            .count() as u64;
                        if (min && n < *count) || (!min && n > *count) {
                            out.push(result(f, ci, None));
                        }
                    }
                }
                Constraint::Closed { allowed } => {
                    for (i, &f) in focus.iter().enumerate() {
                        for &v in vals(i) {
                            for (p, o) in g.outgoing(v) {
                                if !allowed.contains(&p) {
                                    out.push(RawResult {
                                        focus: f,
                                        shape: s,
                                        constraint: ci,
                                        value: Some(o),
                                        closed_predicate: Some(p),
                                    });
                                }
                            }
                        }
                    }
                }
                Constraint::HasValue(h) => {
                    for (i, &f) in focus.iter().enumerate() {
                        if !vals(i).contains(h) {
                            out.push(result(f, ci, None));
                        }
                    }
                }
                // Constraints that test each value node on its own.
                _ => {
                    for (i, &f) in focus.iter().enumerate() {
                        for &v in vals(i) {
                            if !self.value_ok(c, v) {
                                out.push(result(f, ci, Some(v)));
                            }
                        }
                    }
                }
            }
        }
    }

    /// Does value node `v` satisfy a constraint that tests values one by one?
    fn value_ok(&self, c: &Constraint, v: Id) -> bool {
        let term = self.g.term(v);
        let range = |bound: &Term, ok: fn(Ordering) -> bool| -> bool {
            values::compare(term.as_ref(), bound.as_ref()).is_some_and(ok)
        };
        match c {
            Constraint::Datatype(dt) => match term {
                Term::Literal(l) => {
                    l.datatype() == dt.as_ref()
                        && (l.language().is_some() || dt.as_str() != values::RDF_LANGSTRING)
                        && values::is_valid_lexical(l.value(), dt.as_str())
                }
                _ => false,
            },
            Constraint::NodeKind(k, _) => match term {
                Term::NamedNode(_) => k.iri,
                Term::BlankNode(_) => k.blank,
                Term::Literal(_) => k.literal,
                #[allow(unreachable_patterns)]
                _ => false,
            },
            Constraint::MinExclusive(b) => range(b, |o| o == Ordering::Greater),
            Constraint::MinInclusive(b) => range(b, |o| o != Ordering::Less),
            Constraint::MaxExclusive(b) => range(b, |o| o == Ordering::Less),
            Constraint::MaxInclusive(b) => range(b, |o| o != Ordering::Greater),
            Constraint::MinLength(n) => {
                string_of(term).is_some_and(|s| s.chars().count() as u64 >= *n)
            }
            Constraint::MaxLength(n) => {
                string_of(term).is_some_and(|s| s.chars().count() as u64 <= *n)
            }
            Constraint::Pattern { regex, .. } => string_of(term).is_some_and(|s| regex.is_match(s)),
            Constraint::LanguageIn(ranges) => match term.as_ref() {
                TermRef::Literal(l) => l
                    .language()
                    .is_some_and(|tag| ranges.iter().any(|r| lang_matches(tag, r))),
                _ => false,
            },
            Constraint::Not(x) => !self.conforms_to(*x, v),
            Constraint::Node(x) => self.conforms_to(*x, v),
            Constraint::And(xs) => xs.iter().all(|&x| self.conforms_to(x, v)),
            Constraint::Or(xs) => xs.iter().any(|&x| self.conforms_to(x, v)),
            Constraint::Xone(xs) => xs.iter().filter(|&&x| self.conforms_to(x, v)).count() == 1,
            Constraint::In(items) => items.contains(&v),
            _ => true,
        }
    }
}

/// The string a length or pattern constraint looks at: an IRI's text or a
/// literal's lexical form; none for a blank node.
fn string_of(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(n) => Some(n.as_str()),
        Term::Literal(l) => Some(l.value()),
        _ => None,
    }
}

/// Orders strings as their ASCII lower-case forms would be, without making them.
fn cmp_ignore_ascii_case(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// SPARQL langMatches (RFC 4647 basic filtering).
pub fn lang_matches(tag: &str, range: &str) -> bool {
    if range == "*" {
        return !tag.is_empty();
    }
    // Without allocating: this runs once per value node and range.
    tag.eq_ignore_ascii_case(range)
        || (tag.len() > range.len()
            && tag.as_bytes()[range.len()] == b'-'
            && tag.as_bytes()[..range.len()].eq_ignore_ascii_case(range.as_bytes()))
}
