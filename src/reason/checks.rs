//! What reasoning reveals, for `aikg check`: a node in two disjoint classes
//! only once its types are inferred, a cycle of a transitive property (a
//! place located in itself), a symmetric or inverse property used with a
//! literal (the reversed statement cannot exist). Each finding is located
//! at the stated triples it rests on.

use super::engine::{self, vocab, Closure, Id, Input};
use super::rules::{Family, Rule, RuleSet};
use crate::query::display_term;
use crate::shacl::ontology_checks::CHECK_NS;
use crate::shacl::paths::Path;
use crate::shacl::report::ValidationResult;
use crate::shacl::vocab::sh;
use crate::source::{LocatedQuad, Position};
use oxigraph::model::{Literal, NamedNode, Term};
use rustc_hash::{FxHashMap, FxHashSet};

/// The checks of this module, as `check:` IRIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Two disjoint classes, met only through inference.
    DisjointAfterInference,
    /// A transitive property that loops back (x p … p x).
    TransitiveCycle,
    /// A symmetric or inverse property whose value is a literal.
    LiteralCannotBeReversed,
}

impl Check {
    pub fn iri(self) -> String {
        let local = match self {
            Check::DisjointAfterInference => "DisjointAfterInference",
            Check::TransitiveCycle => "TransitiveCycle",
            Check::LiteralCannotBeReversed => "LiteralCannotBeReversed",
        };
        format!("{CHECK_NS}{local}")
    }
}

const OWL: &str = "http://www.w3.org/2002/07/owl#";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

/// Runs the checks on the ontology and data quads (with their positions).
pub fn check(
    ontology: &[LocatedQuad],
    data: &[LocatedQuad],
    rules: RuleSet,
) -> Vec<(ValidationResult, Position)> {
    if rules.is_empty() {
        return Vec::new();
    }
    let mut input = Input::new();
    // The first quad that states each row: where findings point.
    let mut located: Vec<&LocatedQuad> = Vec::new();
    let mut is_data: Vec<bool> = Vec::new();
    for (q, from_data) in ontology
        .iter()
        .map(|q| (q, false))
        .chain(data.iter().map(|q| (q, true)))
    {
        let row = input.add(
            q.quad.subject.as_ref(),
            q.quad.predicate.as_ref(),
            q.quad.object.as_ref(),
        ) as usize;
        if row == located.len() {
            located.push(q);
            is_data.push(from_data);
        }
    }
    let closure = engine::materialise(input, rules);
    let checks = Checks {
        closure: &closure,
        located: &located,
        is_data: &is_data,
    };
    let mut out = Vec::new();
    checks.disjoint_after_inference(&mut out);
    if rules.contains(Family::Transitive) {
        checks.transitive_cycles(&mut out);
    }
    checks.literals_that_cannot_be_reversed(rules, &mut out);
    out
}

struct Checks<'a> {
    closure: &'a Closure,
    located: &'a [&'a LocatedQuad],
    is_data: &'a [bool],
}

