//! Literal values: is a lexical form valid for its XSD datatype, and how two
//! literals compare (the SPARQL `<` operator, which SHACL's value range and
//! `sh:lessThan` constraints use).

use oxigraph::model::{LiteralRef, TermRef};
use oxsdatatypes::{
    Boolean, Date, DateTime, DayTimeDuration, Decimal, Double, Duration, Float, GDay, GMonth,
    GMonthDay, GYear, GYearMonth, Time, YearMonthDuration,
};
use std::cmp::Ordering;
use std::str::FromStr;

pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const RDF_LANGSTRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

/// Is `value` a valid lexical form of `datatype`? Datatypes aikg does not
/// know are taken as valid.
pub fn is_valid_lexical(value: &str, datatype: &str) -> bool {
    let Some(local) = datatype.strip_prefix(XSD) else {
        return true;
    };
    match local {
        "string" | "anyURI" | "normalizedString" | "token" | "NMTOKEN" | "Name" | "NCName"
        | "base64Binary" => true,
        "boolean" => matches!(value, "true" | "false" | "1" | "0"),
        "decimal" => is_decimal(value),
        "integer" => is_integer(value),
        "long" => integer_in(value, i64::MIN as i128, i64::MAX as i128),
        "int" => integer_in(value, i32::MIN as i128, i32::MAX as i128),
        "short" => integer_in(value, i16::MIN as i128, i16::MAX as i128),
        "byte" => integer_in(value, i8::MIN as i128, i8::MAX as i128),
        "nonNegativeInteger" => integer_sign(value, |s| s >= 0),
        "positiveInteger" => integer_sign(value, |s| s > 0),
        "nonPositiveInteger" => integer_sign(value, |s| s <= 0),
        "negativeInteger" => integer_sign(value, |s| s < 0),
        "unsignedLong" => integer_in(value, 0, u64::MAX as i128),
        "unsignedInt" => integer_in(value, 0, u32::MAX as i128),
        "unsignedShort" => integer_in(value, 0, u16::MAX as i128),
        "unsignedByte" => integer_in(value, 0, u8::MAX as i128),
        "float" => is_float(value),
        "double" => is_float(value),
        "date" => Date::from_str(value).is_ok(),
        "dateTime" => DateTime::from_str(value).is_ok(),
        "dateTimeStamp" => DateTime::from_str(value).is_ok_and(|d| d.timezone().is_some()),
        "time" => Time::from_str(value).is_ok(),
        "gYear" => GYear::from_str(value).is_ok(),
        "gYearMonth" => GYearMonth::from_str(value).is_ok(),
        "gMonth" => GMonth::from_str(value).is_ok(),
        "gDay" => GDay::from_str(value).is_ok(),
        "gMonthDay" => GMonthDay::from_str(value).is_ok(),
        "duration" => Duration::from_str(value).is_ok(),
        "yearMonthDuration" => YearMonthDuration::from_str(value).is_ok(),
        "dayTimeDuration" => DayTimeDuration::from_str(value).is_ok(),
        "hexBinary" => {
            value.len().is_multiple_of(2) && value.bytes().all(|b| b.is_ascii_hexdigit())
        }
        "language" => is_language_tag(value),
        _ => true,
    }
}

/// The XSD datatypes whose lexical forms [`is_valid_lexical`] checks.
pub fn is_checked_datatype(datatype: &str) -> bool {
    datatype.strip_prefix(XSD).is_some_and(|l| {
        !matches!(
            l,
            "string"
                | "anyURI"
                | "normalizedString"
                | "token"
                | "NMTOKEN"
                | "Name"
                | "NCName"
                | "base64Binary"
        ) && !is_valid_lexical("\u{1}", datatype)
    })
}

