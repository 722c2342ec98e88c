//! Naming entities: by IRI, prefixed name, label, alias or acronym, whatever
//! the case, accents and punctuation. On a local store through the search
//! index; on a remote store through its index of names (one `aikg push`
//! wrote), else by looking through its names. An ambiguous name is an
//! error that lists the candidates; an unknown one, the nearest.

use crate::error::{Error, Result};
use crate::kg::{select, Kg};
use crate::namespaces;
use crate::query::display_term;
use crate::search;
use oxigraph::model::{NamedNode, Term};
use std::collections::BTreeMap;

/// An entity of the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    pub iri: NamedNode,
    /// Its label (English first, then French, else the IRI's prefixed name).
    pub label: String,
    /// Its classes, as prefixed names, sorted.
    pub classes: Vec<String>,
}

/// The names people use for entities: labels, alternative labels and acronyms.
const NAMES_QUERY: &str = r#"
SELECT ?entity ?name WHERE {
  { ?entity rdfs:label ?name } UNION { ?entity skos:prefLabel ?name }
  UNION { ?entity skos:altLabel ?name } UNION { ?entity aikg:acronym ?name }
  FILTER(isIRI(?entity))
}"#;

/// Finds the one entity a name designates: an IRI or prefixed name the
/// graph knows, or a whole name of exactly one entity (label, alias,
/// acronym or the last segment of its IRI, compared after folding case,
/// accents and punctuation: see [`crate::search`]). Entities `owl:sameAs`
/// one another are one. A name of several entities is an error that lists
/// them; an unknown name, one that lists the best candidates.
pub fn resolve(store: &dyn Kg, name: &str) -> Result<Entity> {
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
    match store.search_index()? {
        Some(index) => by_search_index(store, &index, name),
        None => by_remote_names(store, name),
    }
}

/// A name looked up in the local store's search index.
fn by_search_index(kg: &dyn Kg, index: &search::SearchIndex, name: &str) -> Result<Entity> {
    let exact = index.exactly_named(name)?;
    match exact.as_slice() {
        [one] => describe(kg, NamedNode::new_unchecked(&one.iri)),
        [] => {
            // The index holds the data's entities; the ontology's classes
            // and properties are named by their labels ("goal": aikg:Goal).
            let terms = vocabulary_named(kg, name)?;
            if !terms.is_empty() {
                return one_of(kg, name, terms);
            }
            let options = search::SearchOptions {
                limit: 5,
                ..search::SearchOptions::default()
            };
            let near = index.search(name, &options)?.hits;
            let hint = if near.is_empty() {
                "`aikg search TEXT` finds entities by any part of their names".to_string()
            } else {
                format!("did you mean: {}", list_hits(&near))
            };
            Err(Error::usage(format!("no entity named {name:?}"), hint))
        }
        several => Err(Error::usage(
            format!(
                "the name {name:?} is ambiguous: {} entities have it",
                several.len()
            ),
            format!("name one of them by its IRI: {}", list_hits(several)),
        )),
    }
}

/// The ontology's terms (classes, properties) whose label is `name`, folded
/// as the search index folds names.
fn vocabulary_named(kg: &dyn Kg, name: &str) -> Result<BTreeMap<String, NamedNode>> {
    let wanted = search::normalize::fold(name);
    let rows = select(
        kg,
        &format!(
            "SELECT DISTINCT ?term ?label WHERE {{ GRAPH <{}> {{ ?term rdfs:label ?label }} FILTER(isIRI(?term)) }}",
            crate::store::ONTOLOGY_GRAPH
        ),
    )?;
    let mut found = BTreeMap::new();
    for row in rows {
        if let (Some(Term::NamedNode(term)), Some(Term::Literal(label))) =
            (row.get("term"), row.get("label"))
        {
            if search::normalize::fold(label.value()) == wanted {
                found.insert(term.as_str().to_string(), term.clone());
            }
        }
    }
    Ok(found)
}

/// A name looked up on a remote store: in its index of names if it has
/// one, else among the names its entities have.
fn by_remote_names(store: &dyn Kg, name: &str) -> Result<Entity> {
    let wanted = normalize(name);
    // A graph with an index of names (a store `aikg push` filled) answers
    // in one look-up; names are looked through only to suggest near ones.
    if let Some(found) = store.entities_named(&wanted)? {
        if !found.is_empty() {
            return one_of(
                store,
                name,
                found
                    .into_iter()
                    .map(|n| (n.as_str().to_string(), n))
                    .collect(),
            );
        }
    }
    let mut matches: BTreeMap<String, NamedNode> = BTreeMap::new();
    let mut near: BTreeMap<String, NamedNode> = BTreeMap::new();
    for row in select(store, NAMES_QUERY)? {
        let (Some(Term::NamedNode(entity)), Some(Term::Literal(label))) =
            (row.get("entity"), row.get("name"))
        else {
            continue;
        };
        let label = normalize(label.value());
        if label == wanted {
            matches.insert(entity.as_str().to_string(), entity.clone());
        } else if label.contains(&wanted) || crate::named_query::edit_distance(&label, &wanted) <= 2
        {
            near.insert(entity.as_str().to_string(), entity.clone());
        }
    }
    // The local name of an id: IRI counts as a name too (id:K-Cloud is
    // "k-cloud"; id:AI-Star-Fellowship is also "ai star fellowship").
    for (local, node) in local_names(store)? {
        if normalize(&local) == wanted || normalize(&local.replace(['-', '_'], " ")) == wanted {
            matches.insert(node.as_str().to_string(), node);
        }
    }
    if !matches.is_empty() {
        return one_of(store, name, matches);
    }
    let candidates = near
        .into_values()
        .take(8)
        .map(|n| describe(store, n))
        .collect::<Result<Vec<_>>>()?;
    let hint = if candidates.is_empty() {
        "`aikg query \"SELECT ?e ?label { ?e rdfs:label ?label }\"` lists the entities and their labels".to_string()
    } else {
        format!("did you mean: {}", list(&candidates))
    };
    Err(Error::usage(format!("no entity named {name:?}"), hint))
}

