//! `aikg explain` and `aikg stats`: what the graph says about an entity, and
//! what it holds.

use super::{Global, TextOrJson};
use aikg::error::Result;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ExplainArgs {
    entity: String,
    /// text or json.
    #[arg(long, short, default_value = "text")]
    format: String,
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
}

pub fn explain(global: &Global, args: ExplainArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let format = TextOrJson::parse(&args.format)?;
    let store = super::remote::open(global, args.store.as_deref())?;
    let entity = aikg::resolve::resolve(&*store, &args.entity)?;
    // A local store's inferred facts as --reasoning sees them; a remote
    // store is read as it is (super::remote::open refuses --reasoning).
    let view = match store.as_store() {
        Some(local) => aikg::reason::open_view(local, global.reasoning()?)?,
        None => aikg::reason::View::STATED,
    };
    let explanation = aikg::explain::explain_in(&*store, &entity, view)?;
    format.write(&explanation, || aikg::explain::to_text(&explanation), out)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct StatsArgs {
    /// text or json.
    #[arg(long, short, default_value = "text")]
    format: String,
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
}

pub fn stats(global: &Global, args: StatsArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let format = TextOrJson::parse(&args.format)?;
    let store = super::remote::open(global, args.store.as_deref())?;
    let stats = aikg::stats::stats(&*store)?;
    format.write(&stats, || aikg::stats::to_text(&stats), out)?;
    Ok(ExitCode::SUCCESS)
}
