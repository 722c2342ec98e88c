//! The SHACL vocabulary, and short names for IRIs in messages.

pub mod sh {
    pub const NS: &str = "http://www.w3.org/ns/shacl#";
    macro_rules! terms {
        ($($name:ident = $local:literal),* $(,)?) => {
            $(pub const $name: &str = concat!("http://www.w3.org/ns/shacl#", $local);)*
        };
    }
    terms! {
        NODE_SHAPE = "NodeShape", PROPERTY_SHAPE = "PropertyShape", SHAPE = "Shape",
        TARGET_CLASS = "targetClass", TARGET_NODE = "targetNode",
        TARGET_SUBJECTS_OF = "targetSubjectsOf", TARGET_OBJECTS_OF = "targetObjectsOf",
        PATH = "path", ALTERNATIVE_PATH = "alternativePath", INVERSE_PATH = "inversePath",
        ZERO_OR_MORE_PATH = "zeroOrMorePath", ONE_OR_MORE_PATH = "oneOrMorePath", ZERO_OR_ONE_PATH = "zeroOrOnePath",
        DEACTIVATED = "deactivated", SEVERITY = "severity", MESSAGE = "message",
        VIOLATION = "Violation", WARNING = "Warning", INFO = "Info",
        CLASS = "class", DATATYPE = "datatype", NODE_KIND = "nodeKind",
        MIN_COUNT = "minCount", MAX_COUNT = "maxCount",
        MIN_EXCLUSIVE = "minExclusive", MIN_INCLUSIVE = "minInclusive",
        MAX_EXCLUSIVE = "maxExclusive", MAX_INCLUSIVE = "maxInclusive",
        MIN_LENGTH = "minLength", MAX_LENGTH = "maxLength", PATTERN = "pattern", FLAGS = "flags",
        LANGUAGE_IN = "languageIn", UNIQUE_LANG = "uniqueLang",
        EQUALS = "equals", DISJOINT = "disjoint", LESS_THAN = "lessThan", LESS_THAN_OR_EQUALS = "lessThanOrEquals",
        NOT = "not", AND = "and", OR = "or", XONE = "xone", NODE = "node", PROPERTY = "property",
        QUALIFIED_VALUE_SHAPE = "qualifiedValueShape", QUALIFIED_MIN_COUNT = "qualifiedMinCount",
        QUALIFIED_MAX_COUNT = "qualifiedMaxCount", QUALIFIED_VALUE_SHAPES_DISJOINT = "qualifiedValueShapesDisjoint",
        CLOSED = "closed", IGNORED_PROPERTIES = "ignoredProperties", HAS_VALUE = "hasValue", IN = "in",
        IRI = "IRI", BLANK_NODE = "BlankNode", LITERAL = "Literal",
        BLANK_NODE_OR_IRI = "BlankNodeOrIRI", BLANK_NODE_OR_LITERAL = "BlankNodeOrLiteral", IRI_OR_LITERAL = "IRIOrLiteral",
        VALIDATION_REPORT = "ValidationReport", VALIDATION_RESULT = "ValidationResult", CONFORMS = "conforms",
        RESULT = "result", FOCUS_NODE = "focusNode", RESULT_PATH = "resultPath", VALUE = "value",
        SOURCE_SHAPE = "sourceShape", SOURCE_CONSTRAINT_COMPONENT = "sourceConstraintComponent",
        RESULT_SEVERITY = "resultSeverity", RESULT_MESSAGE = "resultMessage",
    }
}

/// `aikg:Person` for `https://w3id.org/aikg/ontology#Person`, else `<iri>`.
pub fn compact(iri: &str) -> String {
    if let Some(local) = iri.strip_prefix(super::ontology_checks::CHECK_NS) {
        return format!("check:{local}");
    }
    crate::namespaces::compact(iri).unwrap_or_else(|| format!("<{iri}>"))
}

/// A term in short form: prefixed IRIs, literals as in Turtle.
pub fn term_short(term: &oxigraph::model::Term) -> String {
    match term {
        oxigraph::model::Term::NamedNode(n) => compact(n.as_str()),
        oxigraph::model::Term::Literal(l) => {
            let dt = l.datatype().as_str();
            let bare = match dt.strip_prefix("http://www.w3.org/2001/XMLSchema#") {
                Some("integer") => {
                    l.value().bytes().all(|b| b.is_ascii_digit()) && !l.value().is_empty()
                }
                Some("boolean") => matches!(l.value(), "true" | "false"),
                _ => false,
            };
            if bare {
                l.value().to_string()
            } else if l.language().is_some() || dt == "http://www.w3.org/2001/XMLSchema#string" {
                l.to_string()
            } else {
                let lexical = oxigraph::model::LiteralRef::new_simple_literal(l.value());
                format!("{lexical}^^{}", compact(dt))
            }
        }
        other => other.to_string(),
    }
}
