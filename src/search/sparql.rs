//! Search from SPARQL, as QLever's and GraphDB's text indexes offer it:
//!
//! - a "magic" SERVICE, `aikg:search`, whose pattern names the entity
//!   variable, the text and what to bind:
//!
//!   ```sparql
//!   SELECT ?entity ?score ?name WHERE {
//!     SERVICE aikg:search {
//!       ?entity aikg:searchText "seoul natinal" ;   # required
//!               aikg:searchClass aikg:University ;  # optional, with subclasses
//!               aikg:searchLang "en" ;              # optional
//!               aikg:searchLimit 20 ;               # optional, default 100
//!               aikg:score ?score ; aikg:rank ?rank ; aikg:matchedName ?name ; aikg:matchTier ?tier .
//!     }
//!   }
//!   ```
//!
//! - `aikg:searchScore(?entity, "text")`: the entity's score for the text
//!   (as `aikg search` gives it), an error (unbound) if it does not match;
//! - `aikg:matches(?literal, "text")`: whether every word of the text is a
//!   word, the start of a word or a near miss of a word of the literal,
//!   folded the same way (any literal: quotes, comments, descriptions).
//!
//! [`register`] adds them to an evaluator; the index is opened (or built)
//! only when a query uses them.

use super::{class_and_subclasses, for_store, normalize, rank, SearchIndex, SearchOptions};
use crate::namespaces::AIKG;
use oxigraph::model::{Literal, NamedNode, Term, Variable};
use oxigraph::sparql::{
    QueryEvaluationError, QuerySolution, QuerySolutionIter, ServiceHandler, SparqlEvaluator,
};
use oxigraph::store::Store;
use oxiri::Iri;
use spargebra::algebra::GraphPattern;
use spargebra::term::{NamedNodePattern, TermPattern};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The default number of entities the SERVICE binds.
pub const SERVICE_LIMIT: usize = 100;

/// The IRIs of the search vocabulary.
pub fn term(local: &str) -> String {
    format!("{AIKG}{local}")
}

/// The index of a store, opened the first time a query needs it.
struct LazyIndex {
    store: Store,
    index: OnceLock<Result<Arc<SearchIndex>, String>>,
    /// Per text, the score of every entity that matches it.
    scores: Mutex<HashMap<String, Arc<HashMap<String, u32>>>>,
}

impl LazyIndex {
    fn get(&self) -> Result<Arc<SearchIndex>, String> {
        self.index
            .get_or_init(|| for_store(&self.store).map_err(|e| e.to_string()))
            .clone()
    }

    fn score(&self, entity: &str, text: &str) -> Option<u32> {
        let scores = {
            let cached = self.scores.lock().ok()?.get(text).cloned();
            match cached {
                Some(scores) => scores,
                None => {
                    let index = self.get().ok()?;
                    let options = SearchOptions {
                        limit: usize::MAX,
                        ..SearchOptions::default()
                    };
                    let hits = index.search(text, &options).ok()?.hits;
                    let scores: Arc<HashMap<String, u32>> =
                        Arc::new(hits.into_iter().map(|h| (h.iri, h.score)).collect());
                    self.scores
                        .lock()
                        .ok()?
                        .insert(text.to_string(), scores.clone());
                    scores
                }
            }
        };
        scores.get(entity).copied()
    }
}

/// Adds the search SERVICE and functions to `evaluator`, over `store`.
pub fn register(evaluator: SparqlEvaluator, store: &Store) -> SparqlEvaluator {
    let lazy = Arc::new(LazyIndex {
        store: store.clone(),
        index: OnceLock::new(),
        scores: Mutex::new(HashMap::new()),
    });
    let for_score = lazy.clone();
    evaluator
        .with_service_handler(
            NamedNode::new_unchecked(term("search")),
            SearchService { index: lazy },
        )
        .with_custom_function(NamedNode::new_unchecked(term("searchScore")), move |args| {
            let [Term::NamedNode(entity), Term::Literal(text)] = args else {
                return None;
            };
            for_score
                .score(entity.as_str(), text.value())
                .map(|s| Literal::from(i64::from(s)).into())
        })
        .with_custom_function(NamedNode::new_unchecked(term("matches")), |args| {
            let [Term::Literal(value), Term::Literal(text)] = args else {
                return None;
            };
            let words = rank::query_words(text.value()).ok()?;
            let tier = rank::text_match(&words, &normalize::fold(value.value()));
            Some(Literal::from(tier.is_some_and(|t| t != rank::Tier::Partial)).into())
        })
}

struct SearchService {
    index: Arc<LazyIndex>,
}

fn error(message: String) -> QueryEvaluationError {
    QueryEvaluationError::Service(message.into())
}

