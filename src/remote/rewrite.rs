//! The aikg dataset on a store `aikg push` filled: a query's algebra is
//! rewritten so that what it reads from the default graph comes from the
//! merge of all graphs (a fact stated by two passages is one triple, as on
//! the local store), and `GRAPH ?g` ranges over the graphs aikg pushed
//! (not the store's other graphs, nor aikg's bookkeeping). Only the
//! standard's own constructs are used, so this works on any engine whose
//! default dataset makes its named graphs available to `GRAPH` (Virtuoso,
//! Fuseki, GraphDB, Neptune, QLever all do), and needs neither `FROM NAMED`
//! lists of thousands of graphs nor an engine's own options. Virtuoso needs
//! it: it ignores the standard's dataset rules (a query `FROM <g>` still
//! sees every graph in `GRAPH ?g`, and two `FROM` graphs are a bag, not a
//! merge: see docs/SCALING.md).
//!
//! Queries that name their dataset (`FROM`, `FROM NAMED`) and `SERVICE`
//! patterns are left as they are.

use super::layout;
use oxigraph::model::{NamedNode, Variable};
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::{NamedNodePattern, TermPattern, TriplePattern};

/// Rewrites `query` to read the merge and the named graphs listed in the
/// manifest, `target` = (merge, manifest graph), when the store was filled
/// by `aikg push`; with None, nothing changes. Returns the endpoints of the query's `SERVICE`
/// patterns, for the allow-list.
pub fn rewrite(
    query: &mut spargebra::Query,
    target: Option<(&NamedNode, &NamedNode)>,
) -> Vec<NamedNode> {
    let mut rewriter = Rewriter {
        merged: target.map(|t| t.0),
        manifest: target.map(|t| t.1),
        services: Vec::new(),
    };
    let named_dataset = names_dataset(query);
    if named_dataset {
        rewriter.merged = None;
    }
    match query {
        spargebra::Query::Select { pattern, .. }
        | spargebra::Query::Construct { pattern, .. }
        | spargebra::Query::Describe { pattern, .. }
        | spargebra::Query::Ask { pattern, .. } => rewriter.pattern(pattern, false),
    }
    rewriter.services
}

struct Rewriter<'a> {
    /// None: only the services are collected.
    merged: Option<&'a NamedNode>,
    /// The graph of the manifest that lists the pushed graphs.
    manifest: Option<&'a NamedNode>,
    services: Vec<NamedNode>,
}

fn take(pattern: &mut GraphPattern) -> GraphPattern {
    std::mem::replace(
        pattern,
        GraphPattern::Bgp {
            patterns: Vec::new(),
        },
    )
}

impl Rewriter<'_> {
    /// `in_graph`: inside a `GRAPH` pattern (its triples read that graph).
    fn pattern(&mut self, pattern: &mut GraphPattern, in_graph: bool) {
        match pattern {
            GraphPattern::Bgp { patterns } => {
                for t in patterns.iter_mut() {
                    blank_to_variable(&mut t.subject);
                    blank_to_variable(&mut t.object);
                }
                if !in_graph && !patterns.is_empty() {
                    self.on_merge(pattern);
                }
            }
            GraphPattern::Path {
                subject, object, ..
            } => {
                blank_to_variable(subject);
                blank_to_variable(object);
                if !in_graph {
                    self.on_merge(pattern);
                }
            }
            GraphPattern::Graph { name, inner } => {
                self.pattern(inner, true);
                if let (NamedNodePattern::Variable(v), Some(_), Some(manifest)) =
                    (name, self.merged, self.manifest)
                {
                    let listed = listed(manifest, v.clone());
                    let graph = take(pattern);
                    *pattern = GraphPattern::Join {
                        left: Box::new(graph),
                        right: Box::new(listed),
                    };
                }
            }
            GraphPattern::Service { name, .. } => {
                // What the service reads is its own business; its name is ours.
                if let NamedNodePattern::NamedNode(n) = name {
                    self.services.push(n.clone());
                }
            }
            GraphPattern::Join { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right }
            | GraphPattern::Lateral { left, right } => {
                self.pattern(left, in_graph);
                self.pattern(right, in_graph);
            }
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => {
                self.pattern(left, in_graph);
                self.pattern(right, in_graph);
                if let Some(e) = expression {
                    self.expression(e, in_graph);
                }
            }
            GraphPattern::Filter { expr, inner } => {
                self.expression(expr, in_graph);
                self.pattern(inner, in_graph);
            }
            GraphPattern::Extend {
                inner, expression, ..
            } => {
                self.pattern(inner, in_graph);
                self.expression(expression, in_graph);
            }
            GraphPattern::OrderBy { inner, expression } => {
                self.pattern(inner, in_graph);
                for order in expression {
                    match order {
                        OrderExpression::Asc(e) | OrderExpression::Desc(e) => {
                            self.expression(e, in_graph)
                        }
                    }
                }
            }
            GraphPattern::Group {
                inner, aggregates, ..
            } => {
                self.pattern(inner, in_graph);
                for (_, aggregate) in aggregates {
                    if let AggregateExpression::FunctionCall { expr, .. } = aggregate {
                        self.expression(expr, in_graph);
                    }
                }
            }
            GraphPattern::Project { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. } => self.pattern(inner, in_graph),
            GraphPattern::Values { .. } => {}
        }
    }

    /// The pattern reads the merge.
    fn on_merge(&mut self, pattern: &mut GraphPattern) {
        if let Some(merged) = self.merged {
            let inner = take(pattern);
            *pattern = GraphPattern::Graph {
                name: NamedNodePattern::NamedNode(merged.clone()),
                inner: Box::new(inner),
            };
        }
    }
}

