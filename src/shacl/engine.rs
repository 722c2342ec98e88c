//! The validator: SHACL Core semantics (sections 2-4) evaluated set at a
//! time over a [`Graph`] index.
//!
//! A shape is checked against all its focus nodes at once: targets come from
//! the index (class members through one pass over rdf:type and
//! rdfs:subClassOf*), value nodes are slices of the index for predicate
//! paths, `sh:class` tests membership in a set computed once per class.
//!
//! Nested shapes (`sh:node`, `sh:not`, `sh:and`, `sh:or`, `sh:xone`,
//! qualified value shapes, and `sh:property` when only conformance is asked)
//! are answered once per (shape, node) and memoised, in three steps with no
//! recursion, so that no stack depth depends on the data or on the length
//! of a chain of shapes:
//!
//! 1. *demand*: starting from the targets, work lists gather which nodes
//!    each shape reports on and which nodes must be tested for conformance
//!    to each nested shape;
//! 2. *conformance*, leaves first: the shapes are ordered by their strongly
//!    connected components (Tarjan, iterative). A shape that does not refer
//!    to itself is checked against all its nodes at once, after the shapes
//!    it uses. Inside a recursive group the (shape, node) pairs are checked
//!    in dependency order (Kahn), so on non-cyclic data a node fails when a
//!    value it depends on fails, at any depth, as pySHACL and TopBraid
//!    answer. Pairs that depend on themselves through cyclic data (SHACL
//!    leaves this undefined) get the greatest fixed point: all are taken to
//!    conform, then those with a failing constraint are marked as not
//!    conforming, in rounds, until nothing changes (through `sh:not` the
//!    answer is that of these rounds: a pair never goes back to conforming);
//! 3. *report*: each shape is checked against the nodes it reports on, with
//!    every nested answer at hand.

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
    /// What a SPARQL-based result says (its value may be a term the data
    /// graph lacks).
    pub detail: Option<Box<SparqlDetail>>,
}

/// The value, path and messages of a SPARQL-based result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SparqlDetail {
    pub value: Option<Term>,
    pub path: Option<oxigraph::model::NamedNode>,
    pub messages: Vec<Term>,
}

pub struct Engine<'a> {
    g: &'a Graph,
    schema: &'a Schema,
    class_members: FxHashMap<Id, FxHashSet<Id>>,
    conforms: FxHashMap<(ShapeId, Id), bool>,
    /// The data graph in an oxigraph store, made for the first SPARQL-based
    /// constraint.
    store: std::cell::OnceCell<Result<oxigraph::store::Store, String>>,
    /// Failures (SHACL 3.6.3): a query that could not run, `?failure`.
    failures: std::cell::RefCell<Vec<String>>,
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

/// Nodes gathered per shape by a work list: each node is taken once.
struct Demand {
    nodes: Vec<FxHashSet<Id>>,
    work: Vec<(ShapeId, Vec<Id>)>,
}

impl Demand {
    fn new(shapes: usize) -> Self {
        Self {
            nodes: vec![FxHashSet::default(); shapes],
            work: Vec::new(),
        }
    }

    fn add(&mut self, s: ShapeId, nodes: Vec<Id>) {
        if !nodes.is_empty() {
            self.work.push((s, nodes));
        }
    }

    /// The next shape with nodes not seen before, and those nodes.
    fn next(&mut self) -> Option<(ShapeId, Vec<Id>)> {
        while let Some((s, mut nodes)) = self.work.pop() {
            let seen = &mut self.nodes[s];
            nodes.retain(|&n| seen.insert(n));
            if !nodes.is_empty() {
                return Some((s, nodes));
            }
        }
        None
    }

    fn sorted(&self, s: ShapeId) -> Vec<Id> {
        let mut v: Vec<Id> = self.nodes[s].iter().copied().collect();
        v.sort_unstable();
        v
    }
}

