//! The `aikg` command as the remote-store tests run it: none of the
//! environment's store settings leak in.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn aikg() -> Command {
    let mut cmd = Command::cargo_bin("aikg").unwrap();
    for var in [
        "AIKG_ENDPOINT_USER",
        "AIKG_ENDPOINT_PASSWORD",
        "AIKG_ENDPOINT_TOKEN",
        "AIKG_ENDPOINT_TIMEOUT",
        "AIKG_ENDPOINT_RETRIES",
        "AIKG_ALLOW_SERVICE",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// An auth file holding `line`, readable by its owner only.
pub fn auth_file(dir: &Path, line: &str) -> PathBuf {
    let path = dir.join("store.auth");
    std::fs::write(&path, line).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path
}
