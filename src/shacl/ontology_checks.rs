//! Checks that shapes alone do not express, derived from the ontology
//! (`ontology/*.ttl`): terms of the ontology's namespace that it does not
//! define (with "did you mean"), rdfs:domain and rdfs:range of properties
//! (through rdfs:subClassOf* and rdfs:subPropertyOf*), literals that are not
//! valid for their datatype, members of disjoint classes, entity IRIs used
//! but never described, and facts that no source passage states.
//!
//! Each finding is a [`ValidationResult`] (its "shape" and "component" are
//! the check's IRI under [`CHECK_NS`]) with the position of the triple.

use super::graph::{Graph, Id, RDF_TYPE};
use super::paths::Path;
use super::report::ValidationResult;
use super::values;
use super::vocab::{compact, sh};
use crate::named_query::edit_distance;
use crate::namespaces;
use crate::source::{LocatedQuad, Position};
use oxigraph::model::{GraphNameRef, NamedNode, Term, TermRef};
use rustc_hash::{FxHashMap, FxHashSet};

/// Namespace of the checks' IRIs (`check:UnknownTerm`...).
pub const CHECK_NS: &str = "https://w3id.org/aikg/check#";

const OWL: &str = "http://www.w3.org/2002/07/owl#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";

/// The kinds of check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    UnknownTerm,
    Domain,
    Range,
    IllTypedLiteral,
    DisjointClasses,
    Undescribed,
    NoSourcePassage,
}

impl Check {
    pub fn iri(self) -> String {
        let local = match self {
            Check::UnknownTerm => "UnknownTerm",
            Check::Domain => "Domain",
            Check::Range => "Range",
            Check::IllTypedLiteral => "IllTypedLiteral",
            Check::DisjointClasses => "DisjointClasses",
            Check::Undescribed => "Undescribed",
            Check::NoSourcePassage => "NoSourcePassage",
        };
        format!("{CHECK_NS}{local}")
    }
}

/// Which checks to run besides the ontology-derived ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Entities (IRIs under `namespaces::ID`) must be typed, and typed in a
    /// named graph that is an `aikg:Passage` (aikg's provenance model).
    pub aikg_provenance: bool,
}

/// What the ontology says, read once.
struct Ontology {
    namespaces: Vec<String>,
    defined: FxHashSet<String>,
    /// Per property IRI: its domains and ranges, inherited from super-properties.
    domains: FxHashMap<String, Vec<NamedNode>>,
    ranges: FxHashMap<String, Vec<NamedNode>>,
    datatype_properties: FxHashSet<String>,
    disjoint: Vec<(NamedNode, NamedNode)>,
}

