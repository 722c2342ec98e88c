//! A throw-away Virtuoso for a test binary, through `tests/support/virtuoso.sh`:
//! started once on free loopback ports, stopped when the test process ends
//! (the script's watchdog follows this process, so a test that panics or is
//! killed leaves nothing running), its directory removed at the end.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock};

pub struct Virtuoso {
    pub endpoint: String,
    pub graph_store: String,
    pub http_port: u16,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/virtuoso.sh")
}

/// Is Virtuoso installed? (`bash .ci/deps` installs it.)
pub fn installed() -> bool {
    Command::new("sh")
        .args(["-c", "command -v virtuoso-t && command -v isql-vt"])
        .output()
        .is_ok_and(|o| o.status.success())
}

impl Virtuoso {
    /// The instance of this test process, started at the first call. A
    /// missing Virtuoso fails the test, never passes it unseen (as a missing
    /// ../shared/external does).
    pub fn shared() -> &'static Virtuoso {
        static INSTANCE: OnceLock<Virtuoso> = OnceLock::new();
        INSTANCE.get_or_init(|| {
            assert!(
                installed(),
                "virtuoso-t is not installed: these tests need it (bash .ci/deps installs virtuoso-opensource)"
            );
            Virtuoso::start()
        })
    }

    fn start() -> Self {
        let dir = std::env::temp_dir().join(format!("aikg-virtuoso-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let output = Command::new("bash")
            .arg(script())
            .arg("start")
            .arg(&dir)
            .env("VIRTUOSO_WATCH_PID", std::process::id().to_string())
            .output()
            .expect("bash runs");
        assert!(
            output.status.success(),
            "virtuoso.sh start failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let env = String::from_utf8_lossy(&output.stdout).into_owned();
        let get = |key: &str| {
            env.lines()
                .find_map(|l| l.strip_prefix(&format!("{key}=")))
                .unwrap_or_else(|| panic!("no {key} in {env}"))
                .to_string()
        };
        Self {
            endpoint: get("VIRTUOSO_ENDPOINT"),
            graph_store: get("VIRTUOSO_GRAPH_STORE"),
            http_port: get("VIRTUOSO_HTTP_PORT").parse().unwrap(),
        }
    }

    /// Tests that write to the store take turns.
    pub fn turn() -> MutexGuard<'static, ()> {
        static TURN: Mutex<()> = Mutex::new(());
        TURN.lock().unwrap_or_else(|e| e.into_inner())
    }
}
