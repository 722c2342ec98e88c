//! Binding query parameters: each `?name` of the parsed query (its algebra,
//! never its text) is replaced by an RDF term, so a value can only ever be
//! one term, whatever characters it holds.
//!
//! oxigraph's own `substitute_variable` seeds the evaluation with the binding,
//! which only reaches variables of the SELECT projection; named queries use
//! parameters anywhere (in filters, sub-queries, GRAPH names), so aikg
//! substitutes throughout instead. A projected parameter keeps its column,
//! filled with the bound value.

use oxigraph::model::{Literal, Term, Variable};
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::{GroundTerm, NamedNodePattern, TermPattern, TriplePattern};

/// Replaces every occurrence of the bound variables in the query.
pub fn substitute(query: &mut spargebra::Query, bindings: &[(Variable, Term)]) {
    if bindings.is_empty() {
        return;
    }
    let binder = Binder { bindings };
    match query {
        spargebra::Query::Select { pattern, .. }
        | spargebra::Query::Ask { pattern, .. }
        | spargebra::Query::Describe { pattern, .. } => binder.pattern(pattern),
        spargebra::Query::Construct {
            template, pattern, ..
        } => {
            binder.pattern(pattern);
            for triple in template {
                binder.triple(triple);
            }
        }
    }
}

