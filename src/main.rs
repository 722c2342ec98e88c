//! The `aikg` command line: a thin layer over the library.

use aikg::error::{Error, Result};
use aikg::named_query;
use aikg::query::{self, OutputFormat};
use aikg::source::SourceFormat;
use aikg::store::{self, LoadOptions, Sources};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Reading a large graph and drawing it allocates millions of small strings
/// and frees them together; mimalloc does both several times faster than
/// glibc's malloc, whose thread arenas also grow a page range at a time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// aikg — a knowledge graph of national AI ecosystems and the cooperation
/// between them, and the tool that holds it.
///
/// Without --store, every command works on the bundled ontology and data,
/// loaded in memory at start-up.
#[derive(Parser)]
#[command(name = "aikg", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Use a working copy instead of the bundled files: a repository root
    /// (with data/, ontology/, queries/) or a folder of .ttl/.trig files.
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a SPARQL query: text, a .rq file, a named query, or - for stdin.
    ///
    /// Examples:
    ///   aikg query funders
    ///   aikg query located-in --param place=Daejeon
    ///   aikg query 'SELECT ?l WHERE { ?x a aikg:University ; rdfs:label ?l FILTER(lang(?l)="en") }'
    ///   aikg query my-query.rq --format json
    #[command(verbatim_doc_comment)]
    Query {
        /// SPARQL text, a .rq file, the name of a named query, or - (stdin).
        query: Option<String>,
        /// Output format: table, csv, tsv, json, xml (SELECT/ASK); ttl, nt, jsonld (CONSTRUCT/DESCRIBE).
        /// Default: table on a terminal, else tsv (or ttl for graphs).
        #[arg(long, short)]
        format: Option<String>,
        /// Bind a named query's parameter: --param name=value (repeatable).
        #[arg(long = "param", short = 'p', value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// List the named queries and their parameters.
        #[arg(long)]
        list: bool,
        /// Query this persistent store instead of the bundled data.
        #[arg(long, value_name = "DIR")]
        store: Option<PathBuf>,
        /// Allow SERVICE calls to this endpoint (repeatable; Wikidata's is allowed by default,
        /// AIKG_ALLOW_SERVICE adds more, AIKG_SERVICE_TIMEOUT sets the timeout in seconds).
        #[arg(long = "allow-service", value_name = "URL")]
        allow_service: Vec<String>,
    },
    /// Every fact about an entity, each with the quote and document that state it.
    ///
    /// The entity is named by label, acronym, prefixed name or IRI, in any case.
    Explain {
        entity: String,
        /// text or json.
        #[arg(long, short, default_value = "text")]
        format: String,
        #[arg(long, value_name = "DIR")]
        store: Option<PathBuf>,
    },
    /// What the graph holds: entities by class, facts by property.
    Stats {
        /// text or json.
        #[arg(long, short, default_value = "text")]
        format: String,
        #[arg(long, value_name = "DIR")]
        store: Option<PathBuf>,
    },
    /// Bulk-load RDF files into a persistent store, atomically.
    ///
    /// Formats by extension (.nt .nq .ttl .trig .rdf .owl .xml .jsonld) or --format.
    /// If any file fails, nothing is loaded and the store is as it was.
    Load {
        /// The store directory (created if missing).
        #[arg(long, value_name = "DIR")]
        store: PathBuf,
        /// Format of every file: ttl, trig, nt, nq, rdf, jsonld.
        #[arg(long, short)]
        format: Option<String>,
        /// Put triples that are in no named graph into this graph.
        #[arg(long, value_name = "IRI")]
        graph: Option<String>,
        /// Validate the files against these SHACL shapes first; refuse to
        /// load (store unchanged, exit 1) if there are violations.
        #[arg(long, value_name = "S.ttl")]
        shapes: Vec<PathBuf>,
        /// With --shapes: load even if there are violations (the report is printed).
        #[arg(long, requires = "shapes")]
        force: bool,
        /// With --shapes: an ontology whose triples (rdfs:subClassOf...) the
        /// validation sees, but which is not loaded (repeatable).
        #[arg(long, value_name = "O.ttl", requires = "shapes")]
        ontology: Vec<PathBuf>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Check the data against the ontology and its SHACL shapes.
    ///
    /// Parses ontology/ and data/ (bundled, or --data DIR), runs the ontology
    /// checks (unknown terms, domain and range, literals, disjoint classes,
    /// untyped entities, facts outside a passage) and the shapes of
    /// ontology/shapes.ttl. Exit 0 clean, 1 violations, 2 errors.
    Check {
        /// text, ttl (W3C sh:ValidationReport) or json.
        #[arg(long, short, default_value = "text")]
        format: String,
    },
    /// SHACL Core validation of any RDF files against a shapes graph.
    ///
    /// Exit 0 if no result has severity sh:Violation, 1 if some has, 2 on errors.
    Validate {
        /// The shapes graph (repeatable).
        #[arg(long, required = true, value_name = "S.ttl")]
        shapes: Vec<PathBuf>,
        /// text, ttl (W3C sh:ValidationReport) or json.
        #[arg(long, short, default_value = "text")]
        format: String,
        /// An ontology whose triples (rdfs:subClassOf...) the validation
        /// sees with the data, as pySHACL's --ont-graph (repeatable).
        #[arg(long, value_name = "O.ttl")]
        ontology: Vec<PathBuf>,
        /// RDF format of the data files: ttl, trig, nt, nq, rdf, jsonld (default: by extension).
        #[arg(long, value_name = "FORMAT")]
        input_format: Option<String>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Find links from the graph's organisations and places to an external dataset.
    ///
    /// Examples:
    ///   aikg link --target ror ror-records-v2.json --countries countries.tsv -o data/links/ror.trig --review review.tsv
    ///   aikg link --target geonames cities15000.tsv --countries countries.tsv -o geonames.trig
    ///   aikg link --target countries countries.tsv
    ///   aikg link --target rdf other.ttl --class University
    #[command(verbatim_doc_comment)]
    Link {
        /// The kind of dataset: ror, geonames (or any delimited file with --columns), countries, rdf.
        #[arg(long)]
        target: String,
        /// The dataset's file.
        file: PathBuf,
        /// Column mapping of a delimited file: id=COL,name=COL,alt=COL,country=COL,... (see docs).
        #[arg(long)]
        columns: Option<String>,
        /// Lowest score of a link (0-1).
        #[arg(long, default_value_t = 0.8)]
        min_score: f64,
        /// Only entities of these classes (aikg:University or University; repeatable or comma-separated).
        #[arg(long, value_delimiter = ',')]
        class: Vec<String>,
        /// A country table (iso2, name...) to know the ISO codes of the graph's countries.
        #[arg(long, value_name = "FILE")]
        countries: Option<PathBuf>,
        /// Write the linkset (TriG) here; default: stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write the Wikidata links the linked records state (TriG) here.
        #[arg(long, value_name = "FILE")]
        wikidata: Option<PathBuf>,
        /// Write the review table (TSV) here.
        #[arg(long, value_name = "FILE")]
        review: Option<PathBuf>,
        /// The linkset's named graph.
        #[arg(long, value_name = "IRI")]
        graph: Option<String>,
        /// The links' date (YYYY-MM-DD); default: today.
        #[arg(long)]
        date: Option<String>,
        #[arg(long, value_name = "DIR")]
        store: Option<PathBuf>,
    },
    /// Load external data into its own named graph of a persistent store.
    ///
    /// Examples:
    ///   aikg import geonames cities15000.tsv --graph https://w3id.org/aikg/external/geonames --store DIR
    ///   aikg import ror ror-records-v2.json --graph https://w3id.org/aikg/external/ror --store DIR
    ///   aikg import other.ttl --graph https://example.org/g --store DIR
    #[command(verbatim_doc_comment)]
    Import {
        /// geonames, countries or ror followed by the file; or an RDF file.
        #[arg(required = true, num_args = 1..=2)]
        args: Vec<String>,
        /// The named graph to load into.
        #[arg(long, value_name = "IRI")]
        graph: String,
        /// Column mapping of a delimited file (as for `aikg link`).
        #[arg(long)]
        columns: Option<String>,
        /// RDF format of an RDF file (else its extension).
        #[arg(long, short)]
        format: Option<String>,
        #[arg(long, value_name = "DIR")]
        store: PathBuf,
    },
    /// Write the whole graph (facts, ontology, links) with a VoID/DCAT description.
    Dump {
        /// ttl, nt, trig, nq, jsonld (ttl and nt merge the named graphs).
        #[arg(long, short, default_value = "trig")]
        format: String,
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The licence IRI the description states.
        #[arg(long, default_value = "https://creativecommons.org/licenses/by/4.0/")]
        license: String,
        #[arg(long, value_name = "DIR")]
        store: Option<PathBuf>,
    },
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
    /// the files into a store in memory first.
    #[command(verbatim_doc_comment)]
    Export {
        /// dot, svg, png, graphml or json.
        format: String,
        /// RDF files to draw instead of the bundled data or a --store.
        #[arg(value_name = "FILES", conflicts_with = "store")]
        files: Vec<PathBuf>,
        /// Draw only what lies within --depth hops of this entity (label, acronym, prefixed name or IRI).
        #[arg(long)]
        focus: Option<String>,
        /// Hops around --focus (edge direction ignored).
        #[arg(long, default_value_t = 1)]
        depth: usize,
        /// Group nodes: `country`, or any property (locatedIn, partOf...).
        #[arg(long, value_name = "country|PROPERTY")]
        cluster: Option<String>,
        /// Draw the graph a SPARQL CONSTRUCT query (.rq file) builds.
        #[arg(long, value_name = "FILE.rq")]
        query: Option<PathBuf>,
        #[command(flatten)]
        graph: GraphArgs,
        /// Write to this file instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Shortest paths between two entities (ignoring direction), each hop
    /// with its relation and direction.
    ///
    /// Example: aikg path KAIST Inria
    Path {
        from: String,
        to: String,
        /// Show at most this many paths.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// text or json.
        #[arg(long, short, default_value = "text")]
        format: String,
        #[command(flatten)]
        graph: GraphArgs,
    },
    /// The entities within --depth hops of an entity, nearest first.
    #[command(alias = "neighbours")]
    Neighbors {
        entity: String,
        #[arg(long, default_value_t = 1)]
        depth: usize,
        /// text or json.
        #[arg(long, short, default_value = "text")]
        format: String,
        #[command(flatten)]
        graph: GraphArgs,
    },
    /// The hubs of the ecosystem: entities ranked by degree, PageRank or
    /// betweenness (edge direction ignored).
    ///
    /// Example: aikg rank --by betweenness --classes Organization
    Rank {
        /// degree, pagerank or betweenness.
        #[arg(long, default_value = "degree")]
        by: String,
        #[arg(long, default_value_t = 10)]
        top: usize,
        /// text or json.
        #[arg(long, short, default_value = "text")]
        format: String,
        #[command(flatten)]
        graph: GraphArgs,
    },
    /// The connected components of the graph (edge direction ignored),
    /// largest first.
    Components {
        /// Members listed per component (text format).
        #[arg(long, default_value_t = 12)]
        members: usize,
        /// text or json.
        #[arg(long, short, default_value = "text")]
        format: String,
        #[command(flatten)]
        graph: GraphArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // One command, then the process ends: no need to free a large graph
    // string by string before the system takes the memory back.
    aikg::graph::release_memory_at_exit(true);
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code() as u8)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match cli.command {
        Command::Query {
            query,
            format,
            params,
            list,
            store,
            allow_service,
        } => {
            let sources = Sources::open(cli.data.as_deref())?;
            if list {
                list_queries(&sources, &mut out)?;
            } else {
                let options = query::EvalOptions {
                    services: aikg::federation::ServiceOptions::from_env(&allow_service),
                };
                run_query(
                    &sources,
                    store.as_deref(),
                    query,
                    format,
                    &params,
                    &options,
                    &mut out,
                )?;
            }
        }
        Command::Explain {
            entity,
            format,
            store,
        } => {
            let sources = Sources::open(cli.data.as_deref())?;
            let store = store::open(store.as_deref(), &sources)?;
            let entity = aikg::resolve::resolve(&store, &entity)?;
            let explanation = aikg::explain::explain(&store, &entity)?;
            match format.as_str() {
                "json" => write_json(&explanation, &mut out)?,
                "text" => {
                    write!(out, "{}", aikg::explain::to_text(&explanation)).map_err(stdout_error)?
                }
                other => {
                    return Err(Error::usage(
                        format!("unknown format {other:?}"),
                        "use --format text or json",
                    ))
                }
            }
        }
        Command::Stats { format, store } => {
            let sources = Sources::open(cli.data.as_deref())?;
            let store = store::open(store.as_deref(), &sources)?;
            let stats = aikg::stats::stats(&store)?;
            match format.as_str() {
                "json" => write_json(&stats, &mut out)?,
                "text" => write!(out, "{}", aikg::stats::to_text(&stats)).map_err(stdout_error)?,
                other => {
                    return Err(Error::usage(
                        format!("unknown format {other:?}"),
                        "use --format text or json",
                    ))
                }
            }
        }
        Command::Load {
            store,
            format,
            graph,
            shapes,
            force,
            ontology,
            files,
        } => {
            if !shapes.is_empty() {
                let code = load_checked(
                    &store,
                    format,
                    graph,
                    (&shapes, &ontology),
                    force,
                    &files,
                    &mut out,
                )?;
                out.flush().map_err(stdout_error)?;
                return Ok(code);
            }
            load(&store, format, graph, &files)?
        }
        Command::Check { format } => {
            let format = report_format(&format)?;
            let sources = Sources::open(cli.data.as_deref())?;
            let outcome = aikg::check::check(&sources)?;
            return report(&outcome, format, &mut out);
        }
        Command::Validate {
            shapes,
            format,
            ontology,
            input_format,
            files,
        } => {
            let format = report_format(&format)?;
            let input_format = rdf_format(input_format)?;
            let (outcome, _) = aikg::check::validate(&shapes, &ontology, &files, input_format)?;
            return report(&outcome, format, &mut out);
        }
        Command::Link {
            target,
            file,
            columns,
            min_score,
            class,
            countries,
            output,
            wikidata,
            review,
            graph,
            date,
            store,
        } => {
            let sources = Sources::open(cli.data.as_deref())?;
            let store = store::open(store.as_deref(), &sources)?;
            aikg::link::cli::link(
                &store,
                aikg::link::cli::LinkArgs {
                    target,
                    file,
                    columns,
                    min_score,
                    class,
                    countries,
                    output,
                    wikidata,
                    review,
                    graph,
                    date,
                },
                &mut out,
            )?;
        }
        Command::Import {
            args,
            graph,
            columns,
            format,
            store,
        } => aikg::link::cli::import(&store, &args, &graph, columns.as_deref(), format.as_deref())?,
        Command::Dump {
            format,
            output,
            license,
            store,
        } => {
            let sources = Sources::open(cli.data.as_deref())?;
            let store = store::open(store.as_deref(), &sources)?;
            aikg::link::cli::dump(&store, &format, output.as_deref(), &license, &mut out)?;
        }
        Command::Export {
            format,
            files,
            focus,
            depth,
            cluster,
            query,
            graph,
            output,
        } => {
            let query = match query {
                Some(path) => {
                    let text =
                        std::fs::read_to_string(&path).map_err(|e| Error::io(path.display(), e))?;
                    Some((text, path.display().to_string()))
                }
                None => None,
            };
            let request = aikg::graph::Request {
                focus,
                depth,
                cluster,
                construct: query,
                ..graph_request(&graph)
            };
            export_graph(
                cli.data.as_deref(),
                &files,
                &graph,
                &request,
                &format,
                output.as_deref(),
                &mut out,
            )?;
        }
        Command::Path {
            from,
            to,
            limit,
            format,
            graph,
        } => {
            let (store, projection) =
                open_graph(cli.data.as_deref(), &graph, &graph_request(&graph))?;
            let a = aikg::graph::node_of(&store, &projection, &from)?;
            let b = aikg::graph::node_of(&store, &projection, &to)?;
            let paths = aikg::graph::analytics::shortest_paths(&projection, a, b, limit);
            match format.as_str() {
                "json" => write_json(&paths, &mut out)?,
                "text" => write!(out, "{}", aikg::graph::analytics::paths_to_text(&paths))
                    .map_err(stdout_error)?,
                other => {
                    return Err(Error::usage(
                        format!("unknown format {other:?}"),
                        "use --format text or json",
                    ))
                }
            }
        }
        Command::Neighbors {
            entity,
            depth,
            format,
            graph,
        } => {
            let request = aikg::graph::Request {
                focus: Some(entity),
                depth,
                ..graph_request(&graph)
            };
            let (_, projection) = open_graph(cli.data.as_deref(), &graph, &request)?;
            let center = projection
                .focus
                .expect("a focused projection has its focus");
            let list = aikg::graph::analytics::neighbours(&projection, center, depth);
            let center = aikg::graph::analytics::node_ref(&projection, center);
            match format.as_str() {
                "json" => write_json(
                    &serde_json::json!({ "entity": center, "depth": depth, "neighbours": list }),
                    &mut out,
                )?,
                "text" => write!(
                    out,
                    "{}",
                    aikg::graph::analytics::neighbours_to_text(&center, depth, &list)
                )
                .map_err(stdout_error)?,
                other => {
                    return Err(Error::usage(
                        format!("unknown format {other:?}"),
                        "use --format text or json",
                    ))
                }
            }
        }
        Command::Rank {
            by,
            top,
            format,
            graph,
        } => {
            use aikg::graph::analytics;
            if !["degree", "pagerank", "betweenness"].contains(&by.as_str()) {
                return Err(Error::usage(
                    format!("--by {by:?}: unknown measure"),
                    "use --by degree, pagerank or betweenness",
                ));
            }
            let (_, projection) = open_graph(cli.data.as_deref(), &graph, &graph_request(&graph))?;
            let scores = match by.as_str() {
                "pagerank" => analytics::pagerank(&projection),
                "betweenness" => analytics::betweenness(&projection),
                _ => analytics::degree(&projection),
            };
            let ranked = analytics::top(&projection, &scores, top);
            match format.as_str() {
                "json" => write_json(
                    &serde_json::json!({ "by": by, "entities": projection.graph.node_count(), "ranking": ranked }),
                    &mut out,
                )?,
                "text" => write!(
                    out,
                    "{}",
                    analytics::ranking_to_text(&by, projection.graph.node_count(), &ranked)
                )
                .map_err(stdout_error)?,
                other => {
                    return Err(Error::usage(
                        format!("unknown format {other:?}"),
                        "use --format text or json",
                    ))
                }
            }
        }
        Command::Components {
            members,
            format,
            graph,
        } => {
            let (_, projection) = open_graph(cli.data.as_deref(), &graph, &graph_request(&graph))?;
            let components = aikg::graph::analytics::components(&projection);
            match format.as_str() {
                "json" => write_json(&serde_json::json!({ "components": components }), &mut out)?,
                "text" => write!(
                    out,
                    "{}",
                    aikg::graph::analytics::components_to_text(&components, members)
                )
                .map_err(stdout_error)?,
                other => {
                    return Err(Error::usage(
                        format!("unknown format {other:?}"),
                        "use --format text or json",
                    ))
                }
            }
        }
    }
    out.flush().map_err(stdout_error)?;
    Ok(ExitCode::SUCCESS)
}

fn stdout_error(e: std::io::Error) -> Error {
    Error::io("<stdout>", e)
}

fn write_json(value: &impl serde::Serialize, out: &mut dyn Write) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| Error::io("<stdout>", e))?;
    writeln!(out).map_err(stdout_error)
}

