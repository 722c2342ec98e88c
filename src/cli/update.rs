//! `aikg update`: SPARQL UPDATE on a persistent store, in one transaction,
//! checked by shapes first (the library's [`aikg::update`]).

use super::{stdout_error, Global};
use aikg::error::{Error, Result};
use aikg::serve::gate::Gate;
use aikg::update::{Options, Outcome};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct UpdateArgs {
    /// SPARQL UPDATE text, a file holding it (.ru), or - (stdin).
    update: String,
    /// The store to change (made by `aikg load`).
    #[arg(long, value_name = "DIR")]
    store: PathBuf,
    /// Refuse the update (store unchanged, exit 1) if the store would have
    /// violations of these SHACL shapes it does not have now (repeatable).
    #[arg(long, value_name = "S.ttl")]
    shapes: Vec<PathBuf>,
    /// With --shapes: an ontology whose triples (rdfs:subClassOf...) the
    /// validation sees (repeatable).
    #[arg(long, value_name = "O.ttl", requires = "shapes")]
    ontology: Vec<PathBuf>,
    /// With --shapes: apply the update even if it adds violations (the
    /// report is printed).
    #[arg(long, requires = "shapes")]
    force: bool,
    /// Cancel the update after this many seconds (nothing is changed).
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<f64>,
}

pub fn update(_global: &Global, args: UpdateArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let (text, origin) = update_text(&args.update)?;
    let parsed = aikg::query::parse_update(&text, &origin).map_err(|e| {
        if aikg::query::Query::parse(&text, &origin).is_ok() {
            Error::usage(
                format!("{origin}: this is a SPARQL query, not an update"),
                "run it with `aikg query` (aikg update only changes a store)",
            )
        } else {
            e
        }
    })?;
    aikg::store::require_store(&args.store)?;
    let gate = if args.shapes.is_empty() {
        None
    } else {
        Some(Gate::shapes(&args.shapes, &args.ontology)?)
    };
    let store = oxigraph::store::Store::open(&args.store)?;
    let options = Options {
        gate: gate.as_ref(),
        force: args.force,
        timeout: args.timeout.map(super::query::seconds).transpose()?,
    };
    let store_name = args.store.display();
    match aikg::update::apply(&store, parsed, &options)? {
        Outcome::Applied { forced: None } => {
            aikg::terminal::summary(&format!("updated {store_name}"));
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Applied {
            forced: Some(refused),
        } => {
            write!(out, "{}", refused.text()).map_err(stdout_error)?;
            aikg::terminal::warning(&format!(
                "updated {store_name} despite the new violations above (--force)"
            ));
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Refused(refused) => {
            write!(out, "{}", refused.text()).map_err(stdout_error)?;
            out.flush().map_err(stdout_error)?;
            aikg::terminal::error(&format!(
                "the update would add the violations above: nothing was changed, {store_name} is as it was\n  hint: fix the update, or apply it anyway with --force"
            ));
            Ok(ExitCode::from(1))
        }
    }
}

/// The update's text and its name in messages: stdin, a file, or the
/// argument itself.
fn update_text(arg: &str) -> Result<(String, String)> {
    if arg == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        return Ok((text, "<stdin>".into()));
    }
    if super::query::looks_like_a_path(arg) {
        let text = super::query::read_argument_file(
            arg,
            "give the path of an update file, or SPARQL UPDATE text (quoted)",
        )?;
        return Ok((text, arg.to_string()));
    }
    Ok((arg.to_string(), "<argument>".into()))
}
