//! The `aikg` command line, one file per group of commands. Each command is a
//! clap `Args` struct and a `run` function over the library: parsing the
//! arguments, calling `aikg::...`, writing what it returns.
//!
//! Adding a command: a variant of [`Command`] (with its doc comment, which is
//! its `--help`), an arm in [`run`], and the code in the group's file.

pub mod convert;
pub mod data;
pub mod docs;
pub mod graph;
pub mod inspect;
pub mod link;
pub mod query;
pub mod reason;
pub mod remote;
pub mod search;
pub mod serve;
pub mod update;

use aikg::error::{Error, Result};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// aikg — a knowledge graph of national AI ecosystems and the cooperation
/// between them, and the tool that holds it.
///
/// Without --store, every command works on the bundled ontology and data,
/// loaded in memory at start-up.
#[derive(Parser)]
#[command(name = "aikg", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(clap::Args)]
pub struct Global {
    /// Use a working copy instead of the bundled files: a repository root
    /// (with data/, ontology/, queries/) or a folder of .ttl/.trig/.nt/.nq
    /// files (your own data: `query` sees only its triples; `check` checks
    /// it against the bundled ontology and shapes).
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// What to infer from the ontology: none, rdfs (subclass, subproperty,
    /// domain, range) or rl (rdfs + equivalence, inverse, symmetric,
    /// transitive, sameAs among the graph's own entities), with families
    /// added or removed: rl,-domain,-range. Default: rl for the bundled graph
    /// and --data; a --store is read with what it was materialised with.
    #[arg(long, global = true, value_name = "RULES")]
    pub reasoning: Option<String>,

    /// Read from (or push to) a remote SPARQL 1.1 store: its query endpoint.
    /// Credentials come from --auth-file or the environment
    /// (AIKG_ENDPOINT_USER and AIKG_ENDPOINT_PASSWORD, or AIKG_ENDPOINT_TOKEN).
    #[arg(long, global = true, value_name = "URL", help_heading = "Remote store")]
    pub endpoint: Option<String>,
    /// The store's SPARQL 1.1 update endpoint (refused: aikg writes through
    /// the Graph Store Protocol, --graph-store).
    #[arg(long, global = true, value_name = "URL", help_heading = "Remote store")]
    pub update_endpoint: Option<String>,
    /// The store's Graph Store Protocol endpoint (for push).
    #[arg(long, global = true, value_name = "URL", help_heading = "Remote store")]
    pub graph_store: Option<String>,
    /// A file holding the store's credentials: one line, USER:PASSWORD or
    /// Bearer TOKEN (never give them on the command line).
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "Remote store"
    )]
    pub auth_file: Option<PathBuf>,
    /// On a store aikg did not push to: the graph to read as the default graph.
    #[arg(long, global = true, value_name = "IRI", help_heading = "Remote store")]
    pub default_graph: Option<String>,
    /// Seconds to wait for the store to connect or to send more (default 60,
    /// or AIKG_ENDPOINT_TIMEOUT; AIKG_ENDPOINT_RETRIES sets the retries, 3).
    #[arg(
        long,
        global = true,
        value_name = "SECONDS",
        help_heading = "Remote store"
    )]
    pub endpoint_timeout: Option<f64>,
    /// Say only errors and warnings on stderr (no notes, summaries or progress).
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more on stderr: how long each stage takes.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// Colour on stderr and in tables: auto (on a terminal, unless NO_COLOR
    /// is set), always or never.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: aikg::terminal::ColorChoice,
}

impl Global {
    pub fn data(&self) -> Option<&Path> {
        self.data.as_deref()
    }

    /// `--reasoning`, parsed.
    pub fn reasoning(&self) -> Result<aikg::reason::Reasoning> {
        match &self.reasoning {
            Some(text) => aikg::reason::Reasoning::parse(text),
            None => Ok(aikg::reason::Reasoning::Default),
        }
    }

    /// The bundled files or `--data DIR`, with `--reasoning`.
    pub fn sources(&self) -> Result<aikg::store::Sources> {
        Ok(aikg::store::Sources::open(self.data())?.with_reasoning(self.reasoning()?))
    }

