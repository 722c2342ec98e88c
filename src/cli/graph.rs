//! `aikg export`, `path`, `neighbors`, `rank` and `components`: the petgraph
//! projection, drawn or measured.

use super::{Global, TextOrJson};
use aikg::error::{Error, Result};
use aikg::graph::analytics;
use aikg::kg::Kg;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Options shared by `export` and the graph analytics.
#[derive(clap::Args)]
pub struct GraphArgs {
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

impl GraphArgs {
    fn request(&self) -> aikg::graph::Request {
        aikg::graph::Request {
            lang: self.lang.clone(),
            reify: self.reify,
            relations: self.relations.clone(),
            classes: self.classes.clone(),
            without: self.without.clone(),
            ..Default::default()
        }
    }

    fn open(
        &self,
        global: &Global,
        request: &aikg::graph::Request,
    ) -> Result<(Box<dyn Kg>, aikg::graph::Projection)> {
        let store = super::remote::open(global, self.store.as_deref())?;
        let projection = aikg::graph::build(&*store, request)?;
        Ok((store, projection))
    }
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// dot, svg, png, graphml or json.
    format: String,
    /// RDF files to draw instead of the bundled data or a --store.
    #[arg(value_name = "FILES", conflicts_with = "store")]
    files: Vec<PathBuf>,
    /// Draw only what lies within --depth hops of this entity (label, acronym, prefixed name or IRI).
    #[arg(long)]
    focus: Option<String>,
    /// Hops around --focus (edge direction ignored). The walk stops at hubs: countries, topics and nodes of more than 30 edges are drawn but not walked through.
    #[arg(long, default_value_t = 1)]
    depth: usize,
    /// Walk on through hubs (countries, topics, nodes of many edges) instead of stopping at them.
    #[arg(long, requires = "focus")]
    through_hubs: bool,
    /// Draw the neighbours of these entities too, hubs or not (they must be in the picture).
    #[arg(long, value_name = "LIST", requires = "focus")]
    expand: Vec<String>,
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
    /// Draw an SVG or PNG even above 5000 nodes or 20000 edges, which
    /// GraphViz may take hours and gigabytes to lay out.
    #[arg(long)]
    force: bool,
}

pub fn export(global: &Global, args: ExportArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let query = match args.query {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(path.display(), e))?;
            Some((text, path.display().to_string()))
        }
        None => None,
    };
    let request = aikg::graph::Request {
        focus: args.focus,
        depth: args.depth,
        through_hubs: args.through_hubs,
        expand: aikg::graph::split_list(&args.expand),
        cluster: args.cluster,
        construct: query,
        ..args.graph.request()
    };
    let format = args.format.to_ascii_lowercase();
    if !["dot", "gv", "svg", "png", "graphml", "json", "cytoscape"].contains(&format.as_str()) {
        return Err(Error::usage(
            format!("unknown export format {format:?}"),
            format!("use one of: {}", aikg::graph::EXPORT_FORMATS),
        ));
    }
    let output: Option<&Path> = args.output.as_deref();
    if format == "png" && output.is_none() && std::io::stdout().is_terminal() {
        return Err(Error::usage(
            "a PNG is not for the terminal",
            "write it to a file with -o FILE.png",
        ));
    }
    let projection = if args.files.is_empty() {
        args.graph.open(global, &request)?.1
    } else {
        if global.data.is_some() || global.endpoint.is_some() {
            return Err(Error::usage(
                "FILES and --data or --endpoint both say what to draw",
                "give the RDF files, or --data DIR, or --endpoint URL, not two of them",
            ));
        }
        aikg::graph::build_from_files(&args.files, &request)?
    };
    let drawing = matches!(format.as_str(), "svg" | "png");
    if drawing && !args.force {
        let (nodes, edges) = projection.size();
        aikg::graph::render::check_size(&format, nodes, edges)?;
    }
    // SIGTERM or Ctrl-C while `dot` runs: dot is killed and the temporary
    // file removed, instead of both being left behind.
    let _interruptible = drawing.then(aikg::graph::render::Interruptible::new);
    match output {
        Some(path) => aikg::output::write_atomically(path, |file| {
            aikg::graph::export_to(&projection, &format, file)
        })?,
        None => aikg::graph::export_to(&projection, &format, out)?,
    }
    aikg::graph::discard(projection);
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct PathArgs {
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
}

pub fn path(global: &Global, args: PathArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let format = TextOrJson::parse(&args.format)?;
    let store = super::remote::open(global, args.graph.store.as_deref())?;
    let request = args.graph.request();
    let paths = aikg::graph::paths_between(&*store, &request, &args.from, &args.to, args.limit)?;
    format.write(&paths, || analytics::paths_to_text(&paths), out)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct NeighborsArgs {
    entity: String,
    #[arg(long, default_value_t = 1)]
    depth: usize,
    /// text or json.
    #[arg(long, short, default_value = "text")]
    format: String,
    #[command(flatten)]
    graph: GraphArgs,
}

pub fn neighbors(global: &Global, args: NeighborsArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let format = TextOrJson::parse(&args.format)?;
    let request = aikg::graph::Request {
        focus: Some(args.entity),
        depth: args.depth,
        ..args.graph.request()
    };
    let (_, projection) = args.graph.open(global, &request)?;
    let center = projection
        .focus
        .expect("a focused projection has its focus");
    let list = analytics::neighbours(&projection, center, args.depth);
    let center = analytics::node_ref(&projection, center);
    format.write(
        &serde_json::json!({ "entity": center, "depth": args.depth, "neighbours": list }),
        || analytics::neighbours_to_text(&center, args.depth, &list),
        out,
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct RankArgs {
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
}

pub fn rank(global: &Global, args: RankArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let format = TextOrJson::parse(&args.format)?;
    if !["degree", "pagerank", "betweenness"].contains(&args.by.as_str()) {
        return Err(Error::usage(
            format!("--by {:?}: unknown measure", args.by),
            "use --by degree, pagerank or betweenness",
        ));
    }
    let (_, projection) = args.graph.open(global, &args.graph.request())?;
    let scores = match args.by.as_str() {
        "pagerank" => analytics::pagerank(&projection),
        "betweenness" => analytics::betweenness(&projection),
        _ => analytics::degree(&projection),
    };
    let ranked = analytics::top(&projection, &scores, args.top);
    let count = projection.graph.node_count();
    format.write(
        &serde_json::json!({ "by": args.by, "entities": count, "ranking": ranked }),
        || analytics::ranking_to_text(&args.by, count, &ranked),
        out,
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct ComponentsArgs {
    /// Members listed per component (text format).
    #[arg(long, default_value_t = 12)]
    members: usize,
    /// text or json.
    #[arg(long, short, default_value = "text")]
    format: String,
    #[command(flatten)]
    graph: GraphArgs,
}

pub fn components(global: &Global, args: ComponentsArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let format = TextOrJson::parse(&args.format)?;
    let (_, projection) = args.graph.open(global, &args.graph.request())?;
    let components = analytics::components(&projection);
    format.write(
        &serde_json::json!({ "components": components }),
        || analytics::components_to_text(&components, args.members),
        out,
    )?;
    Ok(ExitCode::SUCCESS)
}