impl Checks<'_> {
    fn term(&self, id: Id) -> &Term {
        self.closure.terms.term(id)
    }

    fn short(&self, id: Id) -> String {
        display_term(self.term(id))
    }

    fn id(&self, iri: &str) -> Option<Id> {
        self.closure
            .terms
            .get(NamedNode::new_unchecked(iri).as_ref().into())
    }

    /// The stated triples a row rests on, data first (the ontology's axioms
    /// are where the rule comes from, not where the fault is).
    fn support(&self, row: u32) -> Vec<u32> {
        let mut rows = self.closure.stated_support(row);
        rows.sort_by_key(|&r| {
            (
                !self.is_data[r as usize],
                self.located[r as usize].position.clone(),
            )
        });
        rows
    }

    fn describe(&self, rows: &[u32]) -> String {
        rows.iter()
            .map(|&r| {
                let (s, p, o) = self.closure.terms_of(r);
                format!(
                    "{} ({} {} {})",
                    self.located[r as usize].position,
                    display_term(s),
                    display_term(p),
                    display_term(o)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        out: &mut Vec<(ValidationResult, Position)>,
        check: Check,
        focus: Id,
        path: Option<Id>,
        value: Option<Id>,
        constraint: String,
        advice: String,
        at: u32,
    ) {
        let iri = NamedNode::new_unchecked(check.iri());
        let path = path.and_then(|p| match self.term(p) {
            Term::NamedNode(n) => Some(Path::Predicate(n.clone())),
            _ => None,
        });
        out.push((
            ValidationResult {
                focus: self.term(focus).clone(),
                path,
                value: value.map(|v| self.term(v).clone()),
                source_shape: iri.clone().into(),
                component: iri,
                severity: NamedNode::new_unchecked(sh::VIOLATION),
                messages: vec![Literal::new_simple_literal(advice).into()],
                constraint,
                source_constraint: None,
            },
            self.located[at as usize].position.clone(),
        ));
    }

    /// The pairs of classes the stated axioms declare disjoint
    /// (owl:disjointWith, owl:AllDisjointClasses).
    fn disjoint_pairs(&self) -> Vec<(Id, Id)> {
        let c = self.closure;
        let id = |local: &str, ns: &str| self.id(&format!("{ns}{local}")).unwrap_or(engine::NONE);
        let disjoint_with = id("disjointWith", OWL);
        let all_disjoint = id("AllDisjointClasses", OWL);
        let members = id("members", OWL);
        let (first, rest) = (id("first", RDF), id("rest", RDF));
        let mut by_subject: FxHashMap<(Id, Id), Vec<Id>> = FxHashMap::default();
        let mut pairs = Vec::new();
        let mut lists = Vec::new();
        for row in 0..c.stated_len() as u32 {
            let [s, p, o] = c.triple(row);
            by_subject.entry((s, p)).or_default().push(o);
            if p == disjoint_with {
                pairs.push((s, o));
            } else if p == vocab::TYPE && o == all_disjoint {
                lists.push(s);
            }
        }
        for node in lists {
            for &list in by_subject
                .get(&(node, members))
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                let mut items = Vec::new();
                let mut cell = list;
                let mut seen = FxHashSet::default();
                while seen.insert(cell) {
                    let Some(&[item]) = by_subject.get(&(cell, first)).map(Vec::as_slice) else {
                        break;
                    };
                    items.push(item);
                    match by_subject.get(&(cell, rest)).map(Vec::as_slice) {
                        Some(&[next]) => cell = next,
                        _ => break,
                    }
                }
                for (i, &a) in items.iter().enumerate() {
                    for &b in &items[i + 1..] {
                        pairs.push((a, b));
                    }
                }
            }
        }
        pairs
    }

    /// Nodes whose inferred types meet two disjoint classes, when their
    /// stated types (through stated rdfs:subClassOf, as the ontology check
    /// sees them) do not already.
    fn disjoint_after_inference(&self, out: &mut Vec<(ValidationResult, Position)>) {
        let pairs = self.disjoint_pairs();
        if pairs.is_empty() {
            return;
        }
        let c = self.closure;
        let classes: FxHashSet<Id> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
        // Stated subclass edges, and stated types of data nodes.
        let mut supers: FxHashMap<Id, Vec<Id>> = FxHashMap::default();
        let mut stated_types: FxHashMap<Id, Vec<Id>> = FxHashMap::default();
        for row in 0..c.stated_len() as u32 {
            let [s, p, o] = c.triple(row);
            if p == vocab::SUB_CLASS_OF {
                supers.entry(s).or_default().push(o);
            } else if p == vocab::TYPE {
                stated_types.entry(s).or_default().push(o);
            }
        }
        let stated_closure = |node: Id| -> FxHashSet<Id> {
            let mut seen: FxHashSet<Id> = FxHashSet::default();
            let mut stack: Vec<Id> = stated_types.get(&node).cloned().unwrap_or_default();
            while let Some(x) = stack.pop() {
                if seen.insert(x) {
                    stack.extend(supers.get(&x).map(Vec::as_slice).unwrap_or(&[]));
                }
            }
            seen
        };
        // Memberships of the disjoint classes, per node (stated or inferred).
        let mut memberships: FxHashMap<Id, Vec<(Id, u32)>> = FxHashMap::default();
        for row in 0..c.len() as u32 {
            let [s, p, o] = c.triple(row);
            if p == vocab::TYPE && classes.contains(&o) {
                memberships.entry(s).or_default().push((o, row));
            }
        }
        let mut nodes: Vec<Id> = memberships.keys().copied().collect();
        nodes.sort_by_key(|&n| self.short(n));
        for node in nodes {
            let member = &memberships[&node];
            let row_of = |class: Id| member.iter().find(|(c, _)| *c == class).map(|(_, r)| *r);
            let plain = stated_closure(node);
            for &(a, b) in &pairs {
                let (Some(ra), Some(rb)) = (row_of(a), row_of(b)) else {
                    continue;
                };
                if plain.contains(&a) && plain.contains(&b) {
                    continue; // the ontology check reports it
                }
                let unexplained = |class: Id, row: u32| {
                    !plain.contains(&class) && !self.domain_or_range_reported(row, &stated_types)
                };
                if !unexplained(a, ra) && !unexplained(b, rb) {
                    continue; // a Domain or Range finding reports its cause
                }
                let mut support = self.support(ra);
                support.extend(self.support(rb));
                support.sort_by_key(|&r| {
                    (
                        !self.is_data[r as usize],
                        self.located[r as usize].position.clone(),
                    )
                });
                support.dedup();
                // Point at the data triple that brings in an inferred membership.
                let inferred = if plain.contains(&a) { rb } else { ra };
                let at = self
                    .support(inferred)
                    .into_iter()
                    .find(|&r| self.is_data[r as usize])
                    .unwrap_or(support[0]);
                let data: Vec<u32> = support
                    .iter()
                    .copied()
                    .filter(|&r| self.is_data[r as usize])
                    .collect();
                self.push(
                    out,
                    Check::DisjointAfterInference,
                    node,
                    Some(vocab::TYPE),
                    Some(if inferred == rb { b } else { a }),
                    format!(
                        "with what the ontology implies, {} is both a {} and a {}, which the ontology declares disjoint",
                        self.short(node),
                        self.short(a),
                        self.short(b)
                    ),
                    format!(
                        "it rests on: {}; fix the type or the statement that implies the other class",
                        self.describe(&data)
                    ),
                    at,
                );
            }
        }
    }

    /// Whether a type rests on rdfs:domain or rdfs:range applied to a stated
    /// triple (through sub-properties) about a typed node: the ontology's
    /// Domain and Range checks report that triple already.
    fn domain_or_range_reported(&self, row: u32, stated_types: &FxHashMap<Id, Vec<Id>>) -> bool {
        let c = self.closure;
        let stated_through_subproperties = |mut r: u32| loop {
            match c.derivation(r) {
                None => return true,
                Some(d) if matches!(d.rule, Rule::PrpSpo1 | Rule::PrpEqp1 | Rule::PrpEqp2) => {
                    r = d.premises[0]
                }
                Some(_) => return false,
            }
        };
        let mut stack = vec![row];
        let mut seen = FxHashSet::default();
        while let Some(r) = stack.pop() {
            if !seen.insert(r) {
                continue;
            }
            let Some(d) = c.derivation(r) else { continue };
            if matches!(d.rule, Rule::PrpDom | Rule::PrpRng) {
                let typed = c.triple(r)[0];
                if stated_types.contains_key(&typed) && stated_through_subproperties(d.premises[0])
                {
                    return true;
                }
            }
            stack.extend(d.premises());
        }
        false
    }

    /// Cycles of transitive properties: x p x holds. One finding per cycle.
    fn transitive_cycles(&self, out: &mut Vec<(ValidationResult, Position)>) {
        let c = self.closure;
        let transitive: FxHashSet<Id> = (0..c.len() as u32)
            .map(|r| c.triple(r))
            .filter(|t| t[1] == vocab::TYPE && t[2] == vocab::TRANSITIVE_PROPERTY)
            .map(|t| t[0])
            .collect();
        let mut reported: FxHashSet<(Id, Id)> = FxHashSet::default();
        let mut loops: Vec<(Id, Id, u32)> = (0..c.len() as u32)
            .filter_map(|r| {
                let [s, p, o] = c.triple(r);
                (s == o && transitive.contains(&p)).then_some((p, s, r))
            })
            .collect();
        loops.sort_by_key(|&(p, s, _)| (self.short(p), self.short(s)));
        for (p, x, row) in loops {
            if reported.contains(&(p, x)) {
                continue;
            }
            // The members of the cycle: y with x p y and y p x.
            let mut members = vec![x];
            for r in 0..c.len() as u32 {
                let [s, q, y] = c.triple(r);
                if q == p && s == x && y != x && c.find([y, p, x]).is_some() {
                    members.push(y);
                }
            }
            for &m in &members {
                reported.insert((p, m));
            }
            let support = self.support(row);
            let data: Vec<u32> = support
                .iter()
                .copied()
                .filter(|&r| self.is_data[r as usize])
                .collect();
            let mut names: Vec<String> = members.iter().map(|&m| self.short(m)).collect();
            names.sort();
            self.push(
                out,
                Check::TransitiveCycle,
                x,
                Some(p),
                Some(x),
                format!(
                    "{} is transitive and loops back: {} ends up {} itself ({})",
                    self.short(p),
                    self.short(x),
                    self.short(p),
                    if names.len() == 1 {
                        "stated of itself".to_string()
                    } else {
                        format!("cycle through {}", names.join(", "))
                    }
                ),
                format!(
                    "the cycle rests on: {}; remove the statement that closes it",
                    self.describe(&data)
                ),
                data.first().copied().unwrap_or(support[0]),
            );
        }
    }

    /// (x p "literal") where p is symmetric or has an inverse: the rule
    /// would state ("literal" p' x), which RDF cannot hold.
    fn literals_that_cannot_be_reversed(
        &self,
        rules: RuleSet,
        out: &mut Vec<(ValidationResult, Position)>,
    ) {
        let c = self.closure;
        let mut why: FxHashMap<Id, String> = FxHashMap::default();
        for r in 0..c.len() as u32 {
            let [s, p, o] = c.triple(r);
            if rules.contains(Family::Symmetric)
                && p == vocab::TYPE
                && o == vocab::SYMMETRIC_PROPERTY
            {
                why.entry(s)
                    .or_insert_with(|| format!("{} is symmetric", self.short(s)));
            } else if rules.contains(Family::Inverse) && p == vocab::INVERSE_OF {
                why.entry(s).or_insert_with(|| {
                    format!("{} has the inverse {}", self.short(s), self.short(o))
                });
                why.entry(o).or_insert_with(|| {
                    format!("{} has the inverse {}", self.short(o), self.short(s))
                });
            }
        }
        // A property with a class as range: the ontology's Range check reports
        // a literal value already.
        for r in 0..c.len() as u32 {
            let [p, q, range] = c.triple(r);
            if q == vocab::RANGE && !is_literal_range(self.term(range)) {
                why.remove(&p);
            }
        }
        if why.is_empty() {
            return;
        }
        let mut seen: FxHashSet<u32> = FxHashSet::default();
        for r in 0..c.len() as u32 {
            let [s, p, o] = c.triple(r);
            let Some(reason) = why.get(&p) else { continue };
            if !c.terms.is_literal(o) {
                continue;
            }
            let support = self.support(r);
            let Some(&at) = support.iter().find(|&&r| self.is_data[r as usize]) else {
                continue;
            };
            if !seen.insert(at) {
                continue;
            }
            self.push(
                out,
                Check::LiteralCannotBeReversed,
                s,
                Some(p),
                Some(o),
                format!(
                    "{reason}, but its value here is a literal: the reversed statement cannot be made"
                ),
                "give an entity (an IRI) as the value, or use a property that is not symmetric or inverse"
                    .into(),
                at,
            );
        }
    }
}

/// Is this range a datatype (a literal is then a fine value)?
fn is_literal_range(range: &Term) -> bool {
    match range {
        Term::NamedNode(n) => {
            let iri = n.as_str();
            iri.starts_with("http://www.w3.org/2001/XMLSchema#")
                || iri == "http://www.w3.org/2000/01/rdf-schema#Literal"
                || iri == "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
                || iri == "http://www.w3.org/1999/02/22-rdf-syntax-ns#PlainLiteral"
        }
        _ => false,
    }
}
