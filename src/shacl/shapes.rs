//! The shapes graph, read into typed shapes and constraints (SHACL sections
//! 2 and 4), with every term the constraints test resolved to the data
//! graph's ids.

use super::graph::{Graph, Id, RDF_TYPE};
use super::paths::{CPath, Path};
use super::vocab::sh;
use oxigraph::model::{NamedNode, Term};
use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt;

/// The parameters of SHACL Core's constraint components (section 4).
pub(crate) const PARAMETERS: &[&str] = &[
    "class",
    "datatype",
    "nodeKind",
    "minCount",
    "maxCount",
    "minExclusive",
    "minInclusive",
    "maxExclusive",
    "maxInclusive",
    "minLength",
    "maxLength",
    "pattern",
    "languageIn",
    "uniqueLang",
    "equals",
    "disjoint",
    "lessThan",
    "lessThanOrEquals",
    "not",
    "and",
    "or",
    "xone",
    "node",
    "property",
    "qualifiedValueShape",
    "closed",
    "hasValue",
    "in",
];

/// A shape's number in a [`Schema`].
pub type ShapeId = usize;

/// A shapes graph that does not make sense (a malformed list, a bad regex...).
#[derive(Debug, Clone)]
pub struct ShapeError {
    /// The shape (short form) the problem is in.
    pub shape: String,
    pub message: String,
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "shape {}: {}", self.shape, self.message)
    }
}

impl std::error::Error for ShapeError {}

/// sh:nodeKind values, as a set of allowed kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeKind {
    pub iri: bool,
    pub blank: bool,
    pub literal: bool,
}

/// One constraint: a constraint component with its parameter values.
#[derive(Debug, Clone)]
pub enum Constraint {
    Class(Id),
    Datatype(NamedNode),
    NodeKind(NodeKind, NamedNode),
    MinCount(u64),
    MaxCount(u64),
    MinExclusive(Term),
    MinInclusive(Term),
    MaxExclusive(Term),
    MaxInclusive(Term),
    MinLength(u64),
    MaxLength(u64),
    Pattern {
        regex: Regex,
        pattern: String,
        flags: String,
    },
    LanguageIn(Vec<String>),
    UniqueLang,
    Equals(Id),
    Disjoint(Id),
    LessThan(Id),
    LessThanOrEquals(Id),
    Not(ShapeId),
    And(Vec<ShapeId>),
    Or(Vec<ShapeId>),
    Xone(Vec<ShapeId>),
    Node(ShapeId),
    Property(ShapeId),
    /// `shapes`: the qualified value shape, then its siblings (those a
    /// value must not conform to, with sh:qualifiedValueShapesDisjoint).
    QualifiedMinCount {
        shapes: Vec<ShapeId>,
        count: u64,
    },
    QualifiedMaxCount {
        shapes: Vec<ShapeId>,
        count: u64,
    },
    Closed {
        allowed: FxHashSet<Id>,
    },
    HasValue(Id),
    In(Vec<Id>),
    /// A SPARQL-based constraint, or a constraint of a SPARQL-based
    /// constraint component.
    Sparql(Box<super::sparql::SparqlCheck>),
}