/// What the SERVICE pattern asks for.
#[derive(Default)]
struct Request {
    entity: Option<Variable>,
    text: Option<String>,
    class: Option<String>,
    lang: Option<String>,
    limit: Option<usize>,
    /// Output variables, by property local name.
    outputs: Vec<(String, Variable)>,
}

const OUTPUTS: &[&str] = &["score", "rank", "matchedName", "matchTier"];

fn parse_request(pattern: &GraphPattern) -> Result<Request, String> {
    let GraphPattern::Bgp { patterns } = pattern else {
        return Err("its pattern must be triples about one variable, e.g. { ?e aikg:searchText \"seoul\" ; aikg:score ?score }".into());
    };
    let mut request = Request::default();
    for triple in patterns {
        let TermPattern::Variable(subject) = &triple.subject else {
            return Err(format!(
                "the subject of {triple} must be a variable (the entity)"
            ));
        };
        if request.entity.as_ref().is_some_and(|e| e != subject) {
            return Err("every triple must be about the same entity variable".into());
        }
        request.entity = Some(subject.clone());
        let NamedNodePattern::NamedNode(predicate) = &triple.predicate else {
            return Err(format!("the property of {triple} must be an IRI"));
        };
        let local = predicate.as_str().strip_prefix(AIKG).unwrap_or("");
        match (local, &triple.object) {
            ("searchText", TermPattern::Literal(l)) => request.text = Some(l.value().to_string()),
            ("searchLang", TermPattern::Literal(l)) => request.lang = Some(l.value().to_string()),
            ("searchClass", TermPattern::NamedNode(c)) => request.class = Some(c.as_str().to_string()),
            ("searchLimit", TermPattern::Literal(l)) => {
                request.limit = Some(l.value().parse().map_err(|_| {
                    format!("aikg:searchLimit {:?} is not a positive integer", l.value())
                })?)
            }
            (local, TermPattern::Variable(v)) if OUTPUTS.contains(&local) => {
                request.outputs.push((local.to_string(), v.clone()))
            }
            _ => {
                return Err(format!(
                    "{triple} is not understood: use aikg:searchText \"text\", aikg:searchClass <class>, aikg:searchLang \"en\", aikg:searchLimit N, and variables for aikg:score, aikg:rank, aikg:matchedName, aikg:matchTier"
                ))
            }
        }
    }
    if request.text.is_none() {
        return Err("it needs the text: ?entity aikg:searchText \"...\"".into());
    }
    Ok(request)
}

impl ServiceHandler for SearchService {
    type Error = QueryEvaluationError;

    fn handle(
        &self,
        pattern: &GraphPattern,
        _base_iri: Option<&Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, Self::Error> {
        let request =
            parse_request(pattern).map_err(|e| error(format!("SERVICE aikg:search: {e}")))?;
        let index = self.index.get().map_err(error)?;
        let classes = match &request.class {
            Some(class) => Some(
                class_and_subclasses(&self.index.store, &format!("<{class}>"))
                    .map_err(|e| error(format!("SERVICE aikg:search: {e}")))?,
            ),
            None => None,
        };
        let options = SearchOptions {
            classes,
            lang: request.lang.clone(),
            limit: request.limit.unwrap_or(SERVICE_LIMIT),
        };
        let text = request.text.as_deref().unwrap_or_default();
        let result = index
            .search(text, &options)
            .map_err(|e| error(format!("SERVICE aikg:search: {e}")))?;
        let mut variables: Vec<Variable> = request.entity.iter().cloned().collect();
        variables.extend(request.outputs.iter().map(|(_, v)| v.clone()));
        let variables: Arc<[Variable]> = variables.into();
        let rows: Vec<Result<QuerySolution, QueryEvaluationError>> = result
            .hits
            .into_iter()
            .map(|hit| {
                let mut values: Vec<Option<Term>> =
                    vec![Some(NamedNode::new_unchecked(hit.iri.clone()).into())];
                for (what, _) in &request.outputs {
                    values.push(Some(match what.as_str() {
                        "score" => Literal::from(i64::from(hit.score)).into(),
                        "rank" => Literal::from(hit.rank as i64).into(),
                        "matchTier" => Literal::new_simple_literal(hit.tier.name()).into(),
                        _ => match &hit.matched.lang {
                            Some(lang) => Literal::new_language_tagged_literal_unchecked(
                                &hit.matched.text,
                                lang,
                            )
                            .into(),
                            None => Literal::new_simple_literal(&hit.matched.text).into(),
                        },
                    }));
                }
                Ok(QuerySolution::from((variables.clone(), values)))
            })
            .collect();
        Ok(QuerySolutionIter::new(
            variables,
            Box::new(rows.into_iter()),
        ))
    }
}