fn list_queries(sources: &Sources, out: &mut dyn Write) -> Result<()> {
    for q in named_query::all(&sources.queries)? {
        writeln!(out, "{}\n    {}", q.name, q.title).map_err(stdout_error)?;
        if !q.description.is_empty() {
            writeln!(out, "    {}", q.description).map_err(stdout_error)?;
        }
        for p in &q.params {
            writeln!(
                out,
                "    --param {}=<{:?}>{}{}",
                p.name,
                p.kind,
                if p.optional { " (optional)" } else { "" },
                if p.description.is_empty() {
                    String::new()
                } else {
                    format!("  {}", p.description)
                }
            )
            .map_err(stdout_error)?;
        }
    }
    Ok(())
}

/// What the positional QUERY argument designates.
enum QuerySource {
    Text { text: String, origin: String },
    Named(String),
}

fn query_source(arg: Option<String>) -> Result<QuerySource> {
    let read_stdin = || {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        Ok(QuerySource::Text {
            text,
            origin: "<stdin>".into(),
        })
    };
    match arg {
        None if !std::io::stdin().is_terminal() => read_stdin(),
        None => Err(Error::usage(
            "no query given",
            "give SPARQL text, a .rq file, a named query (`aikg query --list`), or pipe the query on stdin",
        )),
        Some(arg) if arg == "-" => read_stdin(),
        Some(arg) if arg.ends_with(".rq") || Path::new(&arg).is_file() => {
            let bytes = std::fs::read(&arg).map_err(|e| Error::io(&arg, e))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Error::usage(format!("{arg}: not UTF-8"), "save the query as UTF-8"))?;
            Ok(QuerySource::Text { text, origin: arg })
        }
        Some(arg) if arg.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') => Ok(QuerySource::Named(arg)),
        Some(text) => Ok(QuerySource::Text {
            text,
            origin: "<argument>".into(),
        }),
    }
}