impl Constraint {
    /// The IRI of the constraint component, e.g. `sh:MinCountConstraintComponent`.
    pub fn component(&self) -> &str {
        macro_rules! c {
            ($l:literal) => {
                concat!("http://www.w3.org/ns/shacl#", $l, "ConstraintComponent")
            };
        }
        match self {
            Constraint::Class(_) => c!("Class"),
            Constraint::Datatype(_) => c!("Datatype"),
            Constraint::NodeKind(..) => c!("NodeKind"),
            Constraint::MinCount(_) => c!("MinCount"),
            Constraint::MaxCount(_) => c!("MaxCount"),
            Constraint::MinExclusive(_) => c!("MinExclusive"),
            Constraint::MinInclusive(_) => c!("MinInclusive"),
            Constraint::MaxExclusive(_) => c!("MaxExclusive"),
            Constraint::MaxInclusive(_) => c!("MaxInclusive"),
            Constraint::MinLength(_) => c!("MinLength"),
            Constraint::MaxLength(_) => c!("MaxLength"),
            Constraint::Pattern { .. } => c!("Pattern"),
            Constraint::LanguageIn(_) => c!("LanguageIn"),
            Constraint::UniqueLang => c!("UniqueLang"),
            Constraint::Equals(_) => c!("Equals"),
            Constraint::Disjoint(_) => c!("Disjoint"),
            Constraint::LessThan(_) => c!("LessThan"),
            Constraint::LessThanOrEquals(_) => c!("LessThanOrEquals"),
            Constraint::Not(_) => c!("Not"),
            Constraint::And(_) => c!("And"),
            Constraint::Or(_) => c!("Or"),
            Constraint::Xone(_) => c!("Xone"),
            Constraint::Node(_) => c!("Node"),
            Constraint::Property(_) => c!("Property"),
            Constraint::QualifiedMinCount { .. } => c!("QualifiedMinCount"),
            Constraint::QualifiedMaxCount { .. } => c!("QualifiedMaxCount"),
            Constraint::Closed { .. } => c!("Closed"),
            Constraint::HasValue(_) => c!("HasValue"),
            Constraint::In(_) => c!("In"),
            Constraint::Sparql(check) => check.component.as_str(),
        }
    }
}

/// The targets of a shape (section 2.1.3), as data-graph ids.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    pub classes: Vec<Id>,
    pub nodes: Vec<Id>,
    pub subjects_of: Vec<Id>,
    pub objects_of: Vec<Id>,
}

impl Targets {
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
            && self.nodes.is_empty()
            && self.subjects_of.is_empty()
            && self.objects_of.is_empty()
    }
}

/// A node shape (no path) or a property shape (with a path).
#[derive(Debug, Clone)]
pub struct Shape {
    /// The shape's node in the shapes graph.
    pub node: Term,
    pub path: Option<(Path, CPath)>,
    pub targets: Targets,
    pub deactivated: bool,
    pub severity: NamedNode,
    pub messages: Vec<Term>,
    pub constraints: Vec<Constraint>,
}

/// Every shape of a shapes graph, compiled.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub shapes: Vec<Shape>,
    /// The shapes graph's triples, kept when a SPARQL query names
    /// `$shapesGraph`.
    pub shapes_graph: Vec<oxigraph::model::Triple>,
}

struct Compiler<'a> {
    sg: &'a Graph,
    components: Vec<super::sparql::Component>,
    data: &'a mut Graph,
    ids: FxHashMap<Id, ShapeId>,
    shapes: Vec<Option<Shape>>,
    pending: Vec<(Id, ShapeId)>,
}

fn short(sg: &Graph, node: Id) -> String {
    super::vocab::term_short(sg.term(node))
}