fn read_ontology(quads: &[LocatedQuad]) -> Ontology {
    let g = Graph::from_quads(quads.iter().map(|q| q.quad.as_ref()));
    let iri = |s: &str| g.iri_id(s);
    let mut namespaces = Vec::new();
    if let (Some(t), Some(o)) = (iri(RDF_TYPE), iri(&format!("{OWL}Ontology"))) {
        for &ont in g.subjects(t, o) {
            if let Term::NamedNode(n) = g.term(ont) {
                let base = n.as_str().trim_end_matches(['#', '/']);
                namespaces.push(format!("{base}#"));
                namespaces.push(format!("{base}/"));
            }
        }
    }
    let mut defined = FxHashSet::default();
    for q in quads {
        if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = &q.quad.subject {
            defined.insert(n.as_str().to_string());
        }
    }
    // Properties and their super-properties.
    let sub_property = iri(&format!("{RDFS}subPropertyOf"));
    let domain = iri(&format!("{RDFS}domain"));
    let range = iri(&format!("{RDFS}range"));
    let mut domains = FxHashMap::default();
    let mut ranges = FxHashMap::default();
    let supers = |p: Id| -> Vec<Id> {
        let mut seen = vec![p];
        let mut i = 0;
        while i < seen.len() {
            if let Some(sp) = sub_property {
                for &s in g.objects(seen[i], sp) {
                    if !seen.contains(&s) {
                        seen.push(s);
                    }
                }
            }
            i += 1;
        }
        seen
    };
    let named = |ids: Vec<Id>| -> Vec<NamedNode> {
        ids.into_iter()
            .filter_map(|i| g.named(i).cloned())
            .collect()
    };
    let mut datatype_properties = FxHashSet::default();
    let dtp = iri(&format!("{OWL}DatatypeProperty"));
    for id in 0..g.len_terms() as Id {
        let Term::NamedNode(n) = g.term(id) else {
            continue;
        };
        if !defined.contains(n.as_str()) {
            continue;
        }
        let all = supers(id);
        let mut d = Vec::new();
        let mut r = Vec::new();
        for &p in &all {
            if let Some(domain) = domain {
                d.extend_from_slice(g.objects(p, domain));
            }
            if let Some(range) = range {
                r.extend_from_slice(g.objects(p, range));
            }
        }
        if !d.is_empty() {
            domains.insert(n.as_str().to_string(), named(d));
        }
        if !r.is_empty() {
            ranges.insert(n.as_str().to_string(), named(r));
        }
        if let (Some(t), Some(dtp)) = (iri(RDF_TYPE), dtp) {
            if g.has(id, t, dtp) {
                datatype_properties.insert(n.as_str().to_string());
            }
        }
    }
    // Disjoint classes: owl:disjointWith and owl:AllDisjointClasses.
    let mut disjoint = Vec::new();
    if let Some(dw) = iri(&format!("{OWL}disjointWith")) {
        for [s, p, o] in g.triples() {
            if p == dw {
                if let (Some(a), Some(b)) = (g.named(s), g.named(o)) {
                    disjoint.push((a.clone(), b.clone()));
                }
            }
        }
    }
    if let (Some(t), Some(adc), Some(members)) = (
        iri(RDF_TYPE),
        iri(&format!("{OWL}AllDisjointClasses")),
        iri(&format!("{OWL}members")),
    ) {
        for &node in g.subjects(t, adc) {
            for &list in g.objects(node, members) {
                let items: Vec<NamedNode> = g
                    .list(list)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|i| g.named(i).cloned())
                    .collect();
                for (i, a) in items.iter().enumerate() {
                    for b in &items[i + 1..] {
                        disjoint.push((a.clone(), b.clone()));
                    }
                }
            }
        }
    }
    Ontology {
        namespaces,
        defined,
        domains,
        ranges,
        datatype_properties,
        disjoint,
    }
}

struct Out {
    findings: Vec<(ValidationResult, Position)>,
}

impl Out {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        check: Check,
        focus: Term,
        path: Option<NamedNode>,
        value: Option<Term>,
        constraint: String,
        advice: Option<String>,
        position: &Position,
    ) {
        let iri = NamedNode::new_unchecked(check.iri());
        self.findings.push((
            ValidationResult {
                focus,
                path: path.map(Path::Predicate),
                value,
                source_shape: iri.clone().into(),
                component: iri,
                severity: NamedNode::new_unchecked(sh::VIOLATION),
                messages: advice
                    .map(|a| Term::from(oxigraph::model::Literal::new_simple_literal(a)))
                    .into_iter()
                    .collect(),
                constraint,
                source_constraint: None,
            },
            position.clone(),
        ));
    }
}

/// The closest defined terms to `iri`, for "did you mean".
fn suggest(ont: &Ontology, ns: &str, iri: &str) -> Option<String> {
    let local = iri.strip_prefix(ns)?;
    let defined = ont.defined.iter().filter_map(|d| d.strip_prefix(ns));
    closest(local, defined).map(|d| compact(&format!("{ns}{d}")))
}