/// A blank node of a query pattern is an existential variable (SPARQL 1.1
/// §4.1.4): it is sent as one, since Virtuoso refuses blank nodes as the
/// ends of a property path ("Subject of transitive triple pattern should be
/// variable or QName").
fn blank_to_variable(term: &mut TermPattern) {
    if let TermPattern::BlankNode(b) = term {
        *term = TermPattern::Variable(Variable::new_unchecked(format!(
            "aikg_blank_{}",
            b.as_str()
        )));
    }
}

/// `GRAPH <manifest> { ?g a push:NamedGraph }`: the graph is one aikg pushed.
fn listed(manifest: &NamedNode, graph: Variable) -> GraphPattern {
    GraphPattern::Graph {
        name: NamedNodePattern::NamedNode(manifest.clone()),
        inner: Box::new(GraphPattern::Bgp {
            patterns: vec![TriplePattern {
                subject: TermPattern::Variable(graph),
                predicate: NamedNodePattern::NamedNode(
                    oxigraph::model::vocab::rdf::TYPE.into_owned(),
                ),
                object: TermPattern::NamedNode(layout::term("NamedGraph")),
            }],
        }),
    }
}

impl Rewriter<'_> {
    fn expression(&mut self, expression: &mut Expression, in_graph: bool) {
        if let Expression::Exists(p) = expression {
            self.pattern(p, in_graph);
        }
        for e in crate::algebra::sub_expressions(expression) {
            self.expression(e, in_graph);
        }
    }
}

/// Sets the query's dataset: `default` as its default graph (FROM), `named`
/// as its named graphs (FROM NAMED).
pub fn set_dataset(query: &mut spargebra::Query, default: &NamedNode, named: Vec<NamedNode>) {
    let set = spargebra::algebra::QueryDataset {
        default: vec![default.clone()],
        named: Some(named),
    };
    match query {
        spargebra::Query::Select { dataset, .. }
        | spargebra::Query::Construct { dataset, .. }
        | spargebra::Query::Describe { dataset, .. }
        | spargebra::Query::Ask { dataset, .. } => *dataset = Some(set),
    }
}

/// Does the query name its dataset (FROM, FROM NAMED)?
pub fn names_dataset(query: &spargebra::Query) -> bool {
    matches!(
        query,
        spargebra::Query::Select {
            dataset: Some(_),
            ..
        } | spargebra::Query::Construct {
            dataset: Some(_),
            ..
        } | spargebra::Query::Describe {
            dataset: Some(_),
            ..
        } | spargebra::Query::Ask {
            dataset: Some(_),
            ..
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(text: &str) -> String {
        let mut q = spargebra::SparqlParser::new().parse_query(text).unwrap();
        rewrite(
            &mut q,
            Some((
                &NamedNode::new_unchecked("http://m/merged"),
                &NamedNode::new_unchecked("https://w3id.org/aikg/push/manifest/0a1b"),
            )),
        );
        q.to_string()
    }

    #[test]
    fn default_graph_patterns_read_the_merge() {
        let q = rewritten("SELECT ?s WHERE { ?s <http://e/p> ?o . ?o <http://e/q>+ ?x }");
        assert!(q.contains("GRAPH <http://m/merged>"), "{q}");
        assert!(!q.contains("push/manifest"), "{q}");
    }

    #[test]
    fn graph_variables_range_over_the_manifest() {
        let q = rewritten(
            "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER EXISTS { ?s a <http://e/C> } }",
        );
        assert!(
            q.contains("GRAPH <https://w3id.org/aikg/push/manifest/0a1b> { ?g <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/aikg/push#NamedGraph> . }"),
            "{q}"
        );
        // Inside GRAPH ?g, the triple pattern stays on ?g; in EXISTS, the merge.
        assert_eq!(q.matches("GRAPH <http://m/merged>").count(), 1, "{q}");
    }

    #[test]
    fn blank_nodes_of_patterns_are_sent_as_variables() {
        let q = rewritten("SELECT ?x WHERE { ?x <http://e/p> [ <http://e/q>+ ?y ] }");
        assert!(!q.contains("_:"), "{q}");
        assert!(q.contains("?aikg_blank_"), "{q}");
        // CONSTRUCT templates keep theirs: they make new nodes.
        let q = rewritten("CONSTRUCT { ?x <http://e/p> _:n } WHERE { ?x <http://e/p> ?y }");
        assert!(q.contains("_:"), "{q}");
    }

    #[test]
    fn explicit_datasets_and_graphs_are_kept() {
        let text = "SELECT ?s FROM <http://e/g> WHERE { ?s ?p ?o }";
        assert!(!rewritten(text).contains("merged"));
        let q = rewritten("SELECT ?s WHERE { GRAPH <http://e/g> { ?s ?p ?o } }");
        assert!(!q.contains("merged") && !q.contains("manifest"), "{q}");
    }
}
