//! Diagnostics a person can act on: each SHACL result or ontology-check
//! finding with the file:line:col of the triple at fault, the focus node by
//! label, the path, the constraint in words, the value and the severity, a
//! source line with a caret, and a summary by shape and severity.

use super::graph::{Graph, Id, RDFS_LABEL, RDF_TYPE};
use super::paths::Path;
use super::report::{ValidationReport, ValidationResult};
use super::vocab::{sh, term_short};
use crate::source::{LocatedQuad, Position};
use oxigraph::model::{Term, TermRef};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// sh:Violation, sh:Warning or sh:Info.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Severity {
    Violation,
    Warning,
    Info,
}

impl Severity {
    pub fn from_iri(iri: &str) -> Self {
        match iri {
            sh::WARNING => Severity::Warning,
            sh::INFO => Severity::Info,
            _ => Severity::Violation,
        }
    }

    pub fn iri(self) -> &'static str {
        match self {
            Severity::Violation => sh::VIOLATION,
            Severity::Warning => sh::WARNING,
            Severity::Info => sh::INFO,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Severity::Violation => "violation",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One problem, located.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Where: the file, 1-based line and column (0 when unknown).
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// The focus node, in short form (`id:ETRI`), and its label if it has one.
    pub focus: String,
    pub focus_label: Option<String>,
    /// The path, in SPARQL syntax.
    pub path: Option<String>,
    /// The value at fault, in short form.
    pub value: Option<String>,
    /// The constraint in words.
    pub constraint: String,
    /// The constraint component (`sh:MinCountConstraintComponent`) or the
    /// ontology check (`check:UnknownTerm`).
    pub component: String,
    /// The shape the result comes from, or the ontology check.
    pub shape: String,
    /// The shape's sh:message, or the check's advice ("did you mean ...").
    pub message: Option<String>,
    /// The source line, when the file's text is at hand.
    #[serde(skip)]
    pub snippet: Option<String>,
}

impl Finding {
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.column)
        }
    }

    fn sort_key(&self) -> (Severity, String, u32, u32, String, String, Option<String>) {
        (
            self.severity,
            self.file.clone(),
            self.line,
            self.column,
            self.component.clone(),
            self.focus.clone(),
            self.value.clone(),
        )
    }
}

/// Sorts findings by severity, then file position.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by_cached_key(Finding::sort_key);
}

/// The best label of a node: English, then French, then any.
pub fn label(g: &Graph, node: Id) -> Option<String> {
    let p = g.iri_id(RDFS_LABEL)?;
    let labels = g.objects(node, p);
    let lang = |want: &str| {
        labels.iter().find_map(|&l| match g.term(l) {
            Term::Literal(lit) if lit.language() == Some(want) => Some(lit.value().to_string()),
            _ => None,
        })
    };
    lang("en").or_else(|| lang("fr")).or_else(|| {
        labels.iter().find_map(|&l| match g.term(l) {
            Term::Literal(lit) => Some(lit.value().to_string()),
            _ => None,
        })
    })
}

/// Finds where triples were read. Built for the nodes findings mention, in
/// one pass over the quads.
pub struct Locator<'a> {
    quads: Vec<&'a LocatedQuad>,
    /// Quad indexes by subject term, for the subjects asked.
    by_subject: FxHashMap<Term, Vec<usize>>,
    /// Quad indexes by object term, for the objects asked (nodes never subjects).
    by_object: FxHashMap<Term, Vec<usize>>,
}

