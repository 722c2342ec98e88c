//! Validation results as terms, the constraint each states in words, and the
//! W3C `sh:ValidationReport` graph.

use super::engine::RawResult;
use super::graph::{Graph, RDF_TYPE};
use super::paths::Path;
use super::shapes::{Constraint, Schema};
use super::vocab::{compact, sh, term_short};
use oxigraph::model::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};

/// One result of a validation (SHACL section 3.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationResult {
    pub focus: Term,
    pub path: Option<Path>,
    pub value: Option<Term>,
    /// The shape in the shapes graph.
    pub source_shape: Term,
    pub component: NamedNode,
    pub severity: NamedNode,
    /// The shape's sh:message values.
    pub messages: Vec<Term>,
    /// The SPARQL-based constraint (sh:sparql node) the result comes from.
    pub source_constraint: Option<Term>,
    /// The constraint in words ("at least 1 value").
    pub constraint: String,
}

/// A validation report.
#[derive(Debug, Clone, Default)]
pub struct ValidationReport {
    pub results: Vec<ValidationResult>,
}

impl ValidationReport {
    /// SHACL's sh:conforms: true when there is no result at all.
    pub fn conforms(&self) -> bool {
        self.results.is_empty()
    }

    /// Are there results of severity sh:Violation?
    pub fn has_violations(&self) -> bool {
        self.results
            .iter()
            .any(|r| r.severity.as_str() == sh::VIOLATION)
    }

    pub(crate) fn from_raw(g: &Graph, schema: &Schema, raw: Vec<RawResult>) -> Self {
        let results = raw
            .into_iter()
            .map(|r| {
                let shape = &schema.shapes[r.shape];
                let c = &shape.constraints[r.constraint];
                let detail = r.detail.as_deref();
                let path = match (r.closed_predicate, detail.and_then(|d| d.path.as_ref())) {
                    (Some(p), _) => g.named(p).map(|p| Path::Predicate(p.clone())),
                    (None, Some(p)) => Some(Path::Predicate(p.clone())),
                    (None, None) => shape.path.as_ref().map(|(p, _)| p.clone()),
                };
                let value = match detail {
                    Some(d) => d.value.clone(),
                    None => r.value.map(|v| g.term(v).clone()),
                };
                let messages = match detail {
                    Some(d) if !d.messages.is_empty() => d.messages.clone(),
                    _ => shape.messages.clone(),
                };
                let source_constraint = match c {
                    Constraint::Sparql(check) => check.constraint.clone(),
                    _ => None,
                };
                let value_count = shape.path.as_ref().map(|(_, cp)| cp.eval(g, r.focus).len());
                ValidationResult {
                    focus: g.term(r.focus).clone(),
                    path,
                    value,
                    source_shape: shape.node.clone(),
                    component: NamedNode::new_unchecked(c.component()),
                    severity: shape.severity.clone(),
                    messages,
                    source_constraint,
                    constraint: describe(g, schema, c, value_count),
                }
            })
            .collect();
        Self { results }
    }

    /// The report as RDF triples (SHACL section 3.6), results in a stable order.
    pub fn to_triples(&self) -> Vec<Triple> {
        let mut triples = Vec::new();
        let report = BlankNode::default();
        let a = NamedNode::new_unchecked(RDF_TYPE);
        let sh_ = |l: &str| NamedNode::new_unchecked(format!("{}{l}", sh::NS));
        triples.push(Triple::new(
            report.clone(),
            a.clone(),
            sh_("ValidationReport"),
        ));
        triples.push(Triple::new(
            report.clone(),
            sh_("conforms"),
            Literal::from(self.conforms()),
        ));
        for r in &self.results {
            let node = BlankNode::default();
            triples.push(Triple::new(report.clone(), sh_("result"), node.clone()));
            triples.push(Triple::new(
                node.clone(),
                a.clone(),
                sh_("ValidationResult"),
            ));
            triples.push(Triple::new(node.clone(), sh_("focusNode"), r.focus.clone()));
            if let Some(path) = &r.path {
                let head = path.to_rdf(&mut triples);
                triples.push(Triple::new(node.clone(), sh_("resultPath"), head));
            }
            if let Some(v) = &r.value {
                triples.push(Triple::new(node.clone(), sh_("value"), v.clone()));
            }
            triples.push(Triple::new(
                node.clone(),
                sh_("sourceShape"),
                r.source_shape.clone(),
            ));
            triples.push(Triple::new(
                node.clone(),
                sh_("sourceConstraintComponent"),
                r.component.clone(),
            ));
            if let Some(c) = &r.source_constraint {
                triples.push(Triple::new(
                    node.clone(),
                    sh_("sourceConstraint"),
                    c.clone(),
                ));
            }
            triples.push(Triple::new(
                node.clone(),
                sh_("resultSeverity"),
                r.severity.clone(),
            ));
            if r.messages.is_empty() {
                triples.push(Triple::new(
                    node.clone(),
                    sh_("resultMessage"),
                    Literal::new_simple_literal(r.default_message()),
                ));
            }
            for m in &r.messages {
                triples.push(Triple::new(node.clone(), sh_("resultMessage"), m.clone()));
            }
        }
        triples
    }
}

