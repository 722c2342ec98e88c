//! Named queries (`queries/*.rq`): a comment header says what each asks and
//! which parameters it takes; parameters are bound as RDF terms.
//!
//! Header format (comment lines at the top of the file):
//!
//! ```text
//! # title: Who funds what, and how much
//! # description: Every funding, with funder, recipient, amounts and dates.
//! # param: funder entity optional -- restrict to one funder (name, acronym or IRI)
//! ```
//!
//! A parameter is the query variable of the same name; its value is
//! substituted into the query's algebra as an RDF term ([`crate::bind`]),
//! never pasted into the text. An optional parameter that is not given stays
//! a free variable, so write restrictions that hold both ways, e.g.
//! `FILTER(!BOUND(?funder) || ?fundedBy = ?funder)` (once bound,
//! `BOUND(?funder)` is true).
//!
//! Parameter types: `entity` (named as in `aikg explain`: label, acronym,
//! prefixed name or IRI), `iri`, `string`, `lang` (a French or English
//! text: matched as `"value"@fr`), `integer`, `decimal`, `date`,
//! `gYearMonth`, `gYear`.

use crate::error::{Error, Result};
use crate::kg::Kg;
use crate::query::Query;
use crate::resolve;
use crate::store::SourceFile;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, NamedNode, Term, Variable};
use std::path::Path;

/// The type of a parameter value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    Entity,
    /// A class of the ontology (`aikg:Goal`, "goal"): classes are
    /// vocabulary, not entities, so the search index does not hold them.
    Class,
    Iri,
    String,
    Integer,
    Decimal,
    Date,
    GYearMonth,
    GYear,
}

impl ParamType {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "entity" => Self::Entity,
            "class" => Self::Class,
            "iri" => Self::Iri,
            "string" => Self::String,
            "integer" => Self::Integer,
            "decimal" => Self::Decimal,
            "date" => Self::Date,
            "gYearMonth" => Self::GYearMonth,
            "gYear" => Self::GYear,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Entity => "entity",
            Self::Class => "class",
            Self::Iri => "iri",
            Self::String => "string",
            Self::Integer => "integer",
            Self::Decimal => "decimal",
            Self::Date => "date",
            Self::GYearMonth => "gYearMonth",
            Self::GYear => "gYear",
        }
    }

    fn example(self) -> &'static str {
        match self {
            Self::Entity => "MSIT, id:KAIST or a full IRI",
            Self::Class => "goal, aikg:Goal or a full IRI",
            Self::Iri => "https://w3id.org/aikg/id/ETRI or id:ETRI",
            Self::String => "any text",
            Self::Integer => "2024",
            Self::Decimal => "1000000.5",
            Self::Date => "2023-06-20",
            Self::GYearMonth => "2024-11",
            Self::GYear => "2025",
        }
    }
}

/// A declared parameter.
#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub kind: ParamType,
    pub optional: bool,
    pub description: String,
}

/// A query of `queries/`.
#[derive(Clone, Debug)]
pub struct NamedQuery {
    pub name: String,
    pub path: String,
    pub title: String,
    pub description: String,
    pub params: Vec<Param>,
    pub text: String,
}

