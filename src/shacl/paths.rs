//! SHACL property paths (section 2.3.1): parsed from the shapes graph,
//! compiled against the data graph's ids, evaluated from a focus node.

use super::graph::{Graph, Id, RDF_FIRST};
use super::vocab::sh;
use oxigraph::model::{BlankNode, NamedNode, Term, Triple};
use rustc_hash::FxHashSet;
use std::fmt;

/// A property path, as written in the shapes graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Path {
    Predicate(NamedNode),
    Sequence(Vec<Path>),
    Alternative(Vec<Path>),
    Inverse(Box<Path>),
    ZeroOrMore(Box<Path>),
    OneOrMore(Box<Path>),
    ZeroOrOne(Box<Path>),
}

impl Path {
    /// Parses the path at `node` of graph `g`; `Err` says what is wrong.
    pub fn parse(g: &Graph, node: Id) -> Result<Path, String> {
        Self::parse_depth(g, node, 0)
    }

    fn parse_depth(g: &Graph, node: Id, depth: usize) -> Result<Path, String> {
        if depth > 64 {
            return Err("the path is nested too deeply (a cycle?)".into());
        }
        match g.term(node) {
            Term::NamedNode(n) => return Ok(Path::Predicate(n.clone())),
            Term::BlankNode(_) => {}
            other => {
                return Err(format!(
                    "{other} is not a valid path (a path is an IRI or a blank node)"
                ))
            }
        }
        let one = |p: &str| -> Option<Id> { g.iri_id(p).and_then(|p| g.object(node, p)) };
        if g.iri_id(RDF_FIRST)
            .is_some_and(|f| !g.objects(node, f).is_empty())
        {
            let items = g
                .list(node)
                .ok_or("a sequence path is not a well-formed RDF list")?;
            if items.is_empty() {
                return Err("a sequence path is empty".into());
            }
            let paths = items
                .into_iter()
                .map(|i| Self::parse_depth(g, i, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(if paths.len() == 1 {
                paths.into_iter().next().unwrap()
            } else {
                Path::Sequence(paths)
            });
        }
        if let Some(list) = one(sh::ALTERNATIVE_PATH) {
            let items = g
                .list(list)
                .ok_or("sh:alternativePath needs a well-formed RDF list")?;
            let paths = items
                .into_iter()
                .map(|i| Self::parse_depth(g, i, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Path::Alternative(paths));
        }
        let wrap = |p: &str, f: fn(Box<Path>) -> Path| -> Option<Result<Path, String>> {
            one(p).map(|inner| Self::parse_depth(g, inner, depth + 1).map(|x| f(Box::new(x))))
        };
        if let Some(p) = wrap(sh::INVERSE_PATH, Path::Inverse) {
            return p;
        }
        if let Some(p) = wrap(sh::ZERO_OR_MORE_PATH, Path::ZeroOrMore) {
            return p;
        }
        if let Some(p) = wrap(sh::ONE_OR_MORE_PATH, Path::OneOrMore) {
            return p;
        }
        if let Some(p) = wrap(sh::ZERO_OR_ONE_PATH, Path::ZeroOrOne) {
            return p;
        }
        Err(format!(
            "the blank node {} is not a SHACL path",
            g.term(node)
        ))
    }

    /// The predicate, if this is a plain predicate path.
    pub fn predicate(&self) -> Option<&NamedNode> {
        match self {
            Path::Predicate(p) => Some(p),
            _ => None,
        }
    }

    /// The path as RDF: its head term and the triples that describe it.
    pub fn to_rdf(&self, triples: &mut Vec<Triple>) -> Term {
        let list = |items: &[Path], triples: &mut Vec<Triple>| -> Term {
            let heads: Vec<Term> = items.iter().map(|p| p.to_rdf(triples)).collect();
            let mut rest = Term::from(NamedNode::new_unchecked(super::graph::RDF_NIL));
            for head in heads.into_iter().rev() {
                let node = BlankNode::default();
                triples.push(Triple::new(
                    node.clone(),
                    NamedNode::new_unchecked(RDF_FIRST),
                    head,
                ));
                triples.push(Triple::new(
                    node.clone(),
                    NamedNode::new_unchecked(super::graph::RDF_REST),
                    rest,
                ));
                rest = node.into();
            }
            rest
        };
        let wrap = |p: &str, inner: &Path, triples: &mut Vec<Triple>| -> Term {
            let node = BlankNode::default();
            let inner = inner.to_rdf(triples);
            triples.push(Triple::new(
                node.clone(),
                NamedNode::new_unchecked(p),
                inner,
            ));
            node.into()
        };
        match self {
            Path::Predicate(p) => p.clone().into(),
            Path::Sequence(items) => list(items, triples),
            Path::Alternative(items) => {
                let node = BlankNode::default();
                let head = list(items, triples);
                triples.push(Triple::new(
                    node.clone(),
                    NamedNode::new_unchecked(sh::ALTERNATIVE_PATH),
                    head,
                ));
                node.into()
            }
            Path::Inverse(p) => wrap(sh::INVERSE_PATH, p, triples),
            Path::ZeroOrMore(p) => wrap(sh::ZERO_OR_MORE_PATH, p, triples),
            Path::OneOrMore(p) => wrap(sh::ONE_OR_MORE_PATH, p, triples),
            Path::ZeroOrOne(p) => wrap(sh::ZERO_OR_ONE_PATH, p, triples),
        }
    }

    /// Compiles the path against a data graph (predicates become ids).
    pub fn compile(&self, g: &mut Graph) -> CPath {
        match self {
            Path::Predicate(p) => CPath::Predicate(g.intern(p.as_ref().into())),
            Path::Sequence(items) => CPath::Sequence(items.iter().map(|p| p.compile(g)).collect()),
            Path::Alternative(items) => {
                CPath::Alternative(items.iter().map(|p| p.compile(g)).collect())
            }
            Path::Inverse(p) => CPath::Inverse(Box::new(p.compile(g))),
            Path::ZeroOrMore(p) => CPath::ZeroOrMore(Box::new(p.compile(g))),
            Path::OneOrMore(p) => CPath::OneOrMore(Box::new(p.compile(g))),
            Path::ZeroOrOne(p) => CPath::ZeroOrOne(Box::new(p.compile(g))),
        }
    }
}

impl Path {
    /// The path in SPARQL property path syntax with full IRIs (for `$PATH`).
    pub fn to_sparql(&self) -> String {
        let join = |items: &[Path], sep: &str| {
            let parts: Vec<String> = items.iter().map(Path::to_sparql).collect();
            format!("({})", parts.join(sep))
        };
        match self {
            Path::Predicate(p) => format!("<{}>", p.as_str()),
            Path::Sequence(items) => join(items, "/"),
            Path::Alternative(items) => join(items, "|"),
            Path::Inverse(p) => format!("^({})", p.to_sparql()),
            Path::ZeroOrMore(p) => format!("({})*", p.to_sparql()),
            Path::OneOrMore(p) => format!("({})+", p.to_sparql()),
            Path::ZeroOrOne(p) => format!("({})?", p.to_sparql()),
        }
    }
}

/// SPARQL property path syntax, with prefixed names where a prefix fits.
impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, items: &[Path], sep: &str| -> fmt::Result {
            write!(f, "(")?;
            for (i, p) in items.iter().enumerate() {
                if i > 0 {
                    write!(f, "{sep}")?;
                }
                write!(f, "{p}")?;
            }
            write!(f, ")")
        };
        match self {
            Path::Predicate(p) => write!(f, "{}", super::vocab::compact(p.as_str())),
            Path::Sequence(items) => join(f, items, " / "),
            Path::Alternative(items) => join(f, items, " | "),
            Path::Inverse(p) => write!(f, "^{p}"),
            Path::ZeroOrMore(p) => write!(f, "{p}*"),
            Path::OneOrMore(p) => write!(f, "{p}+"),
            Path::ZeroOrOne(p) => write!(f, "{p}?"),
        }
    }
}

/// A path compiled against a data graph.
#[derive(Debug, Clone)]
pub enum CPath {
    Predicate(Id),
    Sequence(Vec<CPath>),
    Alternative(Vec<CPath>),
    Inverse(Box<CPath>),
    ZeroOrMore(Box<CPath>),
    OneOrMore(Box<CPath>),
    ZeroOrOne(Box<CPath>),
}

impl CPath {
    /// The nodes reached from `start` (or reaching it, if `inverse`), sorted, distinct.
    pub fn eval(&self, g: &Graph, start: Id) -> Vec<Id> {
        let mut out = Vec::new();
        self.step(g, &[start], false, &mut out);
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Appends the nodes reached from any of `from` (unsorted, maybe repeated).
    fn step(&self, g: &Graph, from: &[Id], inverse: bool, out: &mut Vec<Id>) {
        match self {
            CPath::Predicate(p) => {
                for &n in from {
                    if inverse {
                        out.extend_from_slice(g.subjects(*p, n));
                    } else {
                        out.extend_from_slice(g.objects(n, *p));
                    }
                }
            }
            CPath::Inverse(inner) => inner.step(g, from, !inverse, out),
            CPath::Sequence(items) => {
                let mut current: Vec<Id> = from.to_vec();
                let ordered: Box<dyn Iterator<Item = &CPath>> = if inverse {
                    Box::new(items.iter().rev())
                } else {
                    Box::new(items.iter())
                };
                for item in ordered {
                    let mut next = Vec::new();
                    item.step(g, &current, inverse, &mut next);
                    next.sort_unstable();
                    next.dedup();
                    current = next;
                }
                out.extend(current);
            }
            CPath::Alternative(items) => {
                for item in items {
                    item.step(g, from, inverse, out);
                }
            }
            CPath::ZeroOrOne(inner) => {
                out.extend_from_slice(from);
                inner.step(g, from, inverse, out);
            }
            CPath::ZeroOrMore(inner) | CPath::OneOrMore(inner) => {
                let zero = matches!(self, CPath::ZeroOrMore(_));
                for &start in from {
                    let mut seen: FxHashSet<Id> = FxHashSet::default();
                    let mut frontier = vec![start];
                    if zero {
                        seen.insert(start);
                        out.push(start);
                    }
                    while !frontier.is_empty() {
                        let mut next = Vec::new();
                        inner.step(g, &frontier, inverse, &mut next);
                        frontier.clear();
                        for n in next {
                            if seen.insert(n) {
                                out.push(n);
                                frontier.push(n);
                            }
                        }
                    }
                }
            }
        }
    }
}
