//! SVG and PNG through GraphViz's `dot` program: refused above a size dot
//! cannot lay out in reasonable time unless forced, and stopped (the child
//! killed, nothing written) when aikg is told to stop.

use crate::error::{Error, Result};
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

/// Above this many nodes or edges, `dot` (whose layout grows faster than
/// the square of the graph) takes hours and gigabytes: drawing needs
/// `--force`.
pub const MAX_NODES: usize = 5_000;
pub const MAX_EDGES: usize = 20_000;

/// Refuses a picture larger than [`MAX_NODES`] or [`MAX_EDGES`], saying how
/// to narrow it or force it.
pub fn check_size(format: &str, nodes: usize, edges: usize) -> Result<()> {
    if nodes <= MAX_NODES && edges <= MAX_EDGES {
        return Ok(());
    }
    Err(Error::usage(
        format!(
            "the picture has {nodes} nodes and {edges} edges: GraphViz's dot would take hours and gigabytes to lay it out (aikg draws {format} up to {MAX_NODES} nodes and {MAX_EDGES} edges)"
        ),
        "narrow it (--focus X --depth N, --classes, --relations, --without), write DOT with `aikg export dot` for a faster layout (sfdp), or add --force to draw it anyway",
    ))
}

/// The program run: `$AIKG_DOT` if set, else `dot` on the PATH.
fn dot_program() -> String {
    std::env::var("AIKG_DOT").unwrap_or_else(|_| "dot".to_string())
}

/// The signal that asked aikg to stop while an [`Interruptible`] guard was
/// held (0: none).
static STOP_SIGNAL: AtomicI32 = AtomicI32::new(0);

extern "C" fn remember_signal(signal: libc::c_int) {
    STOP_SIGNAL.store(signal, Ordering::SeqCst);
}

/// While held, SIGTERM and SIGINT do not end the process at once: they are
/// remembered, and [`render`] kills `dot` and returns
/// [`Error::Interrupted`], so that the caller removes its temporary file.
/// Dropping it restores the previous handlers.
pub struct Interruptible {
    previous: Vec<(libc::c_int, libc::sigaction)>,
}

impl Interruptible {
    pub fn new() -> Self {
        let mut previous = Vec::new();
        for signal in [libc::SIGTERM, libc::SIGINT] {
            // SAFETY: the handler only stores into an atomic, which is
            // async-signal-safe; the structs are zeroed C structs.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = remember_signal as extern "C" fn(libc::c_int) as usize;
                libc::sigemptyset(&mut action.sa_mask);
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, &action, &mut old) == 0 {
                    previous.push((signal, old));
                }
            }
        }
        Self { previous }
    }
}

impl Default for Interruptible {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Interruptible {
    fn drop(&mut self) {
        for (signal, old) in &self.previous {
            // SAFETY: restores the action saved by `new`.
            unsafe {
                libc::sigaction(*signal, old, std::ptr::null_mut());
            }
        }
    }
}

fn stop_signal() -> Result<()> {
    match STOP_SIGNAL.load(Ordering::SeqCst) {
        0 => Ok(()),
        signal => Err(Error::Interrupted { signal }),
    }
}

/// Renders DOT text to `svg` or `png` with `dot -T<format>`.
pub fn render(dot: &[u8], format: &str) -> Result<Vec<u8>> {
    stop_signal()?;
    let program = dot_program();
    let mut child = Command::new(&program)
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::usage(
                    format!("`aikg export {format}` needs GraphViz's `{program}` program, which is not installed (not found on the PATH)"),
                    "install GraphViz — Debian/Ubuntu: `sudo apt-get install graphviz`, Fedora: `sudo dnf install graphviz`, macOS: `brew install graphviz` — or write DOT with `aikg export dot` and render it elsewhere",
                )
            } else {
                Error::io(&program, e)
            }
        })?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = dot.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let stdout = read_all(child.stdout.take().expect("stdout is piped"));
    let stderr = read_all(child.stderr.take().expect("stderr is piped"));
    let status = wait_unless_stopped(&mut child).map_err(|e| match e {
        Error::Interrupted { .. } => e,
        other => Error::io(&program, other),
    })?;
    let written = writer.join().unwrap_or(Ok(()));
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    if !status.success() {
        return Err(Error::io(
            &program,
            format!(
                "failed ({status}): {}",
                String::from_utf8_lossy(&stderr).trim()
            ),
        ));
    }
    written.map_err(|e| Error::io(&program, e))?;
    Ok(stdout)
}

fn read_all(mut from: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = from.read_to_end(&mut bytes);
        bytes
    })
}

/// How often a wait for `dot` looks for a stop signal.
const WAIT_STEP: Duration = Duration::from_millis(20);

/// Waits for `child`; if aikg is told to stop meanwhile, kills it (a `dot`
/// left behind may hold gigabytes for hours) and says so.
fn wait_unless_stopped(child: &mut Child) -> Result<std::process::ExitStatus> {
    loop {
        if let Some(status) = child.try_wait().map_err(|e| Error::io("dot", e))? {
            return Ok(status);
        }
        if let Err(stopped) = stop_signal() {
            let _ = child.kill();
            let _ = child.wait();
            return Err(stopped);
        }
        std::thread::sleep(WAIT_STEP);
    }
}