impl<'a> Locator<'a> {
    /// Indexes the quads of `files` (in order) that mention `nodes`.
    pub fn new(files: &[&'a [LocatedQuad]], nodes: &FxHashSet<Term>) -> Self {
        let mut by_subject: FxHashMap<Term, Vec<usize>> = FxHashMap::default();
        let mut by_object: FxHashMap<Term, Vec<usize>> = FxHashMap::default();
        let mut quads = Vec::new();
        if !nodes.is_empty() {
            for q in files.iter().flat_map(|f| f.iter()) {
                let s: Term = q.quad.subject.clone().into();
                let as_subject = nodes.contains(&s);
                let as_object = nodes.contains(&q.quad.object);
                if as_subject || as_object {
                    let i = quads.len();
                    quads.push(q);
                    if as_subject {
                        by_subject.entry(s).or_default().push(i);
                    }
                    if as_object {
                        by_object.entry(q.quad.object.clone()).or_default().push(i);
                    }
                }
            }
        }
        Self {
            quads,
            by_subject,
            by_object,
        }
    }

    /// Where (s, p, o) was read.
    pub fn triple(&self, s: &Term, p: &str, o: &Term) -> Option<&'a Position> {
        self.by_subject.get(s)?.iter().find_map(|&i| {
            let q = &self.quads[i].quad;
            (q.predicate.as_str() == p && &q.object == o).then_some(&self.quads[i].position)
        })
    }

    /// Where a node is introduced: its first rdf:type triple, else its first
    /// triple as subject, else as object.
    pub fn node(&self, n: &Term) -> Option<&'a Position> {
        if let Some(list) = self.by_subject.get(n) {
            let typed = list
                .iter()
                .find(|&&i| self.quads[i].quad.predicate.as_str() == RDF_TYPE);
            return typed.or(list.first()).map(|&i| &self.quads[i].position);
        }
        self.by_object
            .get(n)
            .and_then(|l| l.first())
            .map(|&i| &self.quads[i].position)
    }

    /// The position that best shows a SHACL result.
    pub fn result(&self, r: &ValidationResult) -> Option<&'a Position> {
        let exact = match (&r.path, &r.value) {
            (Some(Path::Predicate(p)), Some(v)) => self.triple(&r.focus, p.as_str(), v),
            (Some(Path::Inverse(inner)), Some(v)) => match &**inner {
                Path::Predicate(p) => self.triple(v, p.as_str(), &r.focus),
                _ => None,
            },
            _ => None,
        };
        exact.or_else(|| self.node(&r.focus))
    }
}

/// The nodes whose triples locate these results.
pub fn nodes_to_locate(report: &ValidationReport) -> FxHashSet<Term> {
    let mut set = FxHashSet::default();
    for r in &report.results {
        set.insert(r.focus.clone());
        if let Some(v) = &r.value {
            if !matches!(v, Term::Literal(_)) {
                set.insert(v.clone());
            }
        }
    }
    set
}

/// The text of the source files, with where each line starts, for snippets.
/// The line starts of a file are found on its first snippet only (a file
/// with no finding is not walked), with a SIMD `memchr`.
#[derive(Default)]
pub struct Texts<'a> {
    files: FxHashMap<Arc<str>, (&'a str, std::cell::OnceCell<Vec<usize>>)>,
}

impl<'a> Texts<'a> {
    pub fn new(files: impl IntoIterator<Item = (Arc<str>, &'a str)>) -> Self {
        let files = files
            .into_iter()
            .map(|(name, text)| (name, (text, std::cell::OnceCell::new())))
            .collect();
        Self { files }
    }

    /// The source line of a position with a caret under the column.
    pub fn snippet(&self, position: &Position) -> Option<String> {
        let (text, starts) = self.files.get(&position.file)?;
        let starts = starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
            starts
        });
        let line = position.line as usize;
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(text.len(), |e| e - 1);
        let l = text[start..end].trim_end_matches('\r');
        let width = line.to_string().len();
        let caret = " ".repeat(position.column.saturating_sub(1) as usize);
        Some(format!("{:>width$} | {l}\n{:>width$} | {caret}^", line, ""))
    }
}

