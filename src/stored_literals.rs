//! What a persistent store does to typed literals: oxigraph keeps numbers,
//! booleans, dates and durations as values, so it reads them back in
//! canonical form (`"3.6E3"^^xsd:double` as `"3600"`, `"05"^^xsd:int` as
//! `"5"^^xsd:integer`), and keeps a literal that is not valid for its
//! datatype (`"abc"^^xsd:integer`) as written, never as a value. `aikg load`
//! counts both and says so, rather than changing the user's data unseen.
//!
//! The list of datatypes and the parsers mirror oxigraph's storage encoder
//! (`oxigraph::storage::numeric_encoder`, `EncodedTerm::from(LiteralRef)`).

use oxigraph::model::{Literal, LiteralRef};
use oxsdatatypes::{
    Boolean, Date, DateTime, DayTimeDuration, Decimal, Double, Duration, Float, GDay, GMonth,
    GMonthDay, GYear, GYearMonth, Integer, Time, YearMonthDuration,
};
use std::str::FromStr;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// The literal as the store keeps it, if the store keeps it as a value.
pub fn stored_form(literal: LiteralRef<'_>) -> Option<Literal> {
    let value = literal.value();
    let local = literal.datatype().as_str().strip_prefix(XSD)?;
    fn parse<T: FromStr + Into<Literal>>(value: &str) -> Option<Literal> {
        T::from_str(value).ok().map(Into::into)
    }
    match local {
        "boolean" => parse::<Boolean>(value),
        "float" => parse::<Float>(value),
        "double" => parse::<Double>(value),
        "integer" | "byte" | "short" | "int" | "long" | "unsignedByte" | "unsignedShort"
        | "unsignedInt" | "unsignedLong" | "positiveInteger" | "negativeInteger"
        | "nonPositiveInteger" | "nonNegativeInteger" => parse::<Integer>(value),
        "decimal" => parse::<Decimal>(value),
        "dateTime" | "dateTimeStamp" => parse::<DateTime>(value),
        "time" => parse::<Time>(value),
        "date" => parse::<Date>(value),
        "gYearMonth" => parse::<GYearMonth>(value),
        "gYear" => parse::<GYear>(value),
        "gMonthDay" => parse::<GMonthDay>(value),
        "gDay" => parse::<GDay>(value),
        "gMonth" => parse::<GMonth>(value),
        "duration" => parse::<Duration>(value),
        "yearMonthDuration" => parse::<YearMonthDuration>(value),
        "dayTimeDuration" => parse::<DayTimeDuration>(value),
        _ => None,
    }
}

/// What a load's literals will look like in the store.
#[derive(Clone, Debug, Default)]
pub struct LiteralNotes {
    /// Literals the store keeps in another form, and the first (as written,
    /// as kept).
    pub rewritten: u64,
    pub first_rewritten: Option<(Literal, Literal)>,
    /// Literals not valid for their datatype (kept as written), and the first.
    pub ill_typed: u64,
    pub first_ill_typed: Option<Literal>,
}

impl LiteralNotes {
    pub fn see(&mut self, literal: LiteralRef<'_>) {
        let datatype = literal.datatype().as_str();
        if !datatype.starts_with(XSD) {
            return;
        }
        if crate::shacl::values::is_checked_datatype(datatype)
            && !crate::shacl::values::is_valid_lexical(literal.value(), datatype)
        {
            self.ill_typed += 1;
            self.first_ill_typed
                .get_or_insert_with(|| literal.into_owned());
            return;
        }
        if let Some(kept) = stored_form(literal) {
            if kept.as_ref() != literal {
                self.rewritten += 1;
                self.first_rewritten
                    .get_or_insert_with(|| (literal.into_owned(), kept));
            }
        }
    }

    /// The lines `aikg load` prints on stderr (none when nothing happened).
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some((written, kept)) = &self.first_rewritten {
            let (literals, values) = if self.rewritten == 1 {
                ("literal", "a value")
            } else {
                ("literals", "values")
            };
            lines.push(format!(
                "note: {} {literals} kept by the store as {values}, read back in canonical form (e.g. {written} as {kept}); `aikg validate FILE` sees them as written",
                self.rewritten,
            ));
        }
        if let Some(literal) = &self.first_ill_typed {
            lines.push(format!(
                "warning: {} literal{} not valid for {} datatype (e.g. {}): stored as written, never compared as {}; `aikg validate FILE` reports each with its position",
                self.ill_typed,
                if self.ill_typed == 1 { " is" } else { "s are" },
                if self.ill_typed == 1 { "its" } else { "their" },
                crate::source::printable(&literal.to_string()),
                if self.ill_typed == 1 { "a value" } else { "values" },
            ));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNode;

    fn typed(value: &str, local: &str) -> Literal {
        Literal::new_typed_literal(value, NamedNode::new_unchecked(format!("{XSD}{local}")))
    }

    #[test]
    fn canonical_forms_and_ill_typed_literals_are_counted() {
        let mut notes = LiteralNotes::default();
        for literal in [
            typed("3.6E3", "double"),       // kept as a value: another form
            typed("05", "int"),             // xsd:integer, "5"
            typed("5", "integer"),          // already canonical
            typed("abc", "integer"),        // not an integer
            typed("2024-13", "gYearMonth"), // no 13th month
            Literal::new_simple_literal("x"),
        ] {
            notes.see(literal.as_ref());
        }
        assert_eq!(notes.rewritten, 2, "{notes:?}");
        assert_eq!(notes.ill_typed, 2, "{notes:?}");
        let (written, kept) = notes.first_rewritten.clone().unwrap();
        assert_eq!(written, typed("3.6E3", "double"));
        assert_eq!(kept.datatype().as_str(), format!("{XSD}double"));
        assert_eq!(
            stored_form(typed("05", "int").as_ref()),
            Some(typed("5", "integer"))
        );
    }
}
