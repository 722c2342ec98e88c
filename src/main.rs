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
    aikg::terminal::configure(cli.global.verbosity(), cli.global.color);
    // One command, then the process ends: no need to free a large graph
    // string by string before the system takes the memory back.
    aikg::graph::release_memory_at_exit(true);
    let mut out = std::io::BufWriter::new(Stdout {
        inner: std::io::stdout().lock(),
        closed: false,
    });
    match cli::run(cli, &mut out) {
        Ok(code) => code,
        Err(error) => {
            // What was written before the error goes out first.
            let _ = std::io::Write::flush(&mut out);
            if out.get_ref().closed {
                // The reader went away (`aikg query ... | head -1`): it has
                // all it wanted, as with ripgrep and coreutils.
                return ExitCode::SUCCESS;
            }
            aikg::terminal::error(&error.to_string());
            ExitCode::from(error.exit_code() as u8)
        }
    }
}

/// Standard output, remembering whether its reader closed the pipe: the
/// error that follows then stops the command, but is no failure.
struct Stdout {
    inner: std::io::StdoutLock<'static>,
    closed: bool,
}

impl Stdout {
    fn watch<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &result {
            self.closed |= e.kind() == std::io::ErrorKind::BrokenPipe;
        }
        result
    }
}

impl std::io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let result = self.inner.write(buf);
        self.watch(result)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let result = self.inner.flush();
        self.watch(result)
    }
}