fn run_query(
    sources: &Sources,
    store_dir: Option<&Path>,
    arg: Option<String>,
    format: Option<String>,
    params: &[String],
    options: &query::EvalOptions,
    out: &mut dyn Write,
) -> Result<()> {
    let format = match format {
        Some(name) => Some(OutputFormat::from_name(&name).ok_or_else(|| {
            Error::usage(
                format!("unknown output format {name:?}"),
                format!("use one of: {}", OutputFormat::NAMES),
            )
        })?),
        None => None,
    };
    let params = params
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.to_string()))
                .ok_or_else(|| {
                    Error::usage(
                        format!("--param {p:?}: expected NAME=VALUE"),
                        "e.g. --param place=Daejeon",
                    )
                })
        })
        .collect::<Result<Vec<_>>>()?;
    let source = query_source(arg)?;
    // Find a named query before opening the store, so a typo fails fast.
    let named = match &source {
        QuerySource::Named(name) => Some(named_query::find(&sources.queries, name)?),
        QuerySource::Text { .. } => None,
    };
    let store = store::open(store_dir, sources)?;
    let (query, bindings) = match (named, source) {
        (Some(named), _) => named.bind(&store, &params)?,
        (None, QuerySource::Text { text, origin }) => {
            if !params.is_empty() {
                let query = query::Query::parse(&text, &origin)?;
                let mut bindings = Vec::new();
                for (name, value) in &params {
                    if !query.mentions_variable(name) {
                        return Err(Error::usage(
                            format!("--param {name}: the query has no variable ?{name}"),
                            "parameters bind the query's variables by name",
                        ));
                    }
                    let term = value.parse::<oxigraph::model::Term>().map_err(|e| {
                        Error::usage(
                            format!("--param {name}={value:?}: not an RDF term ({e})"),
                            "give the value in N-Triples syntax, e.g. <https://w3id.org/aikg/id/ETRI>, \"text\"@fr or \"2024\"^^<http://www.w3.org/2001/XMLSchema#gYear>; named queries accept plain values",
                        )
                    })?;
                    bindings.push((oxigraph::model::Variable::new_unchecked(name.clone()), term));
                }
                (query, bindings)
            } else {
                (query::Query::parse(&text, &origin)?, Vec::new())
            }
        }
        (None, QuerySource::Named(_)) => unreachable!("named queries are found above"),
    };
    let answer = query::evaluate_with(&store, &query, &bindings, options)?;
    let format = format.unwrap_or(if std::io::stdout().is_terminal() {
        OutputFormat::Table
    } else {
        match answer {
            query::Answer::Graph(_) => OutputFormat::Turtle,
            _ => OutputFormat::Tsv,
        }
    });
    query::write_answer(&answer, format, out)
}