/// The candidate closest to `local` for "did you mean": closest ignoring
/// case, then closest with case (`contry` -> `country`, not `Country`);
/// none if even that one is far.
pub(crate) fn closest<'a>(
    local: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = local.to_lowercase();
    let mut best: Option<((usize, usize), &str)> = None;
    for d in candidates {
        let dist = (
            edit_distance(&lower, &d.to_lowercase()),
            edit_distance(local, d),
        );
        if best.is_none_or(|(b, bd)| dist < b || (dist == b && d < bd)) {
            best = Some((dist, d));
        }
    }
    let ((dist, _), d) = best?;
    (dist <= (lower.chars().count() / 3).max(2)).then_some(d)
}

/// Runs the checks. `ontology` defines the terms; `data` is checked; `shapes`
/// (if any) is checked for unknown terms only.
pub fn check(
    ontology: &[LocatedQuad],
    data: &[LocatedQuad],
    shapes: &[LocatedQuad],
    options: Options,
) -> Vec<(ValidationResult, Position)> {
    let ont = read_ontology(ontology);
    let mut out = Out {
        findings: Vec::new(),
    };
    // The data with the ontology, for rdf:type/rdfs:subClassOf* closures.
    let g = Graph::from_quads(ontology.iter().chain(data).map(|q| q.quad.as_ref()));
    let rdf_type = g.rdf_type();

    // 1. Terms of the ontology's namespaces that it does not define.
    for q in data.iter().chain(shapes) {
        let quad = &q.quad;
        let mut terms: Vec<(&str, &'static str)> = Vec::new();
        if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = &quad.subject {
            terms.push((n.as_str(), "subject"));
        }
        terms.push((quad.predicate.as_str(), "property"));
        match &quad.object {
            Term::NamedNode(n) => terms.push((
                n.as_str(),
                if quad.predicate.as_str() == RDF_TYPE {
                    "class"
                } else {
                    "object"
                },
            )),
            Term::Literal(l) => terms.push((l.datatype().as_str(), "datatype")),
            _ => {}
        }
        for (iri, role) in terms {
            let Some(ns) = ont
                .namespaces
                .iter()
                .find(|ns| iri.starts_with(ns.as_str()))
            else {
                continue;
            };
            if ont.defined.contains(iri) {
                continue;
            }
            let advice = suggest(&ont, ns, iri).map(|s| format!("did you mean {s}?"));
            out.push(
                Check::UnknownTerm,
                quad.subject.clone().into(),
                Some(quad.predicate.clone()),
                Some(NamedNode::new_unchecked(iri).into()),
                format!(
                    "{} is not defined by the ontology (used as {role})",
                    compact(iri)
                ),
                advice.or_else(|| {
                    Some("use a term of ontology/aikg.ttl, or add the term there".into())
                }),
                &q.position,
            );
        }
    }

    // 2. Domains and ranges; 3. ill-typed literals.
    let types_of = |node: TermRef<'_>| -> Option<Vec<Id>> {
        let id = g.id(node)?;
        let types = g.types_closure(id);
        (!g.objects(id, rdf_type).is_empty()).then_some(types)
    };
    let class_id = |c: &NamedNode| g.id(c.as_ref().into());
    for q in data {
        let quad = &q.quad;
        let p = quad.predicate.as_str();
        if let Term::Literal(l) = &quad.object {
            let dt = l.datatype().as_str();
            if values::is_checked_datatype(dt) && !values::is_valid_lexical(l.value(), dt) {
                out.push(
                    Check::IllTypedLiteral,
                    quad.subject.clone().into(),
                    Some(quad.predicate.clone()),
                    Some(quad.object.clone()),
                    format!("{:?} is not a valid {}", l.value(), compact(dt)),
                    Some(literal_advice(dt)),
                    &q.position,
                );
            }
        }
        if let Some(domains) = ont.domains.get(p) {
            if let Some(types) = types_of(quad.subject.as_ref().into()) {
                for d in domains {
                    if !class_id(d).is_some_and(|d| types.contains(&d)) {
                        out.push(
                            Check::Domain,
                            quad.subject.clone().into(),
                            Some(quad.predicate.clone()),
                            None,
                            format!(
                                "{} has domain {}, but the subject is a {}",
                                compact(p),
                                compact(d.as_str()),
                                type_names(&g, quad.subject.as_ref().into())
                            ),
                            None,
                            &q.position,
                        );
                    }
                }
            }
        }
        if let Some(ranges) = ont.ranges.get(p) {
            for r in ranges {
                let literal_range = ont.datatype_properties.contains(p)
                    || r.as_str().starts_with(values::XSD)
                    || r.as_str() == values::RDF_LANGSTRING
                    || r.as_str() == format!("{RDFS}Literal");
                let problem = match (&quad.object, literal_range) {
                    (Term::Literal(l), true) => {
                        let ok = if r.as_str() == values::RDF_LANGSTRING {
                            l.language().is_some()
                        } else if r.as_str().starts_with(values::XSD) {
                            values::is_derived_from(l.datatype().as_str(), r.as_str())
                        } else {
                            true
                        };
                        (!ok).then(|| {
                            format!(
                                "{} has range {}, but the value is {}",
                                compact(p),
                                compact(r.as_str()),
                                match l.language() {
                                    Some(lang) => format!("a literal tagged @{lang}"),
                                    None => format!("a {}", compact(l.datatype().as_str())),
                                }
                            )
                        })
                    }
                    (Term::Literal(_), false) => Some(format!(
                        "{} has range {}, but the value is a literal",
                        compact(p),
                        compact(r.as_str())
                    )),
                    (_, true) => Some(format!(
                        "{} has range {}, but the value is not a literal",
                        compact(p),
                        compact(r.as_str())
                    )),
                    (o, false) => types_of(o.as_ref()).and_then(|types| {
                        (!class_id(r).is_some_and(|r| types.contains(&r))).then(|| {
                            format!(
                                "{} has range {}, but the value is a {}",
                                compact(p),
                                compact(r.as_str()),
                                type_names(&g, o.as_ref())
                            )
                        })
                    }),
                };
                if let Some(problem) = problem {
                    out.push(
                        Check::Range,
                        quad.subject.clone().into(),
                        Some(quad.predicate.clone()),
                        Some(quad.object.clone()),
                        problem,
                        None,
                        &q.position,
                    );
                }
            }
        }
    }

    // 4. Disjoint classes: point at the rdf:type triple that brings in the
    // second of the two classes.
    if !ont.disjoint.is_empty() {
        let mut subjects: Vec<Id> = Vec::new();
        let mut type_quads: FxHashMap<Id, Vec<&LocatedQuad>> = FxHashMap::default();
        for q in data {
            if q.quad.predicate.as_str() != RDF_TYPE {
                continue;
            }
            let Some(s) = g.id(q.quad.subject.as_ref().into()) else {
                continue;
            };
            let list = type_quads.entry(s).or_default();
            if list.is_empty() {
                subjects.push(s);
            }
            list.push(q);
        }
        for s in subjects {
            let quads = &type_quads[&s];
            let closures: Vec<Vec<Id>> = quads
                .iter()
                .map(|q| {
                    g.id(q.quad.object.as_ref())
                        .map(|o| g.superclasses_closure(o))
                        .unwrap_or_default()
                })
                .collect();
            for (a, b) in &ont.disjoint {
                let (Some(ai), Some(bi)) = (class_id(a), class_id(b)) else {
                    continue;
                };
                let ia = closures.iter().position(|c| c.contains(&ai));
                let ib = closures.iter().position(|c| c.contains(&bi));
                let (Some(ia), Some(ib)) = (ia, ib) else {
                    continue;
                };
                let q = quads[ia.max(ib)];
                out.push(
                    Check::DisjointClasses,
                    q.quad.subject.clone().into(),
                    Some(q.quad.predicate.clone()),
                    Some(q.quad.object.clone()),
                    format!(
                        "a node cannot be both a {} and a {}: the ontology declares them disjoint",
                        compact(a.as_str()),
                        compact(b.as_str())
                    ),
                    Some(format!(
                        "it is typed {}",
                        type_names(&g, q.quad.subject.as_ref().into())
                    )),
                    &q.position,
                );
            }
        }
    }

    if options.aikg_provenance {
        // 5. Entities used but never described.
        let mut seen = FxHashSet::default();
        for q in data {
            let quad = &q.quad;
            let candidates = [Term::from(quad.subject.clone()), quad.object.clone()];
            for t in candidates {
                let Term::NamedNode(n) = &t else { continue };
                if !n.as_str().starts_with(namespaces::ID) || !seen.insert(n.clone()) {
                    continue;
                }
                let typed = g
                    .id(t.as_ref())
                    .is_some_and(|id| !g.objects(id, rdf_type).is_empty());
                if !typed {
                    out.push(
                        Check::Undescribed,
                        t.clone(),
                        None,
                        None,
                        format!("{} is used but never described (it has no rdf:type)", compact(n.as_str())),
                        Some("type and label it in the passage that introduces it, or fix the IRI if it is a typo".into()),
                        &q.position,
                    );
                }
            }
        }
        // 6. Every entity's rdf:type sits in the graph of a source passage.
        let passage = g.iri_id(&namespaces::aikg("Passage"));
        for q in data {
            let quad = &q.quad;
            if quad.predicate.as_str() != RDF_TYPE
                || !super::diagnostics::in_namespace(quad.subject.as_ref().into(), namespaces::ID)
            {
                continue;
            }
            let ok = match quad.graph_name.as_ref() {
                GraphNameRef::NamedNode(gn) => passage
                    .zip(g.id(gn.into()))
                    .is_some_and(|(passage, gn)| g.types_closure(gn).contains(&passage)),
                _ => false,
            };
            if !ok {
                let (what, advice) = match quad.graph_name.as_ref() {
                    GraphNameRef::DefaultGraph => (
                        "is stated outside any passage graph".to_string(),
                        "state it inside the named graph of the passage that says it: src:xx-NNN { ... }",
                    ),
                    other => (
                        format!("is stated in the graph {other}, which is not an aikg:Passage"),
                        "declare the graph as a passage (src:xx-NNN a aikg:Passage ; aikg:quote \"...\" ; aikg:inDocument ...)",
                    ),
                };
                out.push(
                    Check::NoSourcePassage,
                    quad.subject.clone().into(),
                    Some(quad.predicate.clone()),
                    Some(quad.object.clone()),
                    format!("the entity's rdf:type {what}, so no source passage states it"),
                    Some(advice.into()),
                    &q.position,
                );
            }
        }
    }
    out.findings
}