/// A result as a finding at `position`. `g` gives labels; `texts` the
/// files' text for snippets.
pub fn finding(
    r: &ValidationResult,
    position: Option<&Position>,
    g: &Graph,
    texts: &Texts<'_>,
) -> Finding {
    let focus_id = g.id(r.focus.as_ref());
    let shape = match &r.source_shape {
        Term::BlankNode(_) => match &r.path {
            Some(p) => format!("[property shape on {p}]"),
            None => "[anonymous shape]".to_string(),
        },
        t => term_short(t),
    };
    let message = (!r.messages.is_empty()).then(|| {
        r.messages
            .iter()
            .map(|m| match m {
                Term::Literal(l) => l.value().to_string(),
                t => t.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" / ")
    });
    Finding {
        severity: Severity::from_iri(r.severity.as_str()),
        file: position.map(|p| p.file.to_string()).unwrap_or_default(),
        line: position.map_or(0, |p| p.line),
        column: position.map_or(0, |p| p.column),
        focus: term_short(&r.focus),
        focus_label: focus_id.and_then(|id| label(g, id)),
        path: r.path.as_ref().map(|p| p.to_string()),
        value: r.value.as_ref().map(term_short),
        constraint: r.constraint.clone(),
        component: term_short(&Term::from(r.component.clone())),
        shape,
        message,
        snippet: position.and_then(|p| texts.snippet(p)),
    }
}

/// The findings as text, with a summary by shape and severity.
pub fn to_text(findings: &[Finding], what: &str) -> String {
    let mut out = findings_text(findings);
    out.push_str(&summary(findings, what));
    out
}

/// Each finding: position, severity, focus, path, constraint, value,
/// message, shape and source line.
pub fn findings_text(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let focus = match &f.focus_label {
            Some(l) => format!("{} ({l:?})", f.focus),
            None => f.focus.clone(),
        };
        let path = f.path.as_ref().map(|p| format!(" {p}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "{}: {}: {focus}{path}: {}",
            f.location(),
            f.severity.word(),
            f.constraint
        );
        if let Some(v) = &f.value {
            let _ = writeln!(out, "    value: {v}");
        }
        if let Some(m) = &f.message {
            let _ = writeln!(out, "    message: {m}");
        }
        let _ = writeln!(out, "    shape: {} ({})", f.shape, f.component);
        if let Some(s) = &f.snippet {
            for line in s.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    out
}

/// "N violations, M warnings, K infos" and a table by shape.
pub fn summary(findings: &[Finding], what: &str) -> String {
    let mut out = String::new();
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (v, w, i) = (
        count(Severity::Violation),
        count(Severity::Warning),
        count(Severity::Info),
    );
    if findings.is_empty() {
        let _ = writeln!(out, "{what}: conforms (0 violations, 0 warnings, 0 infos)");
        return out;
    }
    let _ = writeln!(
        out,
        "\n{what}: {v} violation{}, {w} warning{}, {i} info{}",
        if v == 1 { "" } else { "s" },
        if w == 1 { "" } else { "s" },
        if i == 1 { "" } else { "s" }
    );
    let mut by_shape: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for f in findings {
        by_shape.entry(&f.shape).or_default()[f.severity as usize] += 1;
    }
    let width = by_shape
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(
        out,
        "  {:<width$}  {:>9}  {:>7}  {:>4}",
        "shape", "violation", "warning", "info"
    );
    for (shape, [v, w, i]) in by_shape {
        let _ = writeln!(out, "  {shape:<width$}  {v:>9}  {w:>7}  {i:>4}");
    }
    out
}

/// The stable JSON form.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub conforms: bool,
    pub violations: usize,
    pub warnings: usize,
    pub infos: usize,
    pub results: &'a [Finding],
}

pub fn to_json(findings: &[Finding]) -> JsonReport<'_> {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    JsonReport {
        conforms: findings.is_empty(),
        violations: count(Severity::Violation),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        results: findings,
    }
}

/// Is a term an IRI in one of these namespaces?
pub fn in_namespace(t: TermRef<'_>, ns: &str) -> bool {
    matches!(t, TermRef::NamedNode(n) if n.as_str().starts_with(ns))
}
