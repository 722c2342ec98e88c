//! `aikg completions SHELL` and `aikg man`: generated at run time from the
//! clap definitions of this very binary, so that they can never describe
//! another version of the command line (a build step would write them
//! beside the binary, where packagers must find and copy them; these
//! commands let them, or a user, write them anywhere: `aikg man >
//! aikg.1`).

use super::{stdout_error, Cli};
use aikg::error::Result;
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    shell: clap_complete::Shell,
}

pub fn completions(args: CompletionsArgs, out: &mut dyn Write) -> Result<ExitCode> {
    clap_complete::generate(args.shell, &mut Cli::command(), "aikg", out);
    out.flush().map_err(stdout_error)?;
    Ok(ExitCode::SUCCESS)
}

pub fn man(out: &mut dyn Write) -> Result<ExitCode> {
    clap_mangen::Man::new(Cli::command())
        .render(out)
        .map_err(stdout_error)?;
    Ok(ExitCode::SUCCESS)
}
