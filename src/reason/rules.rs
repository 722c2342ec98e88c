//! The rules aikg applies, grouped in families that `--reasoning` switches on
//! and off, and the names the derivations carry (those of the OWL 2 RL
//! profile's rule tables, W3C OWL 2 Profiles §4.3, with their RDFS
//! counterparts).

use std::fmt;

/// A family of rules: one axiom of the ontology language and everything it
/// entails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// `rdfs:subClassOf`: instances of a class are instances of its
    /// superclasses (cax-sco / rdfs9); the hierarchy is transitive
    /// (scm-sco / rdfs11).
    SubClass,
    /// `rdfs:subPropertyOf`: a statement with a property holds with its
    /// super-properties (prp-spo1 / rdfs7); the hierarchy is transitive
    /// (scm-spo / rdfs5).
    SubProperty,
    /// `rdfs:domain`: the subject of a property is typed with its domain
    /// (prp-dom / rdfs2; scm-dom1, scm-dom2 for the schema).
    Domain,
    /// `rdfs:range`: the object of a property is typed with its range
    /// (prp-rng / rdfs3; scm-rng1, scm-rng2 for the schema).
    Range,
    /// `owl:equivalentClass` and `owl:equivalentProperty` (cax-eqc1/2,
    /// prp-eqp1/2, scm-eqc1/2, scm-eqp1/2).
    Equivalence,
    /// `owl:inverseOf` (prp-inv1/2).
    Inverse,
    /// `owl:SymmetricProperty` (prp-symp).
    Symmetric,
    /// `owl:TransitiveProperty` (prp-trp).
    Transitive,
    /// `owl:sameAs` between the graph's own entities (eq-sym, eq-trans,
    /// eq-rep-s/p/o): IRIs of one namespace. A link to another namespace
    /// (Wikidata, GeoNames, ROR) is a link, never merged in.
    SameAs,
}

impl Family {
    pub const ALL: [Family; 9] = [
        Family::SubClass,
        Family::SubProperty,
        Family::Domain,
        Family::Range,
        Family::Equivalence,
        Family::Inverse,
        Family::Symmetric,
        Family::Transitive,
        Family::SameAs,
    ];

    /// The name `--reasoning` knows it by.
    pub fn name(self) -> &'static str {
        match self {
            Family::SubClass => "subclass",
            Family::SubProperty => "subproperty",
            Family::Domain => "domain",
            Family::Range => "range",
            Family::Equivalence => "equivalence",
            Family::Inverse => "inverse",
            Family::Symmetric => "symmetric",
            Family::Transitive => "transitive",
            Family::SameAs => "sameas",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "subclass" | "subclassof" => Family::SubClass,
            "subproperty" | "subpropertyof" => Family::SubProperty,
            "domain" => Family::Domain,
            "range" => Family::Range,
            "equivalence" | "equivalent" | "equivalentclass" | "equivalentproperty" => {
                Family::Equivalence
            }
            "inverse" | "inverseof" => Family::Inverse,
            "symmetric" => Family::Symmetric,
            "transitive" => Family::Transitive,
            "sameas" | "same-as" => Family::SameAs,
            _ => return None,
        })
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of rule families.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RuleSet(u16);

impl RuleSet {
    /// No reasoning: queries see what the sources state.
    pub const NONE: RuleSet = RuleSet(0);
    /// RDFS: subclass, subproperty, domain, range.
    pub const RDFS: RuleSet = RuleSet(0b1111);
    /// RDFS and the OWL 2 RL rules the ontology uses: equivalence, inverse,
    /// symmetric, transitive, sameAs among the graph's own entities.
    pub const RL: RuleSet = RuleSet(0b1_1111_1111);

    /// The names `--reasoning` accepts, for messages.
    pub const SYNTAX: &'static str = "none, rdfs or rl, optionally followed by families to add or \
        (with -) remove: subclass, subproperty, domain, range, equivalence, inverse, symmetric, \
        transitive, sameas (e.g. rl,-domain,-range)";