/// The entity the name designates if it is one of `matches`; an error
/// listing them if there are several.
fn one_of(store: &dyn Kg, name: &str, matches: BTreeMap<String, NamedNode>) -> Result<Entity> {
    if matches.len() == 1 {
        let (_, only) = matches.into_iter().next().unwrap_or_else(|| unreachable!());
        return describe(store, only);
    }
    let candidates = matches
        .into_values()
        .map(|n| describe(store, n))
        .collect::<Result<Vec<_>>>()?;
    Err(Error::usage(
        format!(
            "the name {name:?} is ambiguous: {} entities have it",
            candidates.len()
        ),
        format!("name one of them by its IRI: {}", list(&candidates)),
    ))
}

fn list_hits(hits: &[search::Hit]) -> String {
    hits.iter()
        .map(|h| candidate(&h.id, &h.label, &h.classes))
        .collect()
}

fn list(entities: &[Entity]) -> String {
    entities
        .iter()
        .map(|e| {
            let id = namespaces::compact(e.iri.as_str())
                .unwrap_or_else(|| format!("<{}>", e.iri.as_str()));
            candidate(&id, &e.label, &e.classes)
        })
        .collect()
}

/// One line of a list of candidates: `id:X (label, classes)`.
fn candidate(id: &str, label: &str, classes: &[String]) -> String {
    format!(
        "\n    {id} ({label}{})",
        if classes.is_empty() {
            String::new()
        } else {
            format!(", {}", classes.join(", "))
        }
    )
}

/// Case-, accent-insensitive comparison key: "Séoul" and "seoul" match (the
/// key of a remote store's index of names, which `aikg push` writes; local
/// stores fold names as [`crate::search`] does).
pub fn normalize(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            '’' => '\'',
            c => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn local_names(store: &dyn Kg) -> Result<Vec<(String, NamedNode)>> {
    let rows = select(
        store,
        &format!(
            "SELECT DISTINCT ?e WHERE {{ ?e a ?c FILTER(STRSTARTS(STR(?e), \"{}\")) }}",
            namespaces::ID
        ),
    )?;
    Ok(rows
        .iter()
        .filter_map(|row| match row.get("e") {
            Some(Term::NamedNode(n)) => {
                Some((n.as_str()[namespaces::ID.len()..].to_string(), n.clone()))
            }
            _ => None,
        })
        .collect())
}

fn is_known(store: &dyn Kg, node: &NamedNode) -> Result<bool> {
    let rows = select(
        store,
        &format!("SELECT * WHERE {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }} LIMIT 1"),
    )?;
    Ok(!rows.is_empty())
}

/// Label and classes of an entity.
pub fn describe(store: &dyn Kg, iri: NamedNode) -> Result<Entity> {
    let mut all = describe_all(store, std::slice::from_ref(&iri))?;
    Ok(all
        .remove(&iri)
        .unwrap_or_else(|| unreachable!("every entity asked for is described")))
}

/// Labels and classes of several entities, in one query.
pub fn describe_all(store: &dyn Kg, iris: &[NamedNode]) -> Result<BTreeMap<NamedNode, Entity>> {
    let mut labels: BTreeMap<&NamedNode, Vec<(u8, String)>> = BTreeMap::new();
    let mut classes: BTreeMap<&NamedNode, Vec<String>> = BTreeMap::new();
    for chunk in iris.chunks(500) {
        let values: String = chunk.iter().map(|iri| format!(" {iri}")).collect();
        let rows = select(
            store,
            &format!(
                "SELECT ?e ?label ?lang ?class WHERE {{ VALUES ?e {{{values} }}
                   {{ ?e rdfs:label ?label BIND(LANG(?label) AS ?lang) }} UNION {{ ?e a ?class }}
                 }}"
            ),
        )?;
        for row in &rows {
            let Some(Term::NamedNode(e)) = row.get("e") else {
                continue;
            };
            let Some(e) = chunk.iter().find(|iri| *iri == e) else {
                continue;
            };
            if let Some(Term::Literal(label)) = row.get("label") {
                let rank = match row.get("lang").map(display_term).as_deref() {
                    Some("en") => 0,
                    Some("fr") => 1,
                    _ => 2,
                };
                labels
                    .entry(e)
                    .or_default()
                    .push((rank, label.value().to_string()));
            }
            if let Some(class) = row.get("class") {
                classes.entry(e).or_default().push(display_term(class));
            }
        }
    }
    Ok(iris
        .iter()
        .map(|iri| {
            let label = labels
                .get(iri)
                .and_then(|l| l.iter().min().map(|(_, l)| l.clone()))
                .unwrap_or_else(|| display_term(&iri.clone().into()));
            let mut classes = classes.get(iri).cloned().unwrap_or_default();
            classes.sort();
            classes.dedup();
            (
                iri.clone(),
                Entity {
                    iri: iri.clone(),
                    label,
                    classes,
                },
            )
        })
        .collect())
}
