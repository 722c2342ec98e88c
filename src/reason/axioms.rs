//! What the schema says that the rules do not use: OWL constructs outside
//! the implemented rule set, families switched off by `--reasoning`, and
//! `owl:sameAs` links to other namespaces. Reasoning never skips them
//! silently: `aikg infer` and `aikg load` list them.

use super::engine::{vocab, Closure, Id};
use super::rules::{Family, RuleSet};
use crate::query::display_term;
use oxigraph::model::Term;
use serde::Serialize;
use std::collections::BTreeMap;

const OWL: &str = "http://www.w3.org/2002/07/owl#";

/// An OWL construct aikg does not reason with: its IRI (local name in the
/// OWL namespace), whether it is used as a predicate or as a class of
/// `rdf:type`, the OWL 2 RL rules it would need, and what aikg does instead.
struct Construct {
    local: &'static str,
    as_type: bool,
    rules: &'static str,
    instead: &'static str,
}

const CONSTRUCTS: &[Construct] = &[
    Construct {
        local: "FunctionalProperty",
        as_type: true,
        rules: "prp-fp",
        instead: "not inferred (two values would be made owl:sameAs); a SHACL sh:maxCount 1 shape reports a second value",
    },
    Construct {
        local: "InverseFunctionalProperty",
        as_type: true,
        rules: "prp-ifp",
        instead: "not inferred (two subjects would be made owl:sameAs)",
    },
    Construct {
        local: "propertyChainAxiom",
        as_type: false,
        rules: "prp-spo2",
        instead: "not inferred",
    },
    Construct {
        local: "hasKey",
        as_type: false,
        rules: "prp-key",
        instead: "not inferred",
    },
    Construct {
        local: "intersectionOf",
        as_type: false,
        rules: "cls-int1, cls-int2, scm-int",
        instead: "not inferred",
    },
    Construct {
        local: "unionOf",
        as_type: false,
        rules: "cls-uni, scm-uni",
        instead: "not inferred",
    },
    Construct {
        local: "someValuesFrom",
        as_type: false,
        rules: "cls-svf1, cls-svf2, scm-svf1, scm-svf2",
        instead: "not inferred",
    },
    Construct {
        local: "allValuesFrom",
        as_type: false,
        rules: "cls-avf, scm-avf1, scm-avf2",
        instead: "not inferred",
    },
    Construct {
        local: "hasValue",
        as_type: false,
        rules: "cls-hv1, cls-hv2, scm-hv",
        instead: "not inferred",
    },
    Construct {
        local: "oneOf",
        as_type: false,
        rules: "cls-oo",
        instead: "not inferred",
    },
    Construct {
        local: "maxCardinality",
        as_type: false,
        rules: "cls-maxc1, cls-maxc2",
        instead: "not inferred",
    },
    Construct {
        local: "maxQualifiedCardinality",
        as_type: false,
        rules: "cls-maxqc1..4",
        instead: "not inferred",
    },
    Construct {
        local: "complementOf",
        as_type: false,
        rules: "cls-com",
        instead: "not checked",
    },
    Construct {
        local: "disjointWith",
        as_type: false,
        rules: "cax-dw",
        instead: "checked by `aikg check` (stated and inferred types)",
    },
    Construct {
        local: "AllDisjointClasses",
        as_type: true,
        rules: "cax-adc",
        instead: "checked by `aikg check` (stated and inferred types)",
    },
    Construct {
        local: "propertyDisjointWith",
        as_type: false,
        rules: "prp-pdw",
        instead: "not checked",
    },
    Construct {
        local: "AllDisjointProperties",
        as_type: true,
        rules: "prp-adp",
        instead: "not checked",
    },
    Construct {
        local: "AsymmetricProperty",
        as_type: true,
        rules: "prp-asyp",
        instead: "not checked",
    },
    Construct {
        local: "IrreflexiveProperty",
        as_type: true,
        rules: "prp-irp",
        instead: "not checked",
    },
    Construct {
        local: "differentFrom",
        as_type: false,
        rules: "eq-diff1",
        instead: "not checked",
    },
    Construct {
        local: "AllDifferent",
        as_type: true,
        rules: "eq-diff2, eq-diff3",
        instead: "not checked",
    },
    Construct {
        local: "sourceIndividual",
        as_type: false,
        rules: "prp-npa1, prp-npa2",
        instead: "not checked",
    },
];

