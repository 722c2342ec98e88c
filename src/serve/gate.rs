//! The write gate: before a write is committed, the graph as it would be is
//! checked against the ontology and shapes (the library's `aikg check`, or
//! SHACL validation with `--shapes` on a persistent store). A write that adds
//! a violation is refused with the located report and changes nothing.
//! Violations already in the store before the write do not block it (a
//! user's store may hold some); only new ones do.

use crate::check::{self, Outcome, ParsedFile};
use crate::error::Result;
use crate::mapped::Text;
use crate::shacl::diagnostics::{self, Finding, Severity};
use crate::source::{self, LocatedQuad, Position};
use crate::store::{MERGED_GRAPH, ONTOLOGY_GRAPH};
use oxigraph::model::{GraphName, Quad};
use oxigraph::store::Transaction;
use rustc_hash::FxHashSet;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// What the gate checks against.
pub enum Rules {
    /// `aikg check`: the ontology checks and the shapes of the bundled (or
    /// `--data`) `ontology/`; the ontology graph is not data.
    Aikg {
        ontology: Vec<ParsedFile>,
        shapes: Vec<ParsedFile>,
    },
    /// SHACL validation with these shapes (and ontology) files.
    Shapes {
        shapes: Vec<ParsedFile>,
        ontology: Vec<ParsedFile>,
    },
}

pub struct Gate {
    rules: Rules,
    /// The violations of the store as it is (keys without positions).
    baseline: Mutex<HashSet<String>>,
}

/// A refused write: the new violations, as a report.
pub struct Refused {
    pub findings: Vec<Finding>,
    pub what: String,
}

impl Refused {
    pub fn text(&self) -> String {
        diagnostics::to_text(&self.findings, &self.what)
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(&diagnostics::to_json(&self.findings))
            .expect("a report serialises")
    }
}

impl Gate {
    /// The gate of the bundled (or `--data`) graph.
    pub fn aikg(sources: &crate::store::Sources) -> Result<Self> {
        let mut ontology = Vec::new();
        let mut shapes = Vec::new();
        for file in &sources.ontology {
            let parsed = check::parse_source(file)?;
            if check::is_shapes_file(&parsed.quads) {
                shapes.push(parsed);
            } else {
                ontology.push(parsed);
            }
        }
        Ok(Self::new(Rules::Aikg { ontology, shapes }))
    }

    /// The gate of `--store DIR --shapes S.ttl [--ontology O.ttl]`.
    pub fn shapes(shapes: &[PathBuf], ontology: &[PathBuf]) -> Result<Self> {
        let parse = |paths: &[PathBuf]| -> Result<Vec<ParsedFile>> {
            paths
                .iter()
                .map(|p| check::parse_path(p, &source::ReadOptions::format(None)))
                .collect()
        };
        Ok(Self::new(Rules::Shapes {
            shapes: parse(shapes)?,
            ontology: parse(ontology)?,
        }))
    }

    fn new(rules: Rules) -> Self {
        Self {
            rules,
            baseline: Mutex::new(HashSet::new()),
        }
    }

    /// Whether writes to this graph are refused: the ontology graph defines
    /// what the gate checks, so it stays as loaded while serving.
    pub fn fixed_graph(&self, graph: &GraphName) -> bool {
        matches!(self.rules, Rules::Aikg { .. })
            && matches!(graph, GraphName::NamedNode(g) if g.as_str() == ONTOLOGY_GRAPH)
    }

