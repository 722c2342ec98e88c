//! Naming entities: by IRI, prefixed name, label, alias or acronym, whatever
//! the case, accents and punctuation, through the search index. An ambiguous
//! name is an error that lists the candidates; an unknown one, the nearest.

use crate::error::{Error, Result};
use crate::namespaces;
use crate::query::{display_term, select};
use crate::search;
use oxigraph::model::{NamedNode, Term};
use oxigraph::store::Store;

/// An entity of the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    pub iri: NamedNode,
    /// Its label (English first, then French, else the IRI's prefixed name).
    pub label: String,
    /// Its classes, as prefixed names, sorted.
    pub classes: Vec<String>,
}

/// Finds the one entity a name designates: an IRI or prefixed name the
/// graph knows, or a whole name of exactly one entity (label, alias,
/// acronym or the last segment of its IRI, compared after folding case,
/// accents and punctuation: see [`crate::search`]). Entities `owl:sameAs`
/// one another are one. A name of several entities is an error that lists
/// them; an unknown name, one that lists the best candidates.
pub fn resolve(store: &Store, name: &str) -> Result<Entity> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::usage(
            "an empty entity name",
            "name an entity by label, acronym, prefixed name or IRI",
        ));
    }
    // An IRI or prefixed name designates itself, if the graph knows it.
    let iri = if name.starts_with('<') && name.ends_with('>') {
        Some(name[1..name.len() - 1].to_string())
    } else if name.starts_with("http://") || name.starts_with("https://") {
        Some(name.to_string())
    } else {
        namespaces::expand(name)
    };
    if let Some(iri) = iri {
        if let Ok(node) = NamedNode::new(&iri) {
            if is_known(store, &node)? {
                return describe(store, node);
            }
        }
        if name.contains("://") || name.starts_with('<') {
            return Err(Error::usage(
                format!("no entity {name} in the graph"),
                "check the IRI, or name the entity by its label or acronym",
            ));
        }
    }
    let index = search::for_store(store)?;
    let exact = index.exactly_named(name)?;
    match exact.as_slice() {
        [one] => describe(store, NamedNode::new_unchecked(&one.iri)),
        [] => {
            let options = search::SearchOptions {
                limit: 5,
                ..search::SearchOptions::default()
            };
            let near = index.search(name, &options)?.hits;
            let hint = if near.is_empty() {
                "`aikg search TEXT` finds entities by any part of their names".to_string()
            } else {
                format!("did you mean: {}", list(&near))
            };
            Err(Error::usage(format!("no entity named {name:?}"), hint))
        }
        several => Err(Error::usage(
            format!(
                "the name {name:?} is ambiguous: {} entities have it",
                several.len()
            ),
            format!("name one of them by its IRI: {}", list(several)),
        )),
    }
}

fn list(hits: &[search::Hit]) -> String {
    hits.iter()
        .map(|h| {
            format!(
                "\n    {} ({}{})",
                h.id,
                h.label,
                if h.classes.is_empty() {
                    String::new()
                } else {
                    format!(", {}", h.classes.join(", "))
                }
            )
        })
        .collect()
}

fn is_known(store: &Store, node: &NamedNode) -> Result<bool> {
    let rows = select(
        store,
        &format!("SELECT * WHERE {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }} LIMIT 1"),
    )?;
    Ok(!rows.is_empty())
}

/// Label and classes of an entity.
pub fn describe(store: &Store, iri: NamedNode) -> Result<Entity> {
    let rows = select(
        store,
        &format!(
            "SELECT ?label ?lang ?class WHERE {{
               {{ {iri} rdfs:label ?label BIND(LANG(?label) AS ?lang) }} UNION {{ {iri} a ?class }}
             }}"
        ),
    )?;
    let mut labels: Vec<(u8, String)> = Vec::new();
    let mut classes = Vec::new();
    for row in &rows {
        if let Some(Term::Literal(label)) = row.get("label") {
            let rank = match row.get("lang").map(display_term).as_deref() {
                Some("en") => 0,
                Some("fr") => 1,
                _ => 2,
            };
            labels.push((rank, label.value().to_string()));
        }
        if let Some(class) = row.get("class") {
            classes.push(display_term(class));
        }
    }
    labels.sort();
    classes.sort();
    classes.dedup();
    let label = labels
        .into_iter()
        .next()
        .map(|(_, l)| l)
        .unwrap_or_else(|| display_term(&iri.clone().into()));
    Ok(Entity {
        iri,
        label,
        classes,
    })
}