fn load(
    store_dir: &Path,
    format: Option<String>,
    graph: Option<String>,
    files: &[PathBuf],
) -> Result<()> {
    let format = match format {
        Some(name) => Some(SourceFormat::from_name(&name).ok_or_else(|| {
            Error::usage(
                format!("unknown RDF format {name:?}"),
                format!("use one of: {}", SourceFormat::NAMES),
            )
        })?),
        None => None,
    };
    let graph = match graph {
        Some(iri) => Some(
            oxigraph::model::NamedNode::new(iri.trim_start_matches('<').trim_end_matches('>'))
                .map_err(|e| {
                    Error::usage(
                        format!("--graph {iri:?}: not an IRI ({e})"),
                        "give an absolute IRI, e.g. https://example.org/graph",
                    )
                })?,
        ),
        None => None,
    };
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let options = LoadOptions {
        format,
        graph,
        progress: progress.clone().map(|bar| {
            Box::new(move |n: u64| bar.set_message(format!("{n} quads read")))
                as Box<dyn Fn(u64) + Send + Sync>
        }),
    };
    let started = std::time::Instant::now();
    let result = store::load(store_dir, files, options);
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let report = result?;
    let read: u64 = report.files.iter().map(|(_, n)| n).sum();
    eprintln!(
        "loaded {read} quads from {} file{} into {} in {:.2}s",
        report.files.len(),
        if report.files.len() == 1 { "" } else { "s" },
        store_dir.display(),
        started.elapsed().as_secs_f64(),
    );
    Ok(())
}