impl NamedQuery {
    /// Reads the header of a named query file.
    pub fn parse(path: &str, text: &str) -> Result<Self> {
        let name = Path::new(path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(path)
            .to_string();
        let mut query = Self {
            name,
            path: path.to_string(),
            title: String::new(),
            description: String::new(),
            params: Vec::new(),
            text: text.to_string(),
        };
        for (number, line) in text.lines().enumerate() {
            let Some(comment) = line.trim_start().strip_prefix('#') else {
                if line.trim().is_empty() {
                    continue;
                }
                break;
            };
            let Some((key, value)) = comment.trim().split_once(':') else {
                continue;
            };
            let value = value.trim();
            match key.trim() {
                "title" => query.title = value.to_string(),
                "description" => {
                    if !query.description.is_empty() {
                        query.description.push(' ');
                    }
                    query.description.push_str(value);
                }
                "param" => query.params.push(parse_param(value).ok_or_else(|| {
                    Error::usage(
                        format!("{path}:{}: cannot read the parameter declaration `{value}`", number + 1),
                        "write `# param: NAME TYPE [optional] -- description`, TYPE one of entity, iri, string, integer, decimal, date, gYearMonth, gYear",
                    )
                })?),
                _ => {}
            }
        }
        if query.title.is_empty() {
            return Err(Error::usage(
                format!("{path}:1:1: the named query has no `# title:` line"),
                "start the file with `# title: ...`, `# description: ...` and one `# param: ...` line per parameter",
            ));
        }
        Ok(query)
    }

    /// Parses the query and binds `--param` values, checking names and types.
    pub fn bind(
        &self,
        store: &dyn Kg,
        values: &[(String, String)],
    ) -> Result<(Query, Vec<(Variable, Term)>)> {
        let query = Query::parse(&self.text, &self.path)?;
        let assigned = crate::bind::assigned_variables(query.algebra());
        if let Some(param) = self
            .params
            .iter()
            .find(|p| assigned.iter().any(|v| v.as_str() == p.name))
        {
            return Err(Error::usage(
                format!(
                    "{}: the query assigns its own parameter `?{}` (BIND or SELECT … AS ?{}): it would hold two values, the caller's and the query's",
                    self.path, param.name, param.name
                ),
                format!(
                    "rename the variable the query assigns, or drop the `# param: {}` line",
                    param.name
                ),
            ));
        }
        for (name, _) in values {
            if !self.params.iter().any(|p| &p.name == name) {
                return Err(Error::usage(
                    format!("the query `{}` has no parameter `{name}`", self.name),
                    self.params_hint(),
                ));
            }
        }
        let mut bindings = Vec::new();
        for param in &self.params {
            let given: Vec<&String> = values
                .iter()
                .filter(|(n, _)| n == &param.name)
                .map(|(_, v)| v)
                .collect();
            match given.as_slice() {
                [] if param.optional => {}
                [] => {
                    return Err(Error::usage(
                        format!(
                            "the query `{}` needs the parameter `{}` ({})",
                            self.name, param.name, param.description
                        ),
                        format!(
                            "add `--param {}=VALUE`, VALUE a {} (e.g. {})",
                            param.name,
                            param.kind.name(),
                            param.kind.example()
                        ),
                    ))
                }
                [value] => {
                    let term = to_term(store, param, value)?;
                    bindings.push((Variable::new_unchecked(param.name.clone()), term));
                }
                _ => {
                    return Err(Error::usage(
                        format!("the parameter `{}` is given more than once", param.name),
                        "give each parameter once",
                    ))
                }
            }
        }
        Ok((query, bindings))
    }

    fn params_hint(&self) -> String {
        if self.params.is_empty() {
            format!("`{}` takes no parameters", self.name)
        } else {
            format!(
                "its parameters: {}",
                self.params
                    .iter()
                    .map(|p| format!("{} ({})", p.name, p.kind.name()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}

fn parse_param(spec: &str) -> Option<Param> {
    let (head, description) = match spec.split_once("--") {
        Some((head, description)) => (head, description.trim().to_string()),
        None => (spec, String::new()),
    };
    let mut words = head.split_whitespace();
    let name = words.next()?.trim_start_matches('?').to_string();
    let kind = ParamType::from_name(words.next()?)?;
    let optional = match words.next() {
        None => false,
        Some("optional") => true,
        Some(_) => return None,
    };
    Some(Param {
        name,
        kind,
        optional,
        description,
    })
}

/// Turns a parameter value into an RDF term of the declared type; a value
/// that is not of its type is an error, so nothing unchecked reaches the query.
fn to_term(store: &dyn Kg, param: &Param, value: &str) -> Result<Term> {
    let ill_typed = |why: &str| {
        Error::usage(
            format!(
                "--param {}={value:?}: not a valid {} ({why})",
                param.name,
                param.kind.name()
            ),
            format!(
                "give a {}, e.g. {}",
                param.kind.name(),
                param.kind.example()
            ),
        )
    };
    let typed = |datatype: oxigraph::model::NamedNodeRef<'_>| -> Result<Term> {
        let literal = Literal::new_typed_literal(value, datatype);
        // oxigraph only knows a typed literal is valid by parsing it.
        let valid = match param.kind {
            ParamType::Integer => value.parse::<i64>().is_ok(),
            ParamType::Decimal => oxsdatatypes_valid_decimal(value),
            ParamType::Date => valid_date(value, 3),
            ParamType::GYearMonth => valid_date(value, 2),
            ParamType::GYear => valid_date(value, 1),
            _ => true,
        };
        if valid {
            Ok(literal.into())
        } else {
            Err(ill_typed("wrong lexical form"))
        }
    };
    match param.kind {
        ParamType::Entity => Ok(resolve::resolve(store, value)?.iri.into()),
        // Among the classes on a local store, so that a misspelt kind is
        // answered with the nearest classes, not with entities; a remote
        // store through the resolver, which names classes by the ontology's
        // labels too.
        ParamType::Class => match store.as_store() {
            Some(local) => {
                let classes = crate::search::classes_named(local, value)?;
                match classes.as_slice() {
                    [one] => Ok(NamedNode::new_unchecked(one.as_str()).into()),
                    many => Err(Error::usage(
                        format!("{value:?} names {} classes", many.len()),
                        format!(
                            "name one of them: {}",
                            many.iter()
                                .map(|c| crate::namespaces::compact(c).unwrap_or_else(|| c.clone()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )),
                }
            }
            None => Ok(resolve::resolve(store, value)?.iri.into()),
        },
        ParamType::Iri => {
            let iri = crate::namespaces::expand(value)
                .filter(|_| !value.contains("://"))
                .unwrap_or_else(|| {
                    value
                        .trim_start_matches('<')
                        .trim_end_matches('>')
                        .to_string()
                });
            NamedNode::new(iri)
                .map(Term::from)
                .map_err(|e| ill_typed(&e.to_string()))
        }
        ParamType::String => Ok(Literal::new_simple_literal(value).into()),
        ParamType::Integer => typed(xsd::INTEGER),
        ParamType::Decimal => typed(xsd::DECIMAL),
        ParamType::Date => typed(xsd::DATE),
        ParamType::GYearMonth => typed(xsd::G_YEAR_MONTH),
        ParamType::GYear => typed(xsd::G_YEAR),
    }
}

fn oxsdatatypes_valid_decimal(value: &str) -> bool {
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    !(int.is_empty() && frac.is_empty())
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit())
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with `parts` parts and valid ranges.
fn valid_date(value: &str, parts: usize) -> bool {
    let fields: Vec<&str> = value.split('-').collect();
    if fields.len() != parts
        || fields[0].len() != 4
        || fields
            .iter()
            .any(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()))
    {
        return false;
    }
    let month_ok = parts < 2
        || (fields[1].len() == 2 && (1..=12).contains(&fields[1].parse::<u32>().unwrap_or(0)));
    let day_ok = parts < 3 || {
        let year: u32 = fields[0].parse().unwrap_or(0);
        let month: u32 = fields[1].parse().unwrap_or(0);
        let day: u32 = fields[2].parse().unwrap_or(0);
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        fields[2].len() == 2 && (1..=days).contains(&day)
    };
    month_ok && day_ok
}

/// All named queries of the given files, sorted by name.
pub fn all(files: &[SourceFile]) -> Result<Vec<NamedQuery>> {
    let mut queries = files
        .iter()
        .map(|f| {
            let text = std::str::from_utf8(&f.bytes).map_err(|_| {
                Error::usage(format!("{}: not UTF-8", f.path), "save the query as UTF-8")
            })?;
            NamedQuery::parse(&f.path, text)
        })
        .collect::<Result<Vec<_>>>()?;
    queries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(queries)
}

/// Finds a named query by name, or says which names exist.
pub fn find(files: &[SourceFile], name: &str) -> Result<NamedQuery> {
    let queries = all(files)?;
    if let Some(q) = queries.iter().find(|q| q.name == name) {
        return Ok(q.clone());
    }
    let close: Vec<&str> = queries
        .iter()
        .filter(|q| {
            q.name.contains(name) || name.contains(&q.name) || edit_distance(&q.name, name) <= 3
        })
        .map(|q| q.name.as_str())
        .collect();
    let hint = if close.is_empty() {
        "`aikg query --list` lists the named queries".to_string()
    } else {
        format!(
            "did you mean {}? (`aikg query --list` lists them all)",
            close.join(", ")
        )
    };
    Err(Error::usage(format!("no named query `{name}`"), hint))
}

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_read() {
        let q = NamedQuery::parse(
            "queries/funders.rq",
            "# title: Funders\n# description: who funds\n# param: funder entity optional -- the funder\n# param: year gYear\nSELECT * { ?s ?p ?o }",
        )
        .unwrap();
        assert_eq!(q.name, "funders");
        assert_eq!(q.title, "Funders");
        assert_eq!(q.params.len(), 2);
        assert!(q.params[0].optional);
        assert_eq!(q.params[1].kind, ParamType::GYear);
    }

    #[test]
    fn a_query_that_assigns_its_own_parameter_is_refused() {
        // Bound by the caller and by the query, `?year` would hold two
        // values: the substituted patterns use one, the column the other.
        let store = oxigraph::store::Store::new().unwrap();
        for (body, param) in [
            (
                "SELECT ?year WHERE { ?s ?p ?o BIND(2020 AS ?year) }",
                "year",
            ),
            ("SELECT (YEAR(NOW()) AS ?year) WHERE { ?s ?p ?o }", "year"),
            (
                "SELECT ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } } }",
                "n",
            ),
        ] {
            let kind = if param == "n" { "integer" } else { "gYear" };
            let q = NamedQuery::parse(
                "queries/q.rq",
                &format!("# title: Q\n# param: {param} {kind} -- x\n{body}"),
            )
            .unwrap();
            let value = if param == "n" { "3" } else { "2024" };
            let error = q
                .bind(&store, &[(param.to_string(), value.to_string())])
                .unwrap_err()
                .to_string();
            assert!(
                error.contains(&format!("assigns its own parameter `?{param}`")),
                "{body}: {error}"
            );
        }
        // Read, compared or projected only: bound as always.
        let q = NamedQuery::parse(
            "queries/q.rq",
            "# title: Q\n# param: year gYear -- x\nSELECT ?year ?y WHERE { ?s ?p ?o BIND(?year AS ?y) }",
        )
        .unwrap();
        assert!(q.bind(&store, &[("year".into(), "2024".into())]).is_ok());
    }

    #[test]
    fn dates_are_checked() {
        assert!(valid_date("2024-02-29", 3));
        assert!(!valid_date("2023-02-29", 3));
        assert!(!valid_date("2023-13", 2));
        assert!(valid_date("2023-06", 2));
        assert!(!valid_date("23", 1));
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("funders", "funder"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
    }
}