    /// Checks the store as it is, once at start: its violations do not
    /// block later writes. Returns how many there are.
    pub fn set_baseline(&self, store: &oxigraph::store::Store) -> Result<usize> {
        let quads = store
            .iter()
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|q| self.is_data(&q.graph_name))
            .map(|quad| LocatedQuad {
                position: graph_position(&quad.graph_name),
                quad,
            })
            .collect();
        let outcome = self.outcome(vec![file("the store", String::new(), quads)])?;
        let keys = violation_keys(&outcome);
        let count = keys.len();
        *self.baseline.lock().unwrap_or_else(|e| e.into_inner()) = keys;
        Ok(count)
    }

    fn is_data(&self, graph: &GraphName) -> bool {
        // What reasoning inferred is not data: it is worked out again after
        // the write, and its facts are checked through their premises.
        if crate::reason::is_reasoning_graph(graph.as_ref()) {
            return false;
        }
        match graph {
            GraphName::NamedNode(g) => {
                g.as_str() != MERGED_GRAPH
                    && !(matches!(self.rules, Rules::Aikg { .. }) && g.as_str() == ONTOLOGY_GRAPH)
            }
            _ => true,
        }
    }

    /// Checks the graph as the transaction would leave it. `located` are
    /// the quads the request brought, with their positions in its body
    /// (`body_name`, `body_text`); other quads new to the store are located
    /// in `changes`; the rest by their graph. Ok: the write may be
    /// committed (and the baseline moves on); Err: the new violations.
    pub fn admit(
        &self,
        transaction: &Transaction<'_>,
        store: &oxigraph::store::Store,
        located: Vec<LocatedQuad>,
        body: (&str, String),
        changes: &str,
    ) -> Result<std::result::Result<(), Refused>> {
        let brought: FxHashSet<Quad> = located.iter().map(|q| q.quad.clone()).collect();
        let mut rest = Vec::new();
        let mut changed = Vec::new();
        for quad in transaction.iter() {
            let quad = quad?;
            if !self.is_data(&quad.graph_name) || brought.contains(&quad) {
                continue;
            }
            if store.contains(&quad)? {
                rest.push(LocatedQuad {
                    position: graph_position(&quad.graph_name),
                    quad,
                });
            } else {
                changed.push(LocatedQuad {
                    position: Position {
                        file: changes.into(),
                        line: 0,
                        column: 0,
                    },
                    quad,
                });
            }
        }
        let outcome = self.outcome(vec![
            file(body.0, body.1, located),
            file(changes, String::new(), changed),
            file("the store", String::new(), rest),
        ])?;
        let keys = violation_keys(&outcome);
        let mut baseline = self.baseline.lock().unwrap_or_else(|e| e.into_inner());
        let new: Vec<Finding> = outcome
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Violation && !baseline.contains(&key(f)))
            .cloned()
            .collect();
        if !new.is_empty() {
            return Ok(Err(Refused {
                findings: new,
                what: format!("the write ({})", outcome.what),
            }));
        }
        *baseline = keys;
        Ok(Ok(()))
    }

    fn outcome(&self, data: Vec<ParsedFile>) -> Result<Outcome> {
        match &self.rules {
            Rules::Aikg { ontology, shapes } => {
                check::check_parsed(ontology, shapes, &data, crate::reason::Reasoning::Default)
            }
            Rules::Shapes { shapes, ontology } => check::validate_parsed(shapes, ontology, &data),
        }
    }
}

fn file(name: &str, text: String, quads: Vec<LocatedQuad>) -> ParsedFile {
    ParsedFile {
        name: Arc::from(name),
        text: Text::Owned(text),
        quads,
        scanned: None,
    }
}

/// Quads already in the store are located by their graph.
fn graph_position(graph: &GraphName) -> Position {
    Position {
        file: match graph {
            GraphName::DefaultGraph => "the default graph".into(),
            other => format!("graph {other}").into(),
        },
        line: 0,
        column: 0,
    }
}

/// A violation, without its position (which moves as the store changes).
fn key(f: &Finding) -> String {
    format!(
        "{:?}|{}|{:?}|{:?}|{}|{}|{}",
        f.severity, f.focus, f.path, f.value, f.component, f.shape, f.constraint
    )
}

fn violation_keys(outcome: &Outcome) -> HashSet<String> {
    outcome
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Violation)
        .map(key)
        .collect()
}