    pub fn contains(self, family: Family) -> bool {
        self.0 & family.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn with(self, family: Family) -> Self {
        RuleSet(self.0 | family.bit())
    }

    pub fn without(self, family: Family) -> Self {
        RuleSet(self.0 & !family.bit())
    }

    /// The families in the set, in their canonical order.
    pub fn families(self) -> impl Iterator<Item = Family> {
        Family::ALL.into_iter().filter(move |f| self.contains(*f))
    }

    /// Parses a `--reasoning` value: `none`, `rdfs`, `rl`, family names,
    /// and `-family` to remove one (a list that starts with a removal starts
    /// from `rl`), separated by commas.
    pub fn parse(text: &str) -> Result<Self, String> {
        let items: Vec<String> = text
            .split(',')
            .map(|s| s.trim().to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        if items.is_empty() {
            return Err("--reasoning needs a value".into());
        }
        let mut set = if items[0].starts_with('-') {
            RuleSet::RL
        } else {
            RuleSet::NONE
        };
        for item in &items {
            let (remove, name) = match item.strip_prefix('-') {
                Some(name) => (true, name),
                None => (false, item.as_str()),
            };
            let families = match name {
                "none" | "off" => RuleSet::NONE,
                "rdfs" => RuleSet::RDFS,
                "rl" | "owl-rl" | "owlrl" | "owl2rl" | "all" => RuleSet::RL,
                other => match Family::from_name(other) {
                    Some(f) => RuleSet::NONE.with(f),
                    None => return Err(format!("unknown reasoning {other:?}")),
                },
            };
            set = if remove {
                RuleSet(set.0 & !families.0)
            } else {
                RuleSet(set.0 | families.0)
            };
        }
        Ok(set)
    }

    /// The canonical name: `none`, `rdfs`, `rl`, `rl,-domain`, `rdfs,transitive`.
    pub fn name(self) -> String {
        if self.is_empty() {
            return "none".into();
        }
        // The shortest of: a level plus additions and removals.
        let mut best: Option<String> = None;
        for (level, set) in [("rl", RuleSet::RL), ("rdfs", RuleSet::RDFS)] {
            let mut parts = vec![level.to_string()];
            for f in Family::ALL {
                match (set.contains(f), self.contains(f)) {
                    (true, false) => parts.push(format!("-{}", f.name())),
                    (false, true) => parts.push(f.name().to_string()),
                    _ => {}
                }
            }
            let candidate = parts.join(",");
            if best.as_ref().is_none_or(|b| candidate.len() < b.len()) {
                best = Some(candidate);
            }
        }
        let plain: Vec<&str> = self.families().map(Family::name).collect();
        let plain = plain.join(",");
        match best {
            Some(b) if b.len() <= plain.len() => b,
            _ => plain,
        }
    }
}

impl fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RuleSet({})", self.name())
    }
}

impl fmt::Display for RuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// What a command was asked to infer (`--reasoning`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reasoning {
    /// Not said: the bundled or `--data` graph is reasoned with [`RuleSet::RL`];
    /// a persistent store is read with what it was materialised with.
    #[default]
    Default,
    /// These rules ([`RuleSet::NONE`]: nothing inferred is seen).
    Rules(RuleSet),
}

impl Reasoning {
    /// The rules of the default reasoning, for the bundled graph and `aikg load`.
    pub const DEFAULT_RULES: RuleSet = RuleSet::RL;

    /// Parses `--reasoning`; an error names the accepted values.
    pub fn parse(text: &str) -> crate::error::Result<Self> {
        RuleSet::parse(text)
            .map(Reasoning::Rules)
            .map_err(|message| {
                crate::error::Error::usage(
                    format!("--reasoning {text:?}: {message}"),
                    format!("use {}", RuleSet::SYNTAX),
                )
            })
    }

    /// The rules to materialise with when nothing is stored yet.
    pub fn rules_or_default(self) -> RuleSet {
        match self {
            Reasoning::Default => Self::DEFAULT_RULES,
            Reasoning::Rules(rules) => rules,
        }
    }
}

/// One rule of the OWL 2 RL tables: what a derivation records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Rule {
    CaxSco,
    CaxEqc1,
    CaxEqc2,
    PrpSpo1,
    PrpEqp1,
    PrpEqp2,
    PrpDom,
    PrpRng,
    PrpInv1,
    PrpInv2,
    PrpSymp,
    PrpTrp,
    ScmSco,
    ScmSpo,
    ScmEqc1,
    ScmEqc2,
    ScmEqp1,
    ScmEqp2,
    ScmDom1,
    ScmDom2,
    ScmRng1,
    ScmRng2,
    EqSym,
    EqTrans,
    EqRepS,
    EqRepP,
    EqRepO,
}