/// The types derived from xsd:decimal by restriction (for range checks such as
/// "aikg:value has range xsd:decimal": an xsd:integer is a decimal).
pub fn is_derived_from(datatype: &str, base: &str) -> bool {
    if datatype == base {
        return true;
    }
    let (Some(d), Some(b)) = (datatype.strip_prefix(XSD), base.strip_prefix(XSD)) else {
        return false;
    };
    let integers = [
        "integer",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ];
    match b {
        "decimal" => integers.contains(&d),
        "integer" => integers.contains(&d),
        "string" => matches!(
            d,
            "normalizedString" | "token" | "language" | "NMTOKEN" | "Name" | "NCName"
        ),
        "dateTime" => d == "dateTimeStamp",
        "duration" => matches!(d, "yearMonthDuration" | "dayTimeDuration"),
        _ => false,
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn unsign(value: &str) -> (i8, &str) {
    if let Some(r) = value.strip_prefix('-') {
        (-1, r)
    } else if let Some(r) = value.strip_prefix('+') {
        (1, r)
    } else {
        (1, value)
    }
}

fn is_integer(value: &str) -> bool {
    digits(unsign(value).1)
}

fn integer_sign(value: &str, ok: impl Fn(i8) -> bool) -> bool {
    if !is_integer(value) {
        return false;
    }
    let (sign, d) = unsign(value);
    let zero = d.bytes().all(|b| b == b'0');
    ok(if zero { 0 } else { sign })
}

fn integer_in(value: &str, min: i128, max: i128) -> bool {
    is_integer(value) && i128::from_str(value).is_ok_and(|v| (min..=max).contains(&v))
}

fn is_decimal(value: &str) -> bool {
    let (_, rest) = unsign(value);
    match rest.split_once('.') {
        Some((a, b)) => {
            (a.is_empty() || digits(a))
                && (b.is_empty() || digits(b))
                && !(a.is_empty() && b.is_empty())
        }
        None => digits(rest),
    }
}

fn is_float(value: &str) -> bool {
    if matches!(value, "INF" | "+INF" | "-INF" | "NaN") {
        return true;
    }
    let (mantissa, exponent) = match value.find(['e', 'E']) {
        Some(i) => (&value[..i], Some(&value[i + 1..])),
        None => (value, None),
    };
    is_decimal(mantissa) && exponent.is_none_or(is_integer)
}

fn is_language_tag(value: &str) -> bool {
    let mut parts = value.split('-');
    let first = parts.next().unwrap_or("");
    (1..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A literal's value, for comparisons.
#[derive(Debug, Clone, Copy)]
enum Value {
    Decimal(Decimal),
    Double(f64),
    String,
    Boolean(bool),
    DateTime(DateTime),
    Date(Date),
    Time(Time),
    GYear(GYear),
    GYearMonth(GYearMonth),
    Duration(Duration),
}

fn value_of(literal: LiteralRef<'_>) -> Option<Value> {
    let value = literal.value();
    let datatype = literal.datatype().as_str();
    if literal.language().is_some() {
        return None;
    }
    let local = datatype.strip_prefix(XSD)?;
    if !is_valid_lexical(value, datatype) {
        return None;
    }
    Some(match local {
        "string" => Value::String,
        "boolean" => Value::Boolean(Boolean::from_str(value).ok()?.into()),
        "float" => Value::Double(f64::from(Double::from(Float::from_str(value).ok()?))),
        "double" => Value::Double(f64::from(Double::from_str(value).ok()?)),
        l if is_derived_from(&format!("{XSD}{l}"), &format!("{XSD}decimal")) || l == "decimal" => {
            match Decimal::from_str(value.trim_start_matches('+')) {
                Ok(d) => Value::Decimal(d),
                Err(_) => Value::Double(value.parse::<f64>().ok()?),
            }
        }
        "dateTime" | "dateTimeStamp" => Value::DateTime(DateTime::from_str(value).ok()?),
        "date" => Value::Date(Date::from_str(value).ok()?),
        "time" => Value::Time(Time::from_str(value).ok()?),
        "gYear" => Value::GYear(GYear::from_str(value).ok()?),
        "gYearMonth" => Value::GYearMonth(GYearMonth::from_str(value).ok()?),
        "duration" | "yearMonthDuration" | "dayTimeDuration" => {
            Value::Duration(Duration::from_str(value).ok()?)
        }
        _ => return None,
    })
}

fn decimal_to_f64(d: Decimal) -> f64 {
    f64::from(Double::from(d))
}

/// `a` compared with `b` as SPARQL's `<`, `=`, `>` do; `None` when they are
/// not comparable (different kinds of values, an ill-typed literal, a blank
/// node or IRI, a dateTime with and one without a time zone too close to
/// tell).
pub fn compare(a: TermRef<'_>, b: TermRef<'_>) -> Option<Ordering> {
    let (TermRef::Literal(a), TermRef::Literal(b)) = (a, b) else {
        return None;
    };
    match (value_of(a)?, value_of(b)?) {
        (Value::Decimal(x), Value::Decimal(y)) => Some(x.cmp(&y)),
        (Value::Decimal(x), Value::Double(y)) => decimal_to_f64(x).partial_cmp(&y),
        (Value::Double(x), Value::Decimal(y)) => x.partial_cmp(&decimal_to_f64(y)),
        (Value::Double(x), Value::Double(y)) => x.partial_cmp(&y),
        (Value::String, Value::String) => Some(a.value().cmp(b.value())),
        (Value::Boolean(x), Value::Boolean(y)) => Some(x.cmp(&y)),
        (Value::DateTime(x), Value::DateTime(y)) => x.partial_cmp(&y),
        (Value::Date(x), Value::Date(y)) => x.partial_cmp(&y),
        (Value::Time(x), Value::Time(y)) => x.partial_cmp(&y),
        (Value::GYear(x), Value::GYear(y)) => x.partial_cmp(&y),
        (Value::GYearMonth(x), Value::GYearMonth(y)) => x.partial_cmp(&y),
        (Value::Duration(x), Value::Duration(y)) => x.partial_cmp(&y),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn typed(v: &str, t: &str) -> Literal {
        Literal::new_typed_literal(v, NamedNode::new_unchecked(format!("{XSD}{t}")))
    }

    #[test]
    fn lexical_forms() {
        assert!(is_valid_lexical("2023-12", &format!("{XSD}gYearMonth")));
        assert!(!is_valid_lexical("2023-13", &format!("{XSD}gYearMonth")));
        assert!(!is_valid_lexical("2023-02-30", &format!("{XSD}date")));
        assert!(is_valid_lexical("-1.5", &format!("{XSD}decimal")));
        assert!(!is_valid_lexical("1,5", &format!("{XSD}decimal")));
        assert!(!is_valid_lexical("1.5", &format!("{XSD}integer")));
        assert!(!is_valid_lexical("300", &format!("{XSD}byte")));
        assert!(!is_valid_lexical("yes", &format!("{XSD}boolean")));
        assert!(is_valid_lexical("1e10", &format!("{XSD}double")));
        assert!(is_checked_datatype(&format!("{XSD}gYear")));
        assert!(!is_checked_datatype(&format!("{XSD}string")));
    }

    #[test]
    fn comparisons() {
        let cmp = |a: &Literal, b: &Literal| compare(a.as_ref().into(), b.as_ref().into());
        assert_eq!(
            cmp(&typed("10", "integer"), &typed("9.5", "decimal")),
            Some(Ordering::Greater)
        );
        assert_eq!(
            cmp(&typed("1", "integer"), &typed("1.0", "double")),
            Some(Ordering::Equal)
        );
        assert_eq!(
            cmp(&typed("2020", "gYear"), &typed("2021", "gYear")),
            Some(Ordering::Less)
        );
        assert_eq!(cmp(&typed("2020", "gYear"), &typed("1", "integer")), None);
        assert_eq!(cmp(&typed("abc", "integer"), &typed("1", "integer")), None);
        assert_eq!(
            cmp(
                &typed("2002-10-10T12:00:00-05:00", "dateTime"),
                &typed("2002-10-10T12:00:00", "dateTime")
            ),
            None
        );
    }
}