    pub fn verbosity(&self) -> aikg::terminal::Verbosity {
        use aikg::terminal::Verbosity;
        match (self.quiet, self.verbose) {
            (true, _) => Verbosity::Quiet,
            (_, true) => Verbosity::Verbose,
            _ => Verbosity::Normal,
        }
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// Run a SPARQL query: text, a .rq file, a named query, or - for stdin.
    ///
    /// Examples:
    ///   aikg query funding
    ///   aikg query located-in --param place=Daejeon
    ///   aikg query 'SELECT ?l WHERE { ?x a aikg:University ; rdfs:label ?l FILTER(lang(?l)="en") }'
    ///   aikg query my-query.rq --format json
    #[command(verbatim_doc_comment)]
    Query(query::QueryArgs),
    /// Run a SPARQL UPDATE on a persistent store, in one transaction.
    ///
    /// All of it or nothing: if an operation fails, the store is as it was.
    /// With --shapes, an update that would add violations is refused (exit
    /// 1, the report on stdout) unless --force.
    ///
    /// Examples:
    ///   aikg update --store ./kg 'PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:p 1 }'
    ///   aikg update --store ./kg --shapes shapes.ttl fix-labels.ru
    #[command(verbatim_doc_comment)]
    Update(update::UpdateArgs),
    /// Serve the graph over HTTP: SPARQL 1.1 Protocol (/sparql), named
    /// queries (/queries), Graph Store Protocol (/store), UPDATE (/update).
    ///
    /// Examples:
    ///   aikg serve                                  # the bundled graph on 127.0.0.1:7878, read-only
    ///   aikg serve --store ./kg --bind 127.0.0.1:8080 --timeout 10
    ///   aikg serve --store ./kg --update-token-file token --shapes shapes.ttl
    #[command(verbatim_doc_comment)]
    Serve(serve::ServeArgs),
    /// Every fact about an entity, each with the quote and document that state it.
    ///
    /// The entity is named by label, acronym, prefixed name or IRI, in any case.
    /// Facts in the default graph (data without passages) are listed under
    /// "default graph: no source passage".
    Explain(inspect::ExplainArgs),
    /// What the graph holds: entities by class, facts by property.
    ///
    /// On data without source passages (not aikg's), the counts are of
    /// subjects in any graph, typed or not ("(no rdf:type)").
    Stats(inspect::StatsArgs),
    /// Find entities by name: ranked, with why each matched.
    ///
    /// Matches whole words and prefixes of every label, alias, acronym and
    /// IRI, whatever the case, accents, hyphens and spacing, with small
    /// typos, in any language and script. Ranking: exact label, exact
    /// alias, acronym, every word, with typos, some words; then the most
    /// connected entity first.
    ///
    /// Examples:
    ///   aikg search kaist
    ///   aikg search "institut coreen" --lang fr
    ///   aikg search "seoul natinal" --class University --format json
    ///   aikg search "Nguyễn" --store ./kg
    #[command(verbatim_doc_comment)]
    Search(search::SearchArgs),
    /// Bulk-load RDF files into a persistent store, atomically.
    ///
    /// Formats by extension (.nt .nq .ttl .trig .rdf .owl .xml .jsonld) or --format.
    /// If any file fails, nothing is loaded and the store is as it was.
    Load(data::LoadArgs),
    /// Convert RDF from one syntax to another, streaming (any size).
    ///
    /// Syntaxes by extension (.ttl .trig .nt .nq .rdf .jsonld; input also
    /// .gz .bz2 .zst) or --from/--to (names or media types). - is standard
    /// input or output.
    ///
    /// Example: aikg convert data.nt.gz data.ttl
    Convert(convert::ConvertArgs),
    /// Check the data against the ontology and its SHACL shapes.
    ///
    /// Parses ontology/ and data/ (bundled, or --data DIR), runs the ontology
    /// checks (unknown terms, domain and range, literals, disjoint classes,
    /// untyped entities, facts outside a passage) and the shapes of
    /// ontology/shapes.ttl. Exit 0 clean, 1 violations, 2 errors.
    Check(data::CheckArgs),
    /// SHACL Core validation of any RDF files against a shapes graph.
    ///
    /// Exit 0 if no result has severity sh:Violation, 1 if some has, 2 on errors.
    Validate(data::ValidateArgs),
    /// Find links from the graph's organisations and places to an external dataset.
    ///
    /// Examples:
    ///   aikg link --target ror ror-records-v2.json --countries countries.tsv -o data/links/ror.trig --review review.tsv
    ///   aikg link --target geonames cities15000.tsv --countries countries.tsv -o geonames.trig
    ///   aikg link --target countries countries.tsv
    ///   aikg link --target rdf other.ttl --class University
    #[command(verbatim_doc_comment)]
    Link(link::LinkArgs),
    /// Load external data into its own named graph of a persistent store.
    ///
    /// Examples:
    ///   aikg import geonames cities15000.tsv --graph https://w3id.org/aikg/external/geonames --store DIR
    ///   aikg import ror ror-records-v2.json --graph https://w3id.org/aikg/external/ror --store DIR
    ///   aikg import other.ttl --graph https://example.org/g --store DIR
    #[command(verbatim_doc_comment)]
    Import(link::ImportArgs),
    /// Write the whole graph (facts, ontology, links) with a VoID/DCAT description.
    Dump(link::DumpArgs),
    /// Draw the graph: GraphViz DOT, SVG or PNG (through GraphViz's `dot`),
    /// GraphML (Gephi, yEd) or JSON (Cytoscape.js elements).
    ///
    /// Nodes are shaped and coloured by class (with a legend), edges are
    /// labelled by relation; a funding is one edge "funds · amount · date".
    ///
    /// Examples:
    ///   aikg export svg --cluster country -o ecosystem.svg
    ///   aikg export dot --focus ETRI --depth 2
    ///   aikg export png --relations funds,launchedBy --lang fr -o money.png
    ///   aikg export json --query my-construct.rq
    ///   aikg export dot big.nt more.ttl -o big.dot
    ///
    /// With FILES, the picture is drawn from those RDF files read directly,
    /// without a store (the fastest way to draw a large file): N-Triples and
    /// N-Quads through a parallel line scanner, other syntaxes (ttl, trig,
    /// rdf, jsonld, told by the extension) through the usual parser. The
    /// vocabulary (labels of classes and properties, hierarchy) is the one
    /// the files declare plus the bundled ontology. --focus and --query load
    /// the files into a store in memory first. On data that uses no aikg
    /// class, resources without rdf:type are drawn too (in aikg's graph they
    /// are external identifiers, shown as attributes).
    #[command(verbatim_doc_comment)]
    Export(graph::ExportArgs),
    /// Shortest paths between two entities (ignoring direction), each hop
    /// with its relation and direction.
    ///
    /// Example: aikg path KAIST Inria
    Path(graph::PathArgs),
    /// The entities within --depth hops of an entity, nearest first.
    #[command(alias = "neighbours")]
    Neighbors(graph::NeighborsArgs),
    /// The hubs of the ecosystem: entities ranked by degree, PageRank or
    /// betweenness (edge direction ignored).
    ///
    /// Example: aikg rank --by betweenness --classes Organization
    Rank(graph::RankArgs),
    /// The connected components of the graph (edge direction ignored),
    /// largest first.
    Components(graph::ComponentsArgs),
    /// What the ontology implies: (re)materialise a store's inferred graph,
    /// or write the inferred triples of RDF files.
    ///
    /// The rules are --reasoning's (default rl). Every inferred triple goes to
    /// the graph <https://w3id.org/aikg/inferred>, apart from the stated ones.
    ///
    /// Examples:
    ///   aikg infer --store DIR                      # recompute a store's inferred graph
    ///   aikg infer --store DIR --reasoning none     # remove it
    ///   aikg infer                                  # what the bundled graph implies, by rule
    ///   aikg infer ontology.ttl data.nt -o inferred.nt
    #[command(verbatim_doc_comment)]
    Infer(reason::InferArgs),
    /// Validate, then send the graph to a remote store (Graph Store Protocol).
    ///
    /// One named graph per source passage (provenance kept), the merge of
    /// all of them, and a manifest written last: readers see the previous
    /// push or this one, never half. Pushing what the store holds sends
    /// nothing.
    ///
    /// Examples:
    ///   aikg push --endpoint http://localhost:8890/sparql --graph-store http://localhost:8890/sparql-graph-crud
    ///   aikg push --endpoint URL --graph-store URL big.nt --batch 100000
    ///   aikg push --endpoint URL --graph-store URL --auth-file ~/.aikg-store --replace
    #[command(verbatim_doc_comment)]
    Push(remote::PushArgs),
    /// Shell completions, generated from this aikg's own options.
    ///
    /// Examples:
    ///   aikg completions bash > ~/.local/share/bash-completion/completions/aikg
    ///   aikg completions zsh > ~/.zfunc/_aikg
    ///   aikg completions fish > ~/.config/fish/completions/aikg.fish
    #[command(verbatim_doc_comment)]
    Completions(docs::CompletionsArgs),
    /// The manual page (roff), generated from this aikg's own options.
    ///
    /// Example: aikg man > aikg.1 && man ./aikg.1
    Man,
}

/// Runs one command, writing its output to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<ExitCode> {
    let global = &cli.global;
    let code = match cli.command {
        Command::Query(args) => query::run(global, args, out)?,
        Command::Update(args) => update::update(global, args, out)?,
        Command::Serve(args) => serve::run(global, args)?,
        Command::Explain(args) => inspect::explain(global, args, out)?,
        Command::Stats(args) => inspect::stats(global, args, out)?,
        Command::Search(args) => search::run(global, args, out)?,
        Command::Load(args) => data::load(global, args, out)?,
        Command::Convert(args) => convert::convert(global, args, out)?,
        Command::Check(args) => data::check(global, args, out)?,
        Command::Validate(args) => data::validate(global, args, out)?,
        Command::Link(args) => link::link(global, args, out)?,
        Command::Import(args) => link::import(global, args)?,
        Command::Dump(args) => link::dump(global, args, out)?,
        Command::Export(args) => graph::export(global, args, out)?,
        Command::Path(args) => graph::path(global, args, out)?,
        Command::Neighbors(args) => graph::neighbors(global, args, out)?,
        Command::Rank(args) => graph::rank(global, args, out)?,
        Command::Components(args) => graph::components(global, args, out)?,
        Command::Infer(args) => reason::infer(global, args, out)?,
        Command::Push(args) => remote::push(global, args, out)?,
        Command::Completions(args) => docs::completions(args, out)?,
        Command::Man => docs::man(out)?,
    };
    out.flush().map_err(stdout_error)?;
    Ok(code)
}