/// The variables the query assigns itself (`BIND(… AS ?v)`, `SELECT (… AS
/// ?v)`, an aggregate's `AS ?v`): a parameter among them would hold two
/// values, the caller's and the query's, and is refused by the named query.
pub fn assigned_variables(query: &spargebra::Query) -> Vec<Variable> {
    fn walk(pattern: &GraphPattern, out: &mut Vec<Variable>) {
        match pattern {
            GraphPattern::Extend {
                inner,
                variable,
                expression,
            } => {
                out.push(variable.clone());
                if let Expression::Exists(p) = expression {
                    walk(p, out);
                }
                walk(inner, out);
            }
            GraphPattern::Group {
                inner, aggregates, ..
            } => {
                out.extend(aggregates.iter().map(|(v, _)| v.clone()));
                walk(inner, out);
            }
            GraphPattern::Join { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right }
            | GraphPattern::LeftJoin { left, right, .. } => {
                walk(left, out);
                walk(right, out);
            }
            GraphPattern::Filter { inner, .. }
            | GraphPattern::Graph { inner, .. }
            | GraphPattern::Service { inner, .. }
            | GraphPattern::OrderBy { inner, .. }
            | GraphPattern::Project { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. } => walk(inner, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match query {
        spargebra::Query::Select { pattern, .. }
        | spargebra::Query::Ask { pattern, .. }
        | spargebra::Query::Describe { pattern, .. }
        | spargebra::Query::Construct { pattern, .. } => walk(pattern, &mut out),
    }
    out.sort();
    out.dedup();
    out
}

struct Binder<'a> {
    bindings: &'a [(Variable, Term)],
}

impl Binder<'_> {
    fn value(&self, variable: &Variable) -> Option<&Term> {
        self.bindings
            .iter()
            .find(|(v, _)| v == variable)
            .map(|(_, t)| t)
    }

    fn term(&self, pattern: &mut TermPattern) {
        if let TermPattern::Variable(v) = pattern {
            match self.value(v) {
                Some(Term::NamedNode(n)) => *pattern = TermPattern::NamedNode(n.clone()),
                Some(Term::Literal(l)) => *pattern = TermPattern::Literal(l.clone()),
                _ => {}
            }
        }
    }

    fn named_node(&self, pattern: &mut NamedNodePattern) {
        if let NamedNodePattern::Variable(v) = pattern {
            if let Some(Term::NamedNode(n)) = self.value(v) {
                *pattern = NamedNodePattern::NamedNode(n.clone());
            }
        }
    }

    fn triple(&self, triple: &mut TriplePattern) {
        self.term(&mut triple.subject);
        self.named_node(&mut triple.predicate);
        self.term(&mut triple.object);
    }

    fn constant(term: &Term) -> Option<Expression> {
        match term {
            Term::NamedNode(n) => Some(Expression::NamedNode(n.clone())),
            Term::Literal(l) => Some(Expression::Literal(l.clone())),
            _ => None,
        }
    }

    fn expression(&self, expression: &mut Expression) {
        match expression {
            Expression::Variable(v) => {
                if let Some(c) = self.value(v).and_then(Self::constant) {
                    *expression = c;
                }
            }
            Expression::Bound(v) => {
                if self.value(v).is_some() {
                    *expression = Expression::Literal(Literal::from(true));
                }
            }
            Expression::Exists(p) => self.pattern(p),
            other => {
                for e in crate::algebra::sub_expressions(other) {
                    self.expression(e);
                }
            }
        }
    }

    fn pattern(&self, pattern: &mut GraphPattern) {
        match pattern {
            GraphPattern::Bgp { patterns } => patterns.iter_mut().for_each(|t| self.triple(t)),
            GraphPattern::Path {
                subject, object, ..
            } => {
                self.term(subject);
                self.term(object);
            }
            GraphPattern::Join { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right } => {
                self.pattern(left);
                self.pattern(right);
            }
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => {
                self.pattern(left);
                self.pattern(right);
                if let Some(e) = expression {
                    self.expression(e);
                }
            }
            GraphPattern::Filter { expr, inner } => {
                self.expression(expr);
                self.pattern(inner);
            }
            GraphPattern::Graph { name, inner } | GraphPattern::Service { name, inner, .. } => {
                self.named_node(name);
                self.pattern(inner);
            }
            GraphPattern::Extend {
                inner, expression, ..
            } => {
                self.pattern(inner);
                self.expression(expression);
            }
            GraphPattern::Values {
                variables,
                bindings,
            } => self.values(variables, bindings),
            GraphPattern::OrderBy { inner, expression } => {
                self.pattern(inner);
                for order in expression {
                    match order {
                        OrderExpression::Asc(e) | OrderExpression::Desc(e) => self.expression(e),
                    }
                }
            }
            GraphPattern::Project { inner, variables } => {
                self.pattern(inner);
                // A projected parameter shows its value, unless the pattern
                // still binds it (a sub-query that projects it too, a
                // BIND): a second BIND of a variable in scope is no SPARQL,
                // and its text would not read back.
                let mut in_scope = Vec::new();
                inner.on_in_scope_variable(|v| in_scope.push(v.clone()));
                for variable in variables.iter().filter(|v| !in_scope.contains(v)) {
                    if let Some(c) = self.value(variable).and_then(Self::constant) {
                        let child = std::mem::replace(
                            inner.as_mut(),
                            GraphPattern::Bgp {
                                patterns: Vec::new(),
                            },
                        );
                        **inner = GraphPattern::Extend {
                            inner: Box::new(child),
                            variable: variable.clone(),
                            expression: c,
                        };
                    }
                }
            }
            GraphPattern::Group {
                inner,
                variables,
                aggregates,
            } => {
                self.pattern(inner);
                variables.retain(|v| self.value(v).is_none());
                for (_, aggregate) in aggregates {
                    if let AggregateExpression::FunctionCall { expr, .. } = aggregate {
                        self.expression(expr);
                    }
                }
            }
            GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. } => self.pattern(inner),
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }

    /// VALUES rows that disagree with a bound value go; the column goes.
    fn values(&self, variables: &mut Vec<Variable>, bindings: &mut Vec<Vec<Option<GroundTerm>>>) {
        let bound: Vec<(usize, &Term)> = variables
            .iter()
            .enumerate()
            .filter_map(|(i, v)| self.value(v).map(|t| (i, t)))
            .collect();
        if bound.is_empty() {
            return;
        }
        bindings.retain(|row| {
            bound.iter().all(|(i, term)| match &row[*i] {
                None => true,
                Some(GroundTerm::NamedNode(n)) => matches!(term, Term::NamedNode(t) if t == n),
                Some(GroundTerm::Literal(l)) => matches!(term, Term::Literal(t) if t == l),
                #[allow(unreachable_patterns)]
                Some(_) => false,
            })
        });
        for (i, _) in bound.iter().rev() {
            variables.remove(*i);
            for row in bindings.iter_mut() {
                row.remove(*i);
            }
        }
    }
}

/// For tests: the query text after binding.
pub fn bound_text(text: &str, bindings: &[(Variable, Term)]) -> String {
    let mut query = spargebra::SparqlParser::new()
        .parse_query(text)
        .expect("valid test query");
    substitute(&mut query, bindings);
    query.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNode;

    fn iri(s: &str) -> NamedNode {
        NamedNode::new_unchecked(s)
    }

    fn v(name: &str) -> Variable {
        Variable::new_unchecked(name)
    }

    #[test]
    fn substitutes_in_patterns_filters_and_subqueries() {
        let bound = bound_text(
            "SELECT ?x WHERE { ?x <http://e/p> ?place . FILTER(?place != ?x) { SELECT ?y WHERE { ?y <http://e/q> ?place } } }",
            &[(v("place"), iri("http://e/Daejeon").into())],
        );
        assert!(!bound.contains("?place"), "{bound}");
        assert_eq!(bound.matches("<http://e/Daejeon>").count(), 3, "{bound}");
    }

    #[test]
    fn a_value_is_one_term_whatever_it_holds() {
        let attack = r#"x") || true || ("x"#;
        let bound = bound_text(
            "SELECT ?e WHERE { ?e <http://e/label> ?l FILTER(STR(?l) = ?label) }",
            &[(v("label"), Literal::new_simple_literal(attack).into())],
        );
        assert!(bound.contains(r#""x\") || true || (\"x""#), "{bound}");
        assert!(!bound.contains("|| true ||)"), "{bound}");
    }

    #[test]
    fn projected_parameter_keeps_its_column() {
        let bound = bound_text(
            "SELECT ?place ?x WHERE { ?x <http://e/in> ?place }",
            &[(v("place"), iri("http://e/Seoul").into())],
        );
        assert!(bound.contains("AS ?place"), "{bound}");
    }

    /// The bound query's text reads back as the same query: what a remote
    /// store receives is what the local store runs.
    fn reads_back(bound: &str) {
        let again = spargebra::SparqlParser::new()
            .parse_query(bound)
            .unwrap_or_else(|e| panic!("{e}: {bound}"));
        assert_eq!(again.to_string(), bound);
    }

    #[test]
    fn a_parameter_projected_by_a_subquery_too_is_bound_once() {
        let bound = bound_text(
            "SELECT ?place WHERE { { SELECT ?place WHERE { ?x <http://e/in> ?place } } }",
            &[(v("place"), iri("http://e/Seoul").into())],
        );
        assert_eq!(bound.matches("AS ?place").count(), 1, "{bound}");
        reads_back(&bound);
    }

    #[test]
    fn values_rows_are_filtered() {
        let bound = bound_text(
            "SELECT ?x WHERE { VALUES (?x ?y) { (1 2) (3 4) } }",
            &[(v("y"), Literal::from(4).into())],
        );
        assert!(
            bound.contains("\"3\"^^") && !bound.contains("\"1\"^^"),
            "{bound}"
        );
        assert!(!bound.contains("?y"), "{bound}");
    }
}