fn type_names(g: &Graph, node: TermRef<'_>) -> String {
    let Some(id) = g.id(node) else {
        return "node with no type".into();
    };
    let mut names: Vec<String> = g
        .objects(id, g.rdf_type())
        .iter()
        .map(|&t| super::vocab::term_short(g.term(t)))
        .collect();
    names.sort();
    if names.is_empty() {
        "node with no type".into()
    } else {
        names.join(" and ")
    }
}

fn literal_advice(datatype: &str) -> String {
    match datatype.strip_prefix(values::XSD).unwrap_or("") {
        "date" => "write an xsd:date as YYYY-MM-DD, e.g. \"2023-06-20\"".into(),
        "gYearMonth" => "write an xsd:gYearMonth as YYYY-MM with a month 01-12, e.g. \"2023-06\"".into(),
        "gYear" => "write an xsd:gYear as YYYY, e.g. \"2023\"".into(),
        "decimal" => "write an xsd:decimal with digits and a dot, no spaces or commas, e.g. \"826200000000\" or \"6.38\"".into(),
        "integer" => "write an xsd:integer with digits only, e.g. \"100\"".into(),
        "boolean" => "write an xsd:boolean as true or false".into(),
        "dateTime" => "write an xsd:dateTime as YYYY-MM-DDThh:mm:ss, e.g. \"2023-06-20T09:30:00\"".into(),
        _ => format!("fix the value or its datatype {}", compact(datatype)),
    }
}