/// Axioms the rules left aside, one entry per construct.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unused {
    /// The construct (`owl:FunctionalProperty`) or the switched-off family.
    pub axiom: String,
    /// The OWL 2 RL rules it would need.
    pub rules: String,
    /// What aikg does instead.
    pub instead: String,
    /// How many stated triples use it.
    pub count: usize,
    /// The first subjects it is stated of (at most five), in short form.
    pub subjects: Vec<String>,
}

/// The axioms of the stated triples that `rules` do not use.
pub fn unused(closure: &Closure, rules: RuleSet) -> Vec<Unused> {
    if rules.is_empty() {
        return Vec::new(); // nothing is used, and nothing is claimed
    }
    let mut found: BTreeMap<String, (String, String, Vec<Id>)> = BTreeMap::new();
    let mut note = |axiom: String, rules: &str, instead: String, subject: Id| {
        found
            .entry(axiom)
            .or_insert_with(|| (rules.to_string(), instead, Vec::new()))
            .2
            .push(subject);
    };
    let terms = &closure.terms;
    let local_of = |id: Id| match terms.term(id) {
        Term::NamedNode(n) => n.as_str().strip_prefix(OWL),
        _ => None,
    };
    let switched_off = |family: Family| !rules.contains(family);
    for row in 0..closure.stated_len() as u32 {
        let [s, p, o] = closure.triple(row);
        let construct = if p == vocab::TYPE {
            local_of(o).and_then(|l| CONSTRUCTS.iter().find(|c| c.as_type && c.local == l))
        } else {
            local_of(p).and_then(|l| CONSTRUCTS.iter().find(|c| !c.as_type && c.local == l))
        };
        if let Some(c) = construct {
            note(format!("owl:{}", c.local), c.rules, c.instead.into(), s);
        }
        // Axioms of families --reasoning switched off.
        let family = match p {
            vocab::SUB_CLASS_OF => Some(Family::SubClass),
            vocab::SUB_PROPERTY_OF => Some(Family::SubProperty),
            vocab::DOMAIN => Some(Family::Domain),
            vocab::RANGE => Some(Family::Range),
            vocab::EQUIVALENT_CLASS | vocab::EQUIVALENT_PROPERTY => Some(Family::Equivalence),
            vocab::INVERSE_OF => Some(Family::Inverse),
            vocab::TYPE if o == vocab::SYMMETRIC_PROPERTY => Some(Family::Symmetric),
            vocab::TYPE if o == vocab::TRANSITIVE_PROPERTY => Some(Family::Transitive),
            vocab::SAME_AS => Some(Family::SameAs),
            _ => None,
        };
        if let Some(family) = family.filter(|f| switched_off(*f)) {
            let axiom = if p == vocab::TYPE { o } else { p };
            note(
                display_term(terms.term(axiom)),
                family.name(),
                format!("not used: --reasoning {rules} leaves out {}", family.name()),
                s,
            );
        }
    }
    if rules.contains(Family::SameAs) && !closure.same_as_links.is_empty() {
        let subjects = closure
            .same_as_links
            .iter()
            .map(|&r| closure.triple(r)[0])
            .collect();
        found.insert(
            "owl:sameAs to another namespace".into(),
            (
                "eq-rep-s, eq-rep-p, eq-rep-o".into(),
                "kept as links: what an external id says is not merged into the graph's own entities".into(),
                subjects,
            ),
        );
    }
    found
        .into_iter()
        .map(|(axiom, (rules, instead, subjects))| {
            let mut names: Vec<String> = subjects
                .iter()
                .map(|&s| display_term(terms.term(s)))
                .collect();
            let count = names.len();
            names.sort();
            names.dedup();
            names.truncate(5);
            Unused {
                axiom,
                rules,
                instead,
                count,
                subjects: names,
            }
        })
        .collect()
}