impl ValidationResult {
    /// A message for a result whose shape has no sh:message.
    pub fn default_message(&self) -> String {
        let mut m = self.constraint.clone();
        if let Some(v) = &self.value {
            m.push_str(&format!("; value: {}", term_short(v)));
        }
        m
    }

    /// The short name of the component, e.g. `MinCount`.
    pub fn component_name(&self) -> &str {
        let c = self.component.as_str();
        let c = c.strip_prefix(sh::NS).unwrap_or(c);
        c.strip_suffix("ConstraintComponent").unwrap_or(c)
    }
}

/// The shape a result comes from, as `NamedOrBlankNode` (for RDF output).
pub fn shape_node(term: &Term) -> Option<NamedOrBlankNode> {
    match term {
        Term::NamedNode(n) => Some(n.clone().into()),
        Term::BlankNode(b) => Some(b.clone().into()),
        _ => None,
    }
}

fn shape_name(schema: &Schema, id: usize) -> String {
    match &schema.shapes[id].node {
        Term::BlankNode(_) => {
            let s = &schema.shapes[id];
            match &s.path {
                Some((p, _)) => format!("[property shape on {p}]"),
                None => "[anonymous shape]".into(),
            }
        }
        t => term_short(t),
    }
}

fn shapes_list(schema: &Schema, ids: &[usize]) -> String {
    ids.iter()
        .map(|&i| shape_name(schema, i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The constraint in words.
pub fn describe(g: &Graph, schema: &Schema, c: &Constraint, value_count: Option<usize>) -> String {
    let t = |id| term_short(g.term(id));
    let found = |n: Option<usize>| n.map(|n| format!(", found {n}")).unwrap_or_default();
    match c {
        Constraint::Class(class) => {
            format!("each value must be an instance of {} (sh:class)", t(*class))
        }
        Constraint::Datatype(d) => format!(
            "each value must be a valid literal of datatype {} (sh:datatype)",
            compact(d.as_str())
        ),
        Constraint::NodeKind(_, k) => format!(
            "each value must be of node kind {} (sh:nodeKind)",
            compact(k.as_str())
        ),
        Constraint::MinCount(n) => format!(
            "at least {n} value{} required (sh:minCount){}",
            plural(*n),
            found(value_count)
        ),
        Constraint::MaxCount(n) => format!(
            "at most {n} value{} allowed (sh:maxCount){}",
            plural(*n),
            found(value_count)
        ),
        Constraint::MinExclusive(b) => {
            format!("each value must be > {} (sh:minExclusive)", term_short(b))
        }
        Constraint::MinInclusive(b) => {
            format!("each value must be >= {} (sh:minInclusive)", term_short(b))
        }
        Constraint::MaxExclusive(b) => {
            format!("each value must be < {} (sh:maxExclusive)", term_short(b))
        }
        Constraint::MaxInclusive(b) => {
            format!("each value must be <= {} (sh:maxInclusive)", term_short(b))
        }
        Constraint::MinLength(n) => format!(
            "each value must have at least {n} character{} (sh:minLength)",
            plural(*n)
        ),
        Constraint::MaxLength(n) => format!(
            "each value must have at most {n} character{} (sh:maxLength)",
            plural(*n)
        ),
        Constraint::Pattern { pattern, flags, .. } => {
            if flags.is_empty() {
                format!("each value must match the pattern {pattern:?} (sh:pattern)")
            } else {
                format!("each value must match the pattern {pattern:?} with flags {flags:?} (sh:pattern)")
            }
        }
        Constraint::LanguageIn(langs) => format!(
            "each value must have a language tag in ({}) (sh:languageIn)",
            langs.join(" ")
        ),
        Constraint::UniqueLang => "at most one value per language tag (sh:uniqueLang)".into(),
        Constraint::Equals(p) => format!("the values must be those of {} (sh:equals)", t(*p)),
        Constraint::Disjoint(p) => {
            format!("no value may also be a value of {} (sh:disjoint)", t(*p))
        }
        Constraint::LessThan(p) => format!(
            "each value must be less than every value of {} (sh:lessThan)",
            t(*p)
        ),
        Constraint::LessThanOrEquals(p) => {
            format!(
                "each value must be less than or equal to every value of {} (sh:lessThanOrEquals)",
                t(*p)
            )
        }
        Constraint::Not(s) => format!(
            "each value must not conform to {} (sh:not)",
            shape_name(schema, *s)
        ),
        Constraint::And(s) => format!(
            "each value must conform to all of {} (sh:and)",
            shapes_list(schema, s)
        ),
        Constraint::Or(s) => format!(
            "each value must conform to at least one of {} (sh:or)",
            shapes_list(schema, s)
        ),
        Constraint::Xone(s) => format!(
            "each value must conform to exactly one of {} (sh:xone)",
            shapes_list(schema, s)
        ),
        Constraint::Node(s) => format!(
            "each value must conform to {} (sh:node)",
            shape_name(schema, *s)
        ),
        Constraint::Property(s) => format!(
            "each value must conform to {} (sh:property)",
            shape_name(schema, *s)
        ),
        Constraint::QualifiedMinCount { shapes, count } => format!(
            "at least {count} value{} must conform to {} (sh:qualifiedMinCount)",
            plural(*count),
            shape_name(schema, shapes[0])
        ),
        Constraint::QualifiedMaxCount { shapes, count } => format!(
            "at most {count} value{} may conform to {} (sh:qualifiedMaxCount)",
            plural(*count),
            shape_name(schema, shapes[0])
        ),
        Constraint::Closed { .. } => {
            "the shape is closed: this property is not allowed (sh:closed)".into()
        }
        Constraint::HasValue(v) => format!("one value must be {} (sh:hasValue)", t(*v)),
        Constraint::Sparql(check) => match &check.constraint {
            Some(node) => format!(
                "the SPARQL query of {} must find nothing (sh:sparql)",
                term_short(node)
            ),
            None => format!(
                "the SPARQL validator of {} must accept the value",
                compact(check.component.as_str())
            ),
        },
        Constraint::In(items) => {
            let shown: Vec<String> = items.iter().take(12).map(|&i| t(i)).collect();
            let more = if items.len() > 12 {
                format!(" and {} more", items.len() - 12)
            } else {
                String::new()
            };
            format!(
                "each value must be one of {}{more} (sh:in)",
                shown.join(", ")
            )
        }
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn severity_rank(s: &NamedNode) -> u8 {
    match s.as_str() {
        sh::VIOLATION => 0,
        sh::WARNING => 1,
        sh::INFO => 2,
        _ => 3,
    }
}

/// A term's text for sorting: blank node labels are random, so they sort alike.
fn sort_text(t: &Term) -> String {
    match t {
        Term::BlankNode(_) => "_:".into(),
        t => t.to_string(),
    }
}

impl ValidationReport {
    /// Sorts the results: by severity, shape, focus node, path, value, component.
    pub fn sort(&mut self) {
        self.results.sort_by_cached_key(|r| {
            (
                severity_rank(&r.severity),
                sort_text(&r.source_shape),
                sort_text(&r.focus),
                r.path.as_ref().map(|p| p.to_string()),
                r.value.as_ref().map(sort_text),
                r.component.as_str().to_string(),
            )
        });
    }
}
