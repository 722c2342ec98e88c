//! `aikg update`: SPARQL 1.1 UPDATE on a persistent store, in one
//! transaction (all of it or nothing, also if the process is killed), checked
//! before it is committed by the same write gate as `aikg serve`'s writes
//! ([`crate::serve::gate`]): with shapes, an update that adds a violation is
//! refused and changes nothing, unless forced; violations the store already
//! had do not block it.

use crate::error::{Error, Result};
use crate::query::Cancellation;
use crate::serve::gate::{Gate, Refused};
use crate::store::MERGED_GRAPH;
use oxigraph::sparql::SparqlEvaluator;
use oxigraph::store::Store;
use std::time::Duration;

/// How an update is run.
#[derive(Default)]
pub struct Options<'a> {
    /// The shapes (and ontology) the store must keep conforming to.
    pub gate: Option<&'a Gate>,
    /// Commit even if the gate finds new violations (they are returned).
    pub force: bool,
    /// Cancel the update after this long (nothing is changed).
    pub timeout: Option<Duration>,
}

/// What became of an update.
pub enum Outcome {
    /// Committed; with `force`, the new violations it was committed with.
    Applied { forced: Option<Refused> },
    /// Refused by the gate: nothing was changed.
    Refused(Refused),
}

/// Runs a parsed update on `store` in one transaction.
pub fn apply(store: &Store, update: spargebra::Update, options: &Options<'_>) -> Result<Outcome> {
    if update.to_string().contains(MERGED_GRAPH) {
        return Err(Error::usage(
            format!("the update names <{MERGED_GRAPH}>, aikg's own merge of the graphs"),
            "write to the data's own graphs (or the default graph); aikg keeps the merged graph itself",
        ));
    }
    if let Some(gate) = options.gate {
        // Only violations the update adds refuse it.
        gate.set_baseline(store)?;
    }
    let cancellation = Cancellation::new(options.timeout);
    let mut transaction = store.start_transaction()?;
    let executed = SparqlEvaluator::new()
        .with_cancellation_token(cancellation.token())
        .for_update(update)
        .on_transaction(&mut transaction)
        .execute();
    if let Err(e) = executed {
        return Err(if cancellation.timed_out() {
            Error::QueryTimeout {
                seconds: options.timeout.map_or(0.0, |t| t.as_secs_f64()),
            }
        } else {
            Error::usage(
                format!("the update failed: {e}"),
                "nothing was changed; fix the update and run it again",
            )
        });
    }
    let mut forced = None;
    if let Some(gate) = options.gate {
        if let Err(refused) = gate.admit(
            &transaction,
            store,
            Vec::new(),
            ("update", String::new()),
            "the update",
        )? {
            if !options.force {
                // Dropping the transaction leaves the store as it was.
                return Ok(Outcome::Refused(refused));
            }
            forced = Some(refused);
        }
    }
    transaction.commit()?;
    Ok(Outcome::Applied { forced })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphNameRef, NamedNodeRef, QuadRef};

    fn parse(text: &str) -> spargebra::Update {
        crate::query::parse_update(text, "test").unwrap()
    }

    #[test]
    fn a_failing_update_changes_nothing() {
        let store = Store::new().unwrap();
        apply(
            &store,
            parse("INSERT DATA { <http://e/a> <http://e/p> 1 }"),
            &Options::default(),
        )
        .unwrap();
        // The second operation fails (LOAD of a file that is not there):
        // the first, in the same request, must not stay.
        let result = apply(
            &store,
            parse("INSERT DATA { <http://e/b> <http://e/p> 2 } ; LOAD <file:///nonexistent/x.ttl>"),
            &Options::default(),
        );
        assert!(result.is_err());
        assert_eq!(store.len().unwrap(), 1);
        assert!(store
            .contains(QuadRef::new(
                NamedNodeRef::new_unchecked("http://e/a"),
                NamedNodeRef::new_unchecked("http://e/p"),
                &oxigraph::model::Literal::from(1),
                GraphNameRef::DefaultGraph,
            ))
            .unwrap());
    }

    #[test]
    fn the_merged_graph_is_refused() {
        let store = Store::new().unwrap();
        let text =
            format!("INSERT DATA {{ GRAPH <{MERGED_GRAPH}> {{ <http://e/a> <http://e/p> 1 }} }}");
        assert!(apply(&store, parse(&text), &Options::default()).is_err());
        assert!(store.is_empty().unwrap());
    }
}