/// Writes a check or validation report; exit 1 when it has violations.
fn report(
    outcome: &aikg::check::Outcome,
    format: aikg::check::ReportFormat,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    outcome.write(format, out)?;
    out.flush().map_err(stdout_error)?;
    Ok(if outcome.has_violations() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn report_format(name: &str) -> Result<aikg::check::ReportFormat> {
    aikg::check::ReportFormat::from_name(name).ok_or_else(|| {
        Error::usage(
            format!("unknown report format {name:?}"),
            format!("use one of: {}", aikg::check::ReportFormat::NAMES),
        )
    })
}

fn rdf_format(name: Option<String>) -> Result<Option<SourceFormat>> {
    match name {
        Some(name) => Ok(Some(SourceFormat::from_name(&name).ok_or_else(|| {
            Error::usage(
                format!("unknown RDF format {name:?}"),
                format!("use one of: {}", SourceFormat::NAMES),
            )
        })?)),
        None => Ok(None),
    }
}

/// `aikg load --shapes`: validate, then load the parsed quads, or refuse.
fn load_checked(
    store_dir: &Path,
    format: Option<String>,
    graph: Option<String>,
    (shapes, ontology): (&[PathBuf], &[PathBuf]),
    force: bool,
    files: &[PathBuf],
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let format = rdf_format(format)?;
    let graph = match graph {
        Some(iri) => Some(
            oxigraph::model::NamedNode::new(iri.trim_start_matches('<').trim_end_matches('>'))
                .map_err(|e| {
                    Error::usage(
                        format!("--graph {iri:?}: not an IRI ({e})"),
                        "give an absolute IRI, e.g. https://example.org/graph",
                    )
                })?,
        ),
        None => None,
    };
    let started = std::time::Instant::now();
    let (outcome, parsed) = aikg::check::validate(shapes, ontology, files, format)?;
    if outcome.has_violations() {
        outcome.write(aikg::check::ReportFormat::Text, out)?;
        if !force {
            eprintln!(
                "error: the data has violations of the shapes: nothing was loaded, {} is unchanged\n  hint: fix the data, or load anyway with --force",
                store_dir.display()
            );
            return Ok(ExitCode::from(1));
        }
        eprintln!("warning: loading despite the violations (--force)");
    }
    // The validated files are loaded by oxigraph's parser and bulk loader
    // (the same as a plain `aikg load`), atomically.
    drop(parsed);
    let options = LoadOptions {
        format,
        graph,
        progress: None,
    };
    let report = store::load(store_dir, files, options)?;
    let read: u64 = report.files.iter().map(|(_, n)| n).sum();
    eprintln!(
        "validated and loaded {read} quads from {} file{} into {} in {:.2}s",
        report.files.len(),
        if report.files.len() == 1 { "" } else { "s" },
        store_dir.display(),
        started.elapsed().as_secs_f64(),
    );
    Ok(ExitCode::SUCCESS)
}

/// Options shared by `export` and the graph analytics.
#[derive(clap::Args)]
struct GraphArgs {
    /// Keep only these relations: funds,partnersWith,... (aikg local names, prefixed names or IRIs).
    #[arg(long, value_name = "LIST")]
    relations: Vec<String>,
    /// Keep only entities of these classes or their subclasses: University,Ministry,...
    #[arg(long, value_name = "LIST")]
    classes: Vec<String>,
    /// Leave out entities of these classes or their subclasses: Topic,Person,...
    #[arg(long, value_name = "LIST")]
    without: Vec<String>,
    /// Language of the labels: en or fr (others when the data has them).
    #[arg(long, default_value = "en")]
    lang: String,
    /// Draw fundings and quantities as nodes, not as edges and notes.
    #[arg(long)]
    reify: bool,
    /// Work on this persistent store instead of the bundled data.
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
}

fn graph_request(args: &GraphArgs) -> aikg::graph::Request {
    aikg::graph::Request {
        lang: args.lang.clone(),
        reify: args.reify,
        relations: args.relations.clone(),
        classes: args.classes.clone(),
        without: args.without.clone(),
        ..Default::default()
    }
}

fn open_graph(
    data: Option<&Path>,
    args: &GraphArgs,
    request: &aikg::graph::Request,
) -> Result<(oxigraph::store::Store, aikg::graph::Projection)> {
    let sources = Sources::open(data)?;
    let store = store::open(args.store.as_deref(), &sources)?;
    let projection = aikg::graph::build(&store, request)?;
    Ok((store, projection))
}

fn export_graph(
    data: Option<&Path>,
    files: &[PathBuf],
    args: &GraphArgs,
    request: &aikg::graph::Request,
    format: &str,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<()> {
    let format = format.to_ascii_lowercase();
    if !["dot", "gv", "svg", "png", "graphml", "json", "cytoscape"].contains(&format.as_str()) {
        return Err(Error::usage(
            format!("unknown export format {format:?}"),
            format!("use one of: {}", aikg::graph::EXPORT_FORMATS),
        ));
    }
    if format == "png" && output.is_none() && std::io::stdout().is_terminal() {
        return Err(Error::usage(
            "a PNG is not for the terminal",
            "write it to a file with -o FILE.png",
        ));
    }
    let projection = if files.is_empty() {
        open_graph(data, args, request)?.1
    } else {
        if data.is_some() {
            return Err(Error::usage(
                "--data and FILES both say what to draw",
                "give the RDF files, or --data DIR, not both",
            ));
        }
        aikg::graph::build_from_files(files, request)?
    };
    match output {
        Some(path) => aikg::output::write_atomically(path, |file| {
            aikg::graph::export_to(&projection, &format, file)
        })?,
        None => aikg::graph::export_to(&projection, &format, out)?,
    }
    aikg::graph::discard(projection);
    Ok(())
}
