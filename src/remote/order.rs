//! Rows in the order SPARQL defines, whatever the store's sorting. Virtuoso
//! compares strings of more than 20 characters by their first 20 only in
//! `ORDER BY` (virtuoso-opensource issue 672): long labels come out of
//! order, and a `LIMIT` after the `ORDER BY` keeps the wrong rows. So the
//! `ORDER BY` (and the `LIMIT`/`OFFSET` that follows it) of a SELECT is
//! taken off the query sent, and applied to the rows by oxigraph's own
//! evaluator, as on the local store.

use crate::error::{Error, Result};
use oxigraph::model::{BlankNode, NamedNode, Term, Variable};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use spargebra::algebra::{Expression, GraphPattern, OrderExpression};
use spargebra::term::GroundTerm;

/// The ordering of a query, applied to its rows by aikg.
#[derive(Clone, Debug)]
pub struct Order {
    expressions: Vec<OrderExpression>,
    start: usize,
    length: Option<usize>,
}

/// Takes the `ORDER BY` (and the slice after it) off a SELECT query whose
/// order keys are projected variables; None (the query unchanged) if it
/// has none, or orders by what it does not project.
pub fn take_order(query: &mut spargebra::Query) -> Option<Order> {
    let spargebra::Query::Select { pattern, .. } = query else {
        return None;
    };
    // Slice? (Distinct | Reduced)? Project(OrderBy(inner))
    let (slice, rest) = match &*pattern {
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => (Some((*start, *length)), inner.as_ref()),
        other => (None, other),
    };
    let project = match rest {
        GraphPattern::Distinct { inner } | GraphPattern::Reduced { inner } => inner.as_ref(),
        other => other,
    };
    let GraphPattern::Project { inner, variables } = project else {
        return None;
    };
    // (A parameter bound by aikg is a constant column: an Extend above.)
    let mut ordered = inner.as_ref();
    while let GraphPattern::Extend { inner, .. } = ordered {
        ordered = inner;
    }
    let GraphPattern::OrderBy { expression, .. } = ordered else {
        return None;
    };
    let mut used = Vec::new();
    for e in expression {
        match e {
            OrderExpression::Asc(e) | OrderExpression::Desc(e) => variables_of(e, &mut used),
        }
    }
    if used.iter().any(|v| !variables.contains(v)) {
        return None;
    }
    let order = Order {
        expressions: expression.clone(),
        start: slice.map_or(0, |(s, _)| s),
        length: slice.and_then(|(_, l)| l),
    };
    if let GraphPattern::Slice { inner, .. } = pattern {
        *pattern = take(inner);
    }
    strip_order(pattern);
    Some(order)
}

fn take(pattern: &mut GraphPattern) -> GraphPattern {
    std::mem::replace(
        pattern,
        GraphPattern::Bgp {
            patterns: Vec::new(),
        },
    )
}

/// Replaces the OrderBy under the projection (and its constant columns)
/// by what it orders.
fn strip_order(pattern: &mut GraphPattern) {
    match pattern {
        GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Extend { inner, .. } => {
            if let GraphPattern::OrderBy { inner: ordered, .. } = inner.as_mut() {
                let unordered = take(ordered);
                **inner = unordered;
            } else {
                strip_order(inner);
            }
        }
        _ => {}
    }
}

fn variables_of(e: &Expression, out: &mut Vec<Variable>) {
    match e {
        Expression::Variable(v) | Expression::Bound(v) => out.push(v.clone()),
        // EXISTS reads the graph, which the rows alone cannot answer.
        Expression::Exists(_) => out.push(Variable::new_unchecked("aikg-exists")),
        _ => {
            let mut copy = e.clone();
            for sub in crate::algebra::sub_expressions(&mut copy) {
                variables_of(sub, out);
            }
        }
    }
}

/// Blank nodes stand in VALUES as IRIs of this prefix.
const BLANK: &str = "urn:aikg:blank:";

fn ground(term: Term) -> Option<GroundTerm> {
    match term {
        Term::NamedNode(n) => Some(GroundTerm::NamedNode(n)),
        Term::Literal(l) => Some(GroundTerm::Literal(l)),
        Term::BlankNode(b) => Some(GroundTerm::NamedNode(NamedNode::new_unchecked(format!(
            "{BLANK}{}",
            b.as_str()
        )))),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

fn unground(term: Term) -> Term {
    match term {
        Term::NamedNode(n) => match n.as_str().strip_prefix(BLANK) {
            Some(id) => BlankNode::new_unchecked(id).into(),
            None => n.into(),
        },
        other => other,
    }
}

/// The rows sorted by `order`, sliced as the query says.
pub fn apply(
    order: &Order,
    variables: &[Variable],
    rows: Vec<super::protocol::Row>,
) -> Result<Vec<super::protocol::Row>> {
    let values = GraphPattern::Values {
        variables: variables.to_vec(),
        bindings: rows
            .into_iter()
            .map(|row| row.into_iter().map(|t| t.and_then(ground)).collect())
            .collect(),
    };
    let mut pattern = GraphPattern::Project {
        inner: Box::new(GraphPattern::OrderBy {
            inner: Box::new(values),
            expression: order.expressions.clone(),
        }),
        variables: variables.to_vec(),
    };
    if order.start > 0 || order.length.is_some() {
        pattern = GraphPattern::Slice {
            inner: Box::new(pattern),
            start: order.start,
            length: order.length,
        };
    }
    let query = spargebra::Query::Select {
        dataset: None,
        pattern,
        base_iri: None,
    };
    let failed =
        |e: &dyn std::fmt::Display| Error::QueryEvaluation(format!("sorting the rows: {e}"));
    let store = oxigraph::store::Store::new()?;
    let QueryResults::Solutions(solutions) = SparqlEvaluator::new()
        .for_query(query)
        .on_store(&store)
        .execute()
        .map_err(|e| failed(&e))?
    else {
        return Err(failed(&"not solutions"));
    };
    let mut out = Vec::new();
    for solution in solutions {
        let solution = solution.map_err(|e| failed(&e))?;
        out.push(
            variables
                .iter()
                .map(|v| solution.get(v).cloned().map(unground))
                .collect(),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;

    #[test]
    fn long_strings_are_sorted_whole_and_the_slice_applied_after() {
        let mut q = spargebra::SparqlParser::new()
            .parse_query("SELECT DISTINCT ?l WHERE { ?s <http://e/l> ?l } ORDER BY ?l LIMIT 2")
            .unwrap();
        let order = take_order(&mut q).unwrap();
        let sent = q.to_string();
        assert!(
            !sent.contains("ORDER BY") && !sent.contains("LIMIT"),
            "{sent}"
        );
        let row = |s: &str| {
            vec![Some(Term::from(
                Literal::new_language_tagged_literal_unchecked(s, "en"),
            ))]
        };
        let rows = vec![
            row("Artificial Intelligence Research Center"),
            row("Artificial Intelligence Institute"),
            row("Artificial Intelligence Computing Research Laboratory"),
        ];
        let sorted = apply(&order, &[Variable::new_unchecked("l")], rows).unwrap();
        assert_eq!(
            sorted,
            vec![
                row("Artificial Intelligence Computing Research Laboratory"),
                row("Artificial Intelligence Institute"),
            ]
        );
    }

    #[test]
    fn orders_by_what_is_not_projected_are_left_to_the_store() {
        let mut q = spargebra::SparqlParser::new()
            .parse_query("SELECT ?s WHERE { ?s <http://e/l> ?l } ORDER BY ?l")
            .unwrap();
        assert!(take_order(&mut q).is_none());
        assert!(q.to_string().contains("ORDER BY"));
    }
}
