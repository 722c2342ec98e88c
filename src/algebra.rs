//! Walking spargebra's algebra: what the parameter binder (`bind.rs`) and
//! the remote rewriter (`remote/rewrite.rs`, `remote/order.rs`) share.

use spargebra::algebra::Expression;

/// The operands of an expression (none for EXISTS, whose pattern is not
/// an expression).
pub fn sub_expressions(expression: &mut Expression) -> Vec<&mut Expression> {
    match expression {
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => vec![a, b],
        Expression::In(a, list) => std::iter::once(&mut **a).chain(list.iter_mut()).collect(),
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => vec![a],
        Expression::If(a, b, c) => vec![a, b, c],
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => list.iter_mut().collect(),
        Expression::Exists(_)
        | Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_) => Vec::new(),
    }
}