impl Rule {
    pub const ALL: [Rule; 27] = [
        Rule::CaxSco,
        Rule::CaxEqc1,
        Rule::CaxEqc2,
        Rule::PrpSpo1,
        Rule::PrpEqp1,
        Rule::PrpEqp2,
        Rule::PrpDom,
        Rule::PrpRng,
        Rule::PrpInv1,
        Rule::PrpInv2,
        Rule::PrpSymp,
        Rule::PrpTrp,
        Rule::ScmSco,
        Rule::ScmSpo,
        Rule::ScmEqc1,
        Rule::ScmEqc2,
        Rule::ScmEqp1,
        Rule::ScmEqp2,
        Rule::ScmDom1,
        Rule::ScmDom2,
        Rule::ScmRng1,
        Rule::ScmRng2,
        Rule::EqSym,
        Rule::EqTrans,
        Rule::EqRepS,
        Rule::EqRepP,
        Rule::EqRepO,
    ];

    /// The rule's name in the OWL 2 RL tables.
    pub fn id(self) -> &'static str {
        match self {
            Rule::CaxSco => "cax-sco",
            Rule::CaxEqc1 => "cax-eqc1",
            Rule::CaxEqc2 => "cax-eqc2",
            Rule::PrpSpo1 => "prp-spo1",
            Rule::PrpEqp1 => "prp-eqp1",
            Rule::PrpEqp2 => "prp-eqp2",
            Rule::PrpDom => "prp-dom",
            Rule::PrpRng => "prp-rng",
            Rule::PrpInv1 => "prp-inv1",
            Rule::PrpInv2 => "prp-inv2",
            Rule::PrpSymp => "prp-symp",
            Rule::PrpTrp => "prp-trp",
            Rule::ScmSco => "scm-sco",
            Rule::ScmSpo => "scm-spo",
            Rule::ScmEqc1 => "scm-eqc1",
            Rule::ScmEqc2 => "scm-eqc2",
            Rule::ScmEqp1 => "scm-eqp1",
            Rule::ScmEqp2 => "scm-eqp2",
            Rule::ScmDom1 => "scm-dom1",
            Rule::ScmDom2 => "scm-dom2",
            Rule::ScmRng1 => "scm-rng1",
            Rule::ScmRng2 => "scm-rng2",
            Rule::EqSym => "eq-sym",
            Rule::EqTrans => "eq-trans",
            Rule::EqRepS => "eq-rep-s",
            Rule::EqRepP => "eq-rep-p",
            Rule::EqRepO => "eq-rep-o",
        }
    }

    /// Why the rule's conclusion follows, in words.
    pub fn reason(self) -> &'static str {
        match self {
            Rule::CaxSco => "an instance of a class is an instance of its superclass",
            Rule::CaxEqc1 | Rule::CaxEqc2 => "equivalent classes have the same instances",
            Rule::PrpSpo1 => "a statement with a property holds with its super-property",
            Rule::PrpEqp1 | Rule::PrpEqp2 => "equivalent properties hold of the same pairs",
            Rule::PrpDom => "the subject of a property is in its domain",
            Rule::PrpRng => "the object of a property is in its range",
            Rule::PrpInv1 | Rule::PrpInv2 => "a property holds backwards as its inverse",
            Rule::PrpSymp => "the property is symmetric",
            Rule::PrpTrp => "the property is transitive",
            Rule::ScmSco => "subclass of a subclass",
            Rule::ScmSpo => "sub-property of a sub-property",
            Rule::ScmEqc1 => "equivalent classes are subclasses of each other",
            Rule::ScmEqc2 => "classes that are subclasses of each other are equivalent",
            Rule::ScmEqp1 => "equivalent properties are sub-properties of each other",
            Rule::ScmEqp2 => "properties that are sub-properties of each other are equivalent",
            Rule::ScmDom1 => "a domain's superclass is a domain too",
            Rule::ScmDom2 => "a sub-property has its super-property's domain",
            Rule::ScmRng1 => "a range's superclass is a range too",
            Rule::ScmRng2 => "a sub-property has its super-property's range",
            Rule::EqSym => "owl:sameAs is symmetric",
            Rule::EqTrans => "owl:sameAs is transitive",
            Rule::EqRepS | Rule::EqRepP | Rule::EqRepO => {
                "what holds of a thing holds of what is the same as it"
            }
        }
    }

    pub fn family(self) -> Family {
        match self {
            Rule::CaxSco | Rule::ScmSco => Family::SubClass,
            Rule::PrpSpo1 | Rule::ScmSpo => Family::SubProperty,
            Rule::PrpDom | Rule::ScmDom1 | Rule::ScmDom2 => Family::Domain,
            Rule::PrpRng | Rule::ScmRng1 | Rule::ScmRng2 => Family::Range,
            Rule::CaxEqc1
            | Rule::CaxEqc2
            | Rule::PrpEqp1
            | Rule::PrpEqp2
            | Rule::ScmEqc1
            | Rule::ScmEqc2
            | Rule::ScmEqp1
            | Rule::ScmEqp2 => Family::Equivalence,
            Rule::PrpInv1 | Rule::PrpInv2 => Family::Inverse,
            Rule::PrpSymp => Family::Symmetric,
            Rule::PrpTrp => Family::Transitive,
            Rule::EqSym | Rule::EqTrans | Rule::EqRepS | Rule::EqRepP | Rule::EqRepO => {
                Family::SameAs
            }
        }
    }

    /// Whether the rule types a node from how it is used (rdfs:domain,
    /// rdfs:range): when a triple has two proofs, the other is shown.
    pub fn typing_from_use(self) -> bool {
        matches!(self, Rule::PrpDom | Rule::PrpRng)
    }

    /// Rules that only close the schema (their conclusions add nothing the
    /// instance rules would not reach by themselves).
    pub fn closes_schema(self) -> bool {
        matches!(
            self,
            Rule::ScmSco
                | Rule::ScmSpo
                | Rule::ScmEqc1
                | Rule::ScmEqc2
                | Rule::ScmEqp1
                | Rule::ScmEqp2
                | Rule::ScmDom1
                | Rule::ScmDom2
                | Rule::ScmRng1
                | Rule::ScmRng2
                | Rule::EqSym
                | Rule::EqTrans
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_removals_parse() {
        assert_eq!(RuleSet::parse("none").unwrap(), RuleSet::NONE);
        assert_eq!(RuleSet::parse("RDFS").unwrap(), RuleSet::RDFS);
        assert_eq!(RuleSet::parse("rl").unwrap(), RuleSet::RL);
        let no_dr = RuleSet::RL.without(Family::Domain).without(Family::Range);
        assert_eq!(RuleSet::parse("rl,-domain,-range").unwrap(), no_dr);
        assert_eq!(RuleSet::parse("-domain,-range").unwrap(), no_dr);
        assert_eq!(
            RuleSet::parse("rdfs, transitive").unwrap(),
            RuleSet::RDFS.with(Family::Transitive)
        );
        assert!(RuleSet::parse("rdfs,transitiv")
            .unwrap_err()
            .contains("transitiv"));
        assert!(RuleSet::parse("").is_err());
    }

    #[test]
    fn names_parse_back() {
        for set in [
            RuleSet::NONE,
            RuleSet::RDFS,
            RuleSet::RL,
            RuleSet::RL.without(Family::Domain),
            RuleSet::NONE.with(Family::Transitive),
            RuleSet::RDFS.with(Family::SameAs),
        ] {
            assert_eq!(RuleSet::parse(&set.name()).unwrap(), set, "{}", set.name());
        }
        assert_eq!(RuleSet::RL.without(Family::Domain).name(), "rl,-domain");
        assert_eq!(RuleSet::NONE.with(Family::Transitive).name(), "transitive");
    }

    #[test]
    fn every_rule_belongs_to_a_family_and_round_trips() {
        for (i, rule) in Rule::ALL.iter().enumerate() {
            assert_eq!(Rule::ALL[i], *rule);
            assert!(Family::ALL.contains(&rule.family()));
        }
    }
}