impl Schema {
    /// Reads the shapes of `shapes`; constraint terms are interned in `data`.
    pub fn compile(shapes: &Graph, data: &mut Graph) -> Result<Schema, ShapeError> {
        let sg = shapes;
        let mut roots: Vec<Id> = Vec::new();
        // SHACL instances of sh:NodeShape / sh:PropertyShape.
        for class in [sh::NODE_SHAPE, sh::PROPERTY_SHAPE] {
            if let Some(c) = sg.iri_id(class) {
                roots.extend(sg.instances(c));
            }
        }
        // Subjects of target predicates, and shape-valued parameters.
        for p in [
            sh::TARGET_CLASS,
            sh::TARGET_NODE,
            sh::TARGET_SUBJECTS_OF,
            sh::TARGET_OBJECTS_OF,
        ] {
            if let Some(p) = sg.iri_id(p) {
                roots.extend(sg.pairs_with_predicate(p).map(|(s, _)| s));
            }
        }
        // Subjects of a constraint parameter are shapes too (SHACL 2.1):
        // `ex:Person a rdfs:Class ; sh:property [...]` is one.
        for p in sg.predicates() {
            let parameter = sg
                .named(p)
                .and_then(|n| n.as_str().strip_prefix(sh::NS))
                .is_some_and(|local| PARAMETERS.contains(&local));
            if parameter {
                roots.extend(sg.pairs_with_predicate(p).map(|(s, _)| s));
            }
        }
        roots.sort_unstable();
        roots.dedup();
        roots.retain(|&r| !matches!(sg.term(r), Term::Literal(_)));
        let components = super::sparql::components(sg).map_err(|message| ShapeError {
            shape: "the shapes graph".into(),
            message,
        })?;
        // Subjects of a component's parameters are shapes too.
        for component in &components {
            for &(p, _) in &component.parameters {
                roots.extend(sg.pairs_with_predicate(p).map(|(s, _)| s));
            }
        }
        roots.sort_unstable();
        roots.dedup();
        let mut c = Compiler {
            sg,
            components,
            data,
            ids: FxHashMap::default(),
            shapes: Vec::new(),
            pending: Vec::new(),
        };
        for r in roots {
            c.shape_id(r);
        }
        while let Some((node, id)) = c.pending.pop() {
            let shape = c.compile_shape(node)?;
            c.shapes[id] = Some(shape);
        }
        let shapes: Vec<Shape> = c
            .shapes
            .into_iter()
            .map(|s| s.expect("every pending shape is compiled"))
            .collect();
        let names_shapes_graph = shapes.iter().flat_map(|s| &s.constraints).any(|c| {
            matches!(c, Constraint::Sparql(check) if check.mentioned.iter().any(|m| m == "shapesGraph"))
        });
        let shapes_graph = if names_shapes_graph {
            sg.triples()
                .filter_map(|[s, p, o]| {
                    let subject = match sg.term(s) {
                        Term::NamedNode(n) => oxigraph::model::NamedOrBlankNode::from(n.clone()),
                        Term::BlankNode(b) => b.clone().into(),
                        _ => return None,
                    };
                    Some(oxigraph::model::Triple::new(
                        subject,
                        sg.named(p)?.clone(),
                        sg.term(o).clone(),
                    ))
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(Schema {
            shapes,
            shapes_graph,
        })
    }

    /// Shapes that have targets, i.e. where validation starts.
    pub fn targeted(&self) -> impl Iterator<Item = ShapeId> + '_ {
        (0..self.shapes.len()).filter(|&i| !self.shapes[i].targets.is_empty())
    }
}

impl Compiler<'_> {
    fn shape_id(&mut self, node: Id) -> ShapeId {
        if let Some(&id) = self.ids.get(&node) {
            return id;
        }
        let id = self.shapes.len();
        self.shapes.push(None);
        self.ids.insert(node, id);
        self.pending.push((node, id));
        id
    }

    fn p(&self, iri: &str) -> Option<Id> {
        self.sg.iri_id(iri)
    }

    fn values(&self, node: Id, iri: &str) -> Vec<Id> {
        match self.p(iri) {
            Some(p) => self.sg.objects(node, p).to_vec(),
            None => Vec::new(),
        }
    }

    fn err(&self, node: Id, message: impl Into<String>) -> ShapeError {
        ShapeError {
            shape: short(self.sg, node),
            message: message.into(),
        }
    }

    fn list(&self, shape: Id, list: Id, param: &str) -> Result<Vec<Id>, ShapeError> {
        self.sg.list(list).ok_or_else(|| {
            self.err(
                shape,
                format!("the value of {param} is not a well-formed RDF list"),
            )
        })
    }

    fn data_id(&mut self, sg_id: Id) -> Id {
        let term = self.sg.term(sg_id).clone();
        self.data.intern(term.as_ref())
    }

    fn integer(&self, shape: Id, value: Id, param: &str) -> Result<u64, ShapeError> {
        match self.sg.term(value) {
            Term::Literal(l) => l
                .value()
                .trim_start_matches('+')
                .parse::<u64>()
                .map_err(|_| {
                    self.err(
                        shape,
                        format!("{param} must be a non-negative integer, not {l}"),
                    )
                }),
            other => Err(self.err(
                shape,
                format!("{param} must be a non-negative integer, not {other}"),
            )),
        }
    }

    fn is_true(&self, value: Id) -> bool {
        matches!(self.sg.term(value), Term::Literal(l) if l.value() == "true")
    }

    fn iri(&self, shape: Id, value: Id, param: &str) -> Result<NamedNode, ShapeError> {
        match self.sg.term(value) {
            Term::NamedNode(n) => Ok(n.clone()),
            other => Err(self.err(shape, format!("{param} must be an IRI, not {other}"))),
        }
    }

    fn compile_shape(&mut self, node: Id) -> Result<Shape, ShapeError> {
        let sg = self.sg;
        let path = match self.values(node, sh::PATH).as_slice() {
            [] => None,
            [p] => {
                let path = Path::parse(sg, *p).map_err(|m| self.err(node, m))?;
                let cpath = path.compile(self.data);
                Some((path, cpath))
            }
            _ => return Err(self.err(node, "a property shape has exactly one sh:path")),
        };
        let mut targets = Targets::default();
        for v in self.values(node, sh::TARGET_CLASS) {
            targets.classes.push(self.data_id(v));
        }
        // Implicit class target: a shape that is also an rdfs:Class, or an
        // owl:Class, as pySHACL and TopBraid read SHACL 2.1.3.3 (owl:Class
        // is a subclass of rdfs:Class).
        if let Some(t) = sg.iri_id(RDF_TYPE) {
            let mut classes = sg
                .iri_id("http://www.w3.org/2000/01/rdf-schema#Class")
                .map(|c| sg.subclasses_closure(c))
                .unwrap_or_default();
            classes.extend(sg.iri_id("http://www.w3.org/2002/07/owl#Class"));
            let is_class = sg.objects(node, t).iter().any(|c| classes.contains(c));
            if is_class && !matches!(sg.term(node), Term::BlankNode(_)) {
                targets.classes.push(self.data_id(node));
            }
        }
        for v in self.values(node, sh::TARGET_NODE) {
            targets.nodes.push(self.data_id(v));
        }
        for v in self.values(node, sh::TARGET_SUBJECTS_OF) {
            targets.subjects_of.push(self.data_id(v));
        }
        for v in self.values(node, sh::TARGET_OBJECTS_OF) {
            targets.objects_of.push(self.data_id(v));
        }
        let deactivated = self
            .values(node, sh::DEACTIVATED)
            .iter()
            .any(|&v| self.is_true(v));
        let severity = match self.values(node, sh::SEVERITY).first() {
            Some(&v) => self.iri(node, v, "sh:severity")?,
            None => NamedNode::new_unchecked(sh::VIOLATION),
        };
        let messages = self
            .values(node, sh::MESSAGE)
            .iter()
            .map(|&m| sg.term(m).clone())
            .collect();
        let mut constraints = Vec::new();
        let outgoing: Vec<(Id, Id)> = sg.outgoing(node).collect();
        let mut seen_pattern = false;
        let mut seen_qualified = false;
        for (p, v) in outgoing {
            let Some(pred) = sg.named(p) else { continue };
            let Some(local) = pred.as_str().strip_prefix(sh::NS) else {
                continue;
            };
            let param = format!("sh:{local}");
            let c = match local {
                "class" => Constraint::Class(self.data_id(v)),
                "datatype" => Constraint::Datatype(self.iri(node, v, &param)?),
                "nodeKind" => {
                    let kind = self.iri(node, v, &param)?;
                    let k = match kind.as_str() {
                        sh::IRI => NodeKind {
                            iri: true,
                            blank: false,
                            literal: false,
                        },
                        sh::BLANK_NODE => NodeKind {
                            iri: false,
                            blank: true,
                            literal: false,
                        },
                        sh::LITERAL => NodeKind {
                            iri: false,
                            blank: false,
                            literal: true,
                        },
                        sh::BLANK_NODE_OR_IRI => NodeKind {
                            iri: true,
                            blank: true,
                            literal: false,
                        },
                        sh::BLANK_NODE_OR_LITERAL => NodeKind {
                            iri: false,
                            blank: true,
                            literal: true,
                        },
                        sh::IRI_OR_LITERAL => NodeKind {
                            iri: true,
                            blank: false,
                            literal: true,
                        },
                        other => {
                            return Err(
                                self.err(node, format!("sh:nodeKind {other} is not a node kind"))
                            )
                        }
                    };
                    Constraint::NodeKind(k, kind)
                }
                "minCount" => Constraint::MinCount(self.integer(node, v, &param)?),
                "maxCount" => Constraint::MaxCount(self.integer(node, v, &param)?),
                "minExclusive" => Constraint::MinExclusive(sg.term(v).clone()),
                "minInclusive" => Constraint::MinInclusive(sg.term(v).clone()),
                "maxExclusive" => Constraint::MaxExclusive(sg.term(v).clone()),
                "maxInclusive" => Constraint::MaxInclusive(sg.term(v).clone()),
                "minLength" => Constraint::MinLength(self.integer(node, v, &param)?),
                "maxLength" => Constraint::MaxLength(self.integer(node, v, &param)?),
                "pattern" | "flags" => {
                    if seen_pattern {
                        continue;
                    }
                    seen_pattern = true;
                    let patterns = self.values(node, sh::PATTERN);
                    let flags = self.values(node, sh::FLAGS);
                    let flags = flags
                        .first()
                        .map(|&f| literal_value(sg, f))
                        .unwrap_or_default();
                    for pat in patterns {
                        let pattern = literal_value(sg, pat);
                        constraints.push(Constraint::Pattern {
                            regex: compile_regex(&pattern, &flags)
                                .map_err(|m| self.err(node, m))?,
                            pattern,
                            flags: flags.clone(),
                        });
                    }
                    continue;
                }
                "languageIn" => {
                    let items = self.list(node, v, &param)?;
                    Constraint::LanguageIn(items.iter().map(|&i| literal_value(sg, i)).collect())
                }
                "uniqueLang" => {
                    if !self.is_true(v) {
                        continue;
                    }
                    Constraint::UniqueLang
                }
                "equals" => Constraint::Equals(self.data_id(v)),
                "disjoint" => Constraint::Disjoint(self.data_id(v)),
                "lessThan" => Constraint::LessThan(self.data_id(v)),
                "lessThanOrEquals" => Constraint::LessThanOrEquals(self.data_id(v)),
                "not" => Constraint::Not(self.shape_id(v)),
                "and" | "or" | "xone" => {
                    let items = self.list(node, v, &param)?;
                    let ids: Vec<ShapeId> = items.into_iter().map(|i| self.shape_id(i)).collect();
                    match local {
                        "and" => Constraint::And(ids),
                        "or" => Constraint::Or(ids),
                        _ => Constraint::Xone(ids),
                    }
                }
                "node" => Constraint::Node(self.shape_id(v)),
                "property" => Constraint::Property(self.shape_id(v)),
                "qualifiedValueShape" | "qualifiedMinCount" | "qualifiedMaxCount" => {
                    if seen_qualified {
                        continue;
                    }
                    seen_qualified = true;
                    let Some(&qvs) = self.values(node, sh::QUALIFIED_VALUE_SHAPE).first() else {
                        continue;
                    };
                    let disjoint = self
                        .values(node, sh::QUALIFIED_VALUE_SHAPES_DISJOINT)
                        .iter()
                        .any(|&v| self.is_true(v));
                    let mut siblings = Vec::new();
                    if disjoint {
                        if let (Some(prop), Some(qv)) =
                            (self.p(sh::PROPERTY), self.p(sh::QUALIFIED_VALUE_SHAPE))
                        {
                            for &parent in sg.subjects(prop, node) {
                                for &sibling in sg.objects(parent, prop) {
                                    for &s in sg.objects(sibling, qv) {
                                        if s != qvs {
                                            siblings.push(s);
                                        }
                                    }
                                }
                            }
                        }
                        siblings.sort_unstable();
                        siblings.dedup();
                    }
                    let mut shapes = vec![self.shape_id(qvs)];
                    shapes.extend(siblings.into_iter().map(|s| self.shape_id(s)));
                    for &m in &self.values(node, sh::QUALIFIED_MIN_COUNT) {
                        let count = self.integer(node, m, "sh:qualifiedMinCount")?;
                        constraints.push(Constraint::QualifiedMinCount {
                            shapes: shapes.clone(),
                            count,
                        });
                    }
                    for &m in &self.values(node, sh::QUALIFIED_MAX_COUNT) {
                        let count = self.integer(node, m, "sh:qualifiedMaxCount")?;
                        constraints.push(Constraint::QualifiedMaxCount {
                            shapes: shapes.clone(),
                            count,
                        });
                    }
                    continue;
                }
                "closed" => {
                    if !self.is_true(v) {
                        continue;
                    }
                    let mut allowed = FxHashSet::default();
                    for ps in self.values(node, sh::PROPERTY) {
                        for path in self.values(ps, sh::PATH) {
                            if matches!(sg.term(path), Term::NamedNode(_)) {
                                allowed.insert(self.data_id(path));
                            }
                        }
                    }
                    for list in self.values(node, sh::IGNORED_PROPERTIES) {
                        for i in self.list(node, list, "sh:ignoredProperties")? {
                            allowed.insert(self.data_id(i));
                        }
                    }
                    Constraint::Closed { allowed }
                }
                "hasValue" => Constraint::HasValue(self.data_id(v)),
                "in" => {
                    let items = self.list(node, v, &param)?;
                    Constraint::In(items.into_iter().map(|i| self.data_id(i)).collect())
                }
                "sparql" => {
                    let path = path.as_ref().map(|(p, _)| p);
                    match super::sparql::constraint(sg, v, path)
                        .map_err(|m| self.err(node, format!("sh:sparql {}: {m}", short(sg, v))))?
                    {
                        Some(check) => Constraint::Sparql(Box::new(check)),
                        None => continue,
                    }
                }
                _ => continue,
            };
            constraints.push(c);
        }
        for component in &self.components {
            let checks =
                super::sparql::component_checks(sg, component, node, path.as_ref().map(|(p, _)| p))
                    .map_err(|m| self.err(node, format!("{}: {m}", component.iri)))?;
            constraints.extend(checks.into_iter().map(|c| Constraint::Sparql(Box::new(c))));
        }
        Ok(Shape {
            node: sg.term(node).clone(),
            path,
            targets,
            deactivated,
            severity,
            messages,
            constraints,
        })
    }
}

fn literal_value(g: &Graph, id: Id) -> String {
    match g.term(id) {
        Term::Literal(l) => l.value().to_string(),
        Term::NamedNode(n) => n.as_str().to_string(),
        other => other.to_string(),
    }
}

/// An XPath regular expression (as sh:pattern uses) with its flags, in Rust's
/// regex syntax: flags s, m, i, x map to the same inline flags; `q` quotes.
pub fn compile_regex(pattern: &str, flags: &str) -> Result<Regex, String> {
    let mut inline = String::new();
    let mut quoted = false;
    for f in flags.chars() {
        match f {
            's' | 'm' | 'i' | 'x' => inline.push(f),
            'q' => quoted = true,
            other => return Err(format!("unknown regex flag {other:?} in sh:flags")),
        }
    }
    let body = if quoted {
        regex::escape(pattern)
    } else {
        pattern.to_string()
    };
    let full = if inline.is_empty() {
        body
    } else {
        format!("(?{inline}){body}")
    };
    Regex::new(&full)
        .map_err(|e| format!("sh:pattern {pattern:?} is not a valid regular expression: {e}"))
}
