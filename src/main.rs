//! The `aikg` command line: a thin layer over the library (the commands are
//! in `src/cli/`, one file per group).

mod cli;

use clap::Parser;
use std::process::ExitCode;

/// Reading a large graph and drawing it allocates millions of small strings
/// and frees them together; mimalloc does both several times faster than
/// glibc's malloc, whose thread arenas also grow a page range at a time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // One command, then the process ends: no need to free a large graph
    // string by string before the system takes the memory back.
    aikg::graph::release_memory_at_exit(true);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match cli::run(cli, &mut out) {
        Ok(code) => code,
        Err(error) => {
            // What was written before the error goes out first.
            let _ = std::io::Write::flush(&mut out);
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code() as u8)
        }
    }
}