/// The shapes a constraint checks value nodes against. `sh:property` is
/// one of them only when conformance is asked (in a report, the property
/// shape reports on the value nodes itself).
fn nested(c: &Constraint, conformance: bool) -> &[ShapeId] {
    match c {
        Constraint::Not(x) | Constraint::Node(x) => std::slice::from_ref(x),
        Constraint::Property(x) if conformance => std::slice::from_ref(x),
        Constraint::And(xs) | Constraint::Or(xs) | Constraint::Xone(xs) => xs,
        Constraint::QualifiedMinCount { shapes, .. }
        | Constraint::QualifiedMaxCount { shapes, .. } => shapes,
        _ => &[],
    }
}

impl<'a> Engine<'a> {
    pub fn new(g: &'a Graph, schema: &'a Schema) -> Self {
        Self {
            g,
            schema,
            class_members: FxHashMap::default(),
            conforms: FxHashMap::default(),
            store: std::cell::OnceCell::new(),
            failures: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// The failures met while validating: the report cannot be trusted.
    pub fn failures(&self) -> Vec<String> {
        self.failures.borrow().clone()
    }

    /// Validates the data graph against every shape with targets.
    pub fn validate(&mut self) -> Vec<RawResult> {
        let shapes = &self.schema.shapes;
        let n = shapes.len();
        // 1. What each shape reports on (shapes before the property shapes
        // they hold), and what must be tested for conformance.
        let mut routes: Vec<Vec<(Id, u64)>> = vec![Vec::new(); n];
        for s in self.schema.targeted() {
            if !shapes[s].deactivated {
                routes[s].extend(self.focus_nodes(s).into_iter().map(|f| (f, 1)));
            }
        }
        let roots: Vec<ShapeId> = (0..n).filter(|&s| !routes[s].is_empty()).collect();
        let mut groups = strongly_connected(n, &roots, |s| self.properties(s));
        groups.reverse();
        let mut conformance = Demand::new(n);
        for group in &groups {
            let recursive = group.len() > 1 || self.properties(group[0]).contains(&group[0]);
            if recursive {
                self.close_recursive_routes(group, &mut routes);
            }
            for &s in group {
                merge_routes(&mut routes[s]);
                if shapes[s].deactivated || routes[s].is_empty() {
                    continue;
                }
                for c in &shapes[s].constraints {
                    if let Constraint::Property(x) = c {
                        if recursive && group.contains(x) {
                            continue; // closed above
                        }
                        let mut reached = Vec::new();
                        for &(f, k) in &routes[s] {
                            reached.extend(self.value_nodes(s, &[f]).into_iter().map(|v| (v, k)));
                        }
                        routes[*x].extend(reached);
                    }
                    let inner = nested(c, false);
                    if !inner.is_empty() {
                        let nodes: Vec<Id> = routes[s].iter().map(|&(f, _)| f).collect();
                        let values = self.value_nodes(s, &nodes);
                        for &x in inner {
                            conformance.add(x, values.clone());
                        }
                    }
                }
            }
        }
        while let Some((s, nodes)) = conformance.next() {
            if shapes[s].deactivated {
                continue;
            }
            for c in &shapes[s].constraints {
                let inner = nested(c, true);
                if !inner.is_empty() {
                    let values = self.value_nodes(s, &nodes);
                    for &x in inner {
                        conformance.add(x, values.clone());
                    }
                }
            }
        }
        // 2. Conformance, leaves first.
        let roots: Vec<ShapeId> = (0..n)
            .filter(|&s| !conformance.nodes[s].is_empty())
            .collect();
        let groups = strongly_connected(n, &roots, |s| self.uses(s, &conformance));
        for group in groups {
            self.settle(&group, &conformance);
        }
        // 3. The report. A value node reached by several routes (two focus
        // nodes with the same value, a property shape held by two shapes)
        // is reported once per route, as the W3C suite expects.
        let mut out = Vec::new();
        for (s, focus) in routes.iter().enumerate() {
            if focus.is_empty() || shapes[s].deactivated {
                continue;
            }
            let nodes: Vec<Id> = focus.iter().map(|&(f, _)| f).collect();
            let mut results = Vec::new();
            self.check_shape(s, &nodes, true, &mut results);
            for r in results {
                let k = focus[nodes.binary_search(&r.focus).expect("a focus node")].1;
                for _ in 1..k {
                    out.push(r.clone());
                }
                out.push(r);
            }
        }
        out
    }

    /// The property shapes a shape holds (none if it is deactivated).
    fn properties(&self, s: ShapeId) -> Vec<ShapeId> {
        let shape = &self.schema.shapes[s];
        if shape.deactivated {
            return Vec::new();
        }
        let mut v: Vec<ShapeId> = shape
            .constraints
            .iter()
            .filter_map(|c| match c {
                Constraint::Property(x) => Some(*x),
                _ => None,
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Inside property shapes that hold one another (over cyclic data the
    /// routes would have no end), each node a shape of the group reaches is
    /// reported once.
    fn close_recursive_routes(&self, group: &[ShapeId], routes: &mut [Vec<(Id, u64)>]) {
        let mut reached = Demand::new(routes.len());
        for &s in group {
            reached.add(s, routes[s].iter().map(|&(f, _)| f).collect());
        }
        while let Some((s, nodes)) = reached.next() {
            for x in self.properties(s) {
                if group.contains(&x) {
                    reached.add(x, self.value_nodes(s, &nodes));
                }
            }
        }
        for &s in group {
            routes[s] = reached.sorted(s).into_iter().map(|f| (f, 1)).collect();
        }
    }

    /// The value nodes of `nodes` for shape `s`, sorted, distinct.
    fn value_nodes(&self, s: ShapeId, nodes: &[Id]) -> Vec<Id> {
        let mut values: Vec<Id> = match &self.schema.shapes[s].path {
            None => nodes.to_vec(),
            Some((_, super::paths::CPath::Predicate(p))) => nodes
                .iter()
                .flat_map(|&n| self.g.objects(n, *p).iter().copied())
                .collect(),
            Some((_, path)) => nodes.iter().flat_map(|&n| path.eval(self.g, n)).collect(),
        };
        values.sort_unstable();
        values.dedup();
        values
    }

    /// The shapes used by shape `s` (see [`nested`]) that have nodes in `demand`.
    fn uses(&self, s: ShapeId, demand: &Demand) -> Vec<ShapeId> {
        let mut v: Vec<ShapeId> = self.schema.shapes[s]
            .constraints
            .iter()
            .flat_map(|c| nested(c, true).iter().copied())
            .filter(|&x| !demand.nodes[x].is_empty())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Answers conformance for every node demanded of the shapes of
    /// `group`, whose used shapes outside the group are settled.
    fn settle(&mut self, group: &[ShapeId], demand: &Demand) {
        let shapes = &self.schema.shapes;
        if group.len() == 1 && !self.uses(group[0], demand).contains(&group[0]) {
            let s = group[0];
            let nodes = demand.sorted(s);
            self.decide(s, &nodes);
            return;
        }
        // (shape, node) pairs of the group, and which pairs wait for which.
        let mut pairs: Vec<(ShapeId, Id)> = Vec::new();
        for &s in group {
            pairs.extend(demand.sorted(s).into_iter().map(|n| (s, n)));
        }
        let number: FxHashMap<(ShapeId, Id), usize> =
            pairs.iter().enumerate().map(|(i, &p)| (p, i)).collect();
        let mut waiting_for = vec![0usize; pairs.len()];
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); pairs.len()];
        for (i, &(s, n)) in pairs.iter().enumerate() {
            if shapes[s].deactivated {
                continue;
            }
            for c in &shapes[s].constraints {
                let inner: Vec<ShapeId> = nested(c, true)
                    .iter()
                    .copied()
                    .filter(|x| group.binary_search(x).is_ok())
                    .collect();
                if inner.is_empty() {
                    continue;
                }
                for v in self.value_nodes(s, &[n]) {
                    for &x in &inner {
                        let j = number[&(x, v)];
                        dependents[j].push(i);
                        waiting_for[i] += 1;
                    }
                }
            }
        }
        // Kahn: check the pairs whose dependencies are answered, in rounds.
        let mut ready: Vec<usize> = (0..pairs.len()).filter(|&i| waiting_for[i] == 0).collect();
        let mut done = vec![false; pairs.len()];
        while !ready.is_empty() {
            self.decide_pairs(&pairs, &ready);
            let mut next = Vec::new();
            for &i in &ready {
                done[i] = true;
                for &j in &dependents[i] {
                    waiting_for[j] -= 1;
                    if waiting_for[j] == 0 {
                        next.push(j);
                    }
                }
            }
            ready = next;
        }
        // What is left depends on itself through cyclic data.
        let left: Vec<usize> = (0..pairs.len()).filter(|&i| !done[i]).collect();
        for &i in &left {
            self.conforms.insert(pairs[i], true);
        }
        let mut candidates = left;
        loop {
            let before: Vec<bool> = candidates
                .iter()
                .map(|&i| self.conforms[&pairs[i]])
                .collect();
            // Evaluate every candidate against the current answers, then
            // apply the failures together (the order of the pairs is moot).
            let failing = self.failing_pairs(&pairs, &candidates);
            let mut changed = false;
            for (k, &i) in candidates.iter().enumerate() {
                if before[k] && failing.contains(&pairs[i]) {
                    self.conforms.insert(pairs[i], false);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
            candidates.retain(|&i| self.conforms[&pairs[i]]);
        }
    }

    /// The pairs among `which` whose node fails its shape, with the answers
    /// memoised so far.
    fn failing_pairs(
        &mut self,
        pairs: &[(ShapeId, Id)],
        which: &[usize],
    ) -> FxHashSet<(ShapeId, Id)> {
        let mut by_shape: FxHashMap<ShapeId, Vec<Id>> = FxHashMap::default();
        for &i in which {
            by_shape.entry(pairs[i].0).or_default().push(pairs[i].1);
        }
        let mut by_shape: Vec<(ShapeId, Vec<Id>)> = by_shape.into_iter().collect();
        by_shape.sort_unstable_by_key(|(s, _)| *s);
        let mut failing = FxHashSet::default();
        for (s, mut nodes) in by_shape {
            nodes.sort_unstable();
            let mut out = Vec::new();
            if !self.schema.shapes[s].deactivated {
                self.check_shape(s, &nodes, false, &mut out);
            }
            failing.extend(out.into_iter().map(|r| (s, r.focus)));
        }
        failing
    }

    /// Checks the pairs `which` and memoises the answers.
    fn decide_pairs(&mut self, pairs: &[(ShapeId, Id)], which: &[usize]) {
        let failing = self.failing_pairs(pairs, which);
        for &i in which {
            self.conforms.insert(pairs[i], !failing.contains(&pairs[i]));
        }
    }

    /// Checks `nodes` against shape `s` and memoises the answers.
    fn decide(&mut self, s: ShapeId, nodes: &[Id]) {
        let mut out = Vec::new();
        if !self.schema.shapes[s].deactivated {
            self.check_shape(s, nodes, false, &mut out);
        }
        for &n in nodes {
            self.conforms.insert((s, n), true);
        }
        for r in out {
            self.conforms.insert((s, r.focus), false);
        }
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

    /// Does `node` conform to shape `s`? Every answer asked for was settled
    /// before (see [`Engine::validate`]); a deactivated shape has no answers
    /// and every node conforms to it.
    fn conforms_to(&self, s: ShapeId, node: Id) -> bool {
        self.conforms.get(&(s, node)).copied().unwrap_or(true)
    }

    /// Checks `focus` against shape `s`. With `report`, `sh:property` is
    /// left to the property shape's own check; without, every failure is
    /// attributed to the focus node (for conformance checks).
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
            detail: None,
        };
        for (ci, c) in shape.constraints.iter().enumerate() {
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
                    // In a report the property shape reports on the value
                    // nodes itself (see `validate`).
                    if !report {
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
                Constraint::QualifiedMinCount { shapes, count }
                | Constraint::QualifiedMaxCount { shapes, count } => {
                    let min = matches!(c, Constraint::QualifiedMinCount { .. });
                    let (q, siblings) = (&shapes[0], &shapes[1..]);
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
                                        detail: None,
                                    });
                                }
                            }
                        }
                    }
                }
                Constraint::Sparql(check) => {
                    for (i, &f) in focus.iter().enumerate() {
                        for detail in self.run_sparql(s, check, f, vals(i)) {
                            out.push(RawResult {
                                focus: f,
                                shape: s,
                                constraint: ci,
                                value: detail.value.as_ref().and_then(|v| g.id(v.as_ref())),
                                closed_predicate: None,
                                detail: Some(Box::new(detail)),
                            });
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

    /// The data graph (and the shapes graph, if a query names it) in a store.
    fn store(&self) -> Result<&oxigraph::store::Store, String> {
        self.store
            .get_or_init(|| {
                let store = oxigraph::store::Store::new().map_err(|e| e.to_string())?;
                let g = self.g;
                let subject = |t: &Term| match t {
                    Term::NamedNode(n) => Some(oxigraph::model::NamedOrBlankNode::from(n.clone())),
                    Term::BlankNode(b) => Some(b.clone().into()),
                    _ => None,
                };
                let mut quads = Vec::with_capacity(g.len_triples());
                for [s, p, o] in g.triples() {
                    if let (Some(s), Some(p)) = (subject(g.term(s)), g.named(p)) {
                        quads.push(oxigraph::model::Quad::new(
                            s,
                            p.clone(),
                            g.term(o).clone(),
                            oxigraph::model::GraphName::DefaultGraph,
                        ));
                    }
                }
                let shapes_graph =
                    oxigraph::model::NamedNode::new_unchecked(super::sparql::SHAPES_GRAPH);
                quads.extend(
                    self.schema
                        .shapes_graph
                        .iter()
                        .map(|t| t.clone().in_graph(shapes_graph.clone())),
                );
                store.extend(quads).map_err(|e| e.to_string())?;
                Ok(store)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Runs a SPARQL-based check for focus node `focus` (with value nodes
    /// `values`); one detail per result.
    fn run_sparql(
        &self,
        s: ShapeId,
        check: &super::sparql::SparqlCheck,
        focus: Id,
        values: &[Id],
    ) -> Vec<SparqlDetail> {
        use oxigraph::model::{NamedNode, Variable};
        use oxigraph::sparql::{QueryResults, SparqlEvaluator};
        let shape = &self.schema.shapes[s];
        let fail = |what: String| {
            self.failures
                .borrow_mut()
                .push(format!("{}: {what}", super::vocab::term_short(&shape.node)));
            Vec::new()
        };
        let store = match self.store() {
            Ok(store) => store,
            Err(e) => return fail(format!("cannot make the store for SPARQL: {e}")),
        };
        let mut bindings: Vec<(String, Term)> = vec![("this".into(), self.g.term(focus).clone())];
        bindings.push(("currentShape".into(), shape.node.clone()));
        bindings.push((
            "shapesGraph".into(),
            NamedNode::new_unchecked(super::sparql::SHAPES_GRAPH).into(),
        ));
        bindings.extend(
            check
                .parameters
                .iter()
                .map(|(v, t)| (v.as_str().to_string(), t.clone())),
        );
        // Pre-binding is substitution (SHACL 5.2.1): IRIs and literals
        // replace the variable throughout the algebra (crate::bind). A
        // blank node cannot stand in a pattern: it seeds the evaluation
        // (oxigraph's initial binding), which reaches what the projection
        // and the groups evaluated from it see.
        let run = |bindings: &[(String, Term)]| {
            let mentioned = |name: &String| check.mentioned.iter().any(|m| m == name);
            let (blank, constant): (Vec<_>, Vec<_>) = bindings
                .iter()
                .filter(|(name, _)| mentioned(name))
                .map(|(name, term)| (Variable::new_unchecked(name.as_str()), term.clone()))
                .partition(|(_, term)| matches!(term, Term::BlankNode(_)));
            let mut query = check.query.clone();
            crate::bind::substitute(&mut query, &constant);
            let mut prepared = SparqlEvaluator::new().for_query(query);
            for (variable, term) in blank {
                prepared = prepared.substitute_variable(variable, term);
            }
            prepared
                .on_store(store)
                .execute()
                .map_err(|e| e.to_string())
        };
        let value_of = |bindings: &[(String, Term)], name: &str| {
            bindings
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.clone())
        };
        let mut out = Vec::new();
        if check.ask {
            for &v in values {
                let mut b = bindings.clone();
                b.push(("value".into(), self.g.term(v).clone()));
                match run(&b) {
                    Ok(QueryResults::Boolean(true)) => {}
                    Ok(QueryResults::Boolean(false)) => out.push(SparqlDetail {
                        value: Some(self.g.term(v).clone()),
                        path: None,
                        messages: check
                            .messages
                            .iter()
                            .map(|m| super::sparql::fill_template(m, |n| value_of(&b, n)))
                            .collect(),
                    }),
                    Ok(_) => return fail("an ASK validator did not answer true or false".into()),
                    Err(e) => return fail(format!("the SPARQL query failed: {e}")),
                }
            }
            return out;
        }
        let solutions = match run(&bindings) {
            Ok(QueryResults::Solutions(solutions)) => solutions,
            Ok(_) => return fail("a SELECT query did not give solutions".into()),
            Err(e) => return fail(format!("the SPARQL query failed: {e}")),
        };
        for solution in solutions {
            let solution = match solution {
                Ok(solution) => solution,
                Err(e) => return fail(format!("the SPARQL query failed: {e}")),
            };
            if matches!(solution.get("failure"), Some(Term::Literal(l)) if l.value() == "true") {
                return fail("the SPARQL query reported ?failure".into());
            }
            let value = solution
                .get("value")
                .cloned()
                .or_else(|| shape.path.is_none().then(|| self.g.term(focus).clone()));
            let path = match solution.get("path") {
                Some(Term::NamedNode(p)) => Some(p.clone()),
                _ => None,
            };
            let messages = check
                .messages
                .iter()
                .map(|m| {
                    super::sparql::fill_template(m, |n| {
                        solution.get(n).cloned().or_else(|| value_of(&bindings, n))
                    })
                })
                .collect();
            out.push(SparqlDetail {
                value,
                path,
                messages,
            });
        }
        out
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

/// The strongly connected components of the relation `uses` among the
/// shapes reached from `roots`, each component after those it uses
/// (Tarjan's algorithm, with an explicit stack: no recursion).
fn strongly_connected(
    n: usize,
    roots: &[ShapeId],
    uses: impl Fn(ShapeId) -> Vec<ShapeId>,
) -> Vec<Vec<ShapeId>> {
    const UNSEEN: usize = usize::MAX;
    struct State {
        index: Vec<usize>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<ShapeId>,
        counter: usize,
    }
    impl State {
        fn enter(&mut self, x: ShapeId) {
            self.index[x] = self.counter;
            self.low[x] = self.counter;
            self.counter += 1;
            self.stack.push(x);
            self.on_stack[x] = true;
        }
    }
    let mut st = State {
        index: vec![UNSEEN; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        counter: 0,
    };
    let mut groups = Vec::new();
    for &root in roots {
        if st.index[root] != UNSEEN {
            continue;
        }
        // Each frame: a shape, the shapes it uses, the next one to visit.
        st.enter(root);
        let mut frames: Vec<(ShapeId, Vec<ShapeId>, usize)> = vec![(root, uses(root), 0)];
        while let Some((s, next, i)) = frames.last_mut() {
            let s = *s;
            if let Some(&x) = next.get(*i) {
                *i += 1;
                if st.index[x] == UNSEEN {
                    st.enter(x);
                    frames.push((x, uses(x), 0));
                } else if st.on_stack[x] {
                    st.low[s] = st.low[s].min(st.index[x]);
                }
                continue;
            }
            frames.pop();
            if let Some((parent, _, _)) = frames.last() {
                st.low[*parent] = st.low[*parent].min(st.low[s]);
            }
            if st.low[s] == st.index[s] {
                let mut group = Vec::new();
                while let Some(x) = st.stack.pop() {
                    st.on_stack[x] = false;
                    group.push(x);
                    if x == s {
                        break;
                    }
                }
                group.sort_unstable();
                groups.push(group);
            }
        }
    }
    groups
}

/// Sorts (node, routes) pairs by node and adds up the routes of each node.
fn merge_routes(routes: &mut Vec<(Id, u64)>) {
    routes.sort_unstable_by_key(|&(f, _)| f);
    routes.dedup_by(|next, kept| {
        if next.0 == kept.0 {
            kept.1 = kept.1.saturating_add(next.1);
            true
        } else {
            false
        }
    });
}