pub fn stdout_error(e: std::io::Error) -> Error {
    Error::io("<stdout>", e)
}

pub fn write_json(value: &impl serde::Serialize, out: &mut dyn Write) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| Error::io("<stdout>", e))?;
    writeln!(out).map_err(stdout_error)
}

/// The `--format text|json` of the commands that print a summary.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TextOrJson {
    Text,
    Json,
}

impl TextOrJson {
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            other => Err(Error::usage(
                format!("unknown format {other:?}"),
                "use --format text or json",
            )),
        }
    }

    /// Writes `value` as JSON, or `text()` as it is.
    pub fn write(
        self,
        value: &impl serde::Serialize,
        text: impl FnOnce() -> String,
        out: &mut dyn Write,
    ) -> Result<()> {
        match self {
            Self::Json => write_json(value, out),
            Self::Text => write!(out, "{}", text()).map_err(stdout_error),
        }
    }
}

/// `--graph IRI` as a named node (angle brackets allowed).
pub fn graph_iri(iri: Option<String>) -> Result<Option<oxigraph::model::NamedNode>> {
    iri.map(|iri| {
        oxigraph::model::NamedNode::new(iri.trim_start_matches('<').trim_end_matches('>')).map_err(
            |e| {
                Error::usage(
                    format!("--graph {iri:?}: not an IRI ({e})"),
                    "give an absolute IRI, e.g. https://example.org/graph",
                )
            },
        )
    })
    .transpose()
}

/// An RDF syntax named by `--format`/`--input-format`.
pub fn rdf_format(name: Option<String>) -> Result<Option<aikg::source::SourceFormat>> {
    name.map(|name| {
        aikg::source::SourceFormat::from_name(&name).ok_or_else(|| {
            Error::usage(
                format!("unknown RDF format {name:?}"),
                format!("use one of: {}", aikg::source::SourceFormat::NAMES),
            )
        })
    })
    .transpose()
}
