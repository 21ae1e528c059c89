//! A throwaway PostgreSQL server for the end-to-end tests: Debian's
//! `postgresql` package (`.ci/run` installs it), a fresh data folder in a
//! temporary directory, a free port on 127.0.0.1, trust authentication for the
//! `postgres` role. Dropping it stops the server by its PID and deletes the data.
//!
//! Under `CI=true` a missing server fails the test; elsewhere the test says
//! why it did not run. As root (CI), the server runs as the `postgres` user the
//! package creates: PostgreSQL refuses to run as root.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::run;

/// A running server; stopped and deleted when dropped.
pub struct Postgres {
    port: u16,
    data: PathBuf,
    _dir: tempfile::TempDir,
}

/// The newest `initdb` of the Debian layout (`/usr/lib/postgresql/N/bin`).
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// `program` run as the server's user: `postgres` when we are root.
fn as_server_user(program: &Path, root: bool) -> Command {
    if root {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

impl Postgres {
    /// Starts a fresh server, or returns None (outside CI only) when
    /// PostgreSQL is not installed.
    pub fn start(test: &str) -> Option<Postgres> {
        let Some(bin) = bin_dir() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "{test}: PostgreSQL is not installed (CI must install the Debian package postgresql)"
            );
            eprintln!(
                "{test}: NOT RUN here: PostgreSQL is not installed (apt-get install postgresql)"
            );
            return None;
        };
        let root = is_root();
        let dir = tempfile::tempdir().unwrap();
        if root {
            run(Command::new("chown").arg("postgres:").arg(dir.path())).unwrap();
        }
        let data = dir.path().join("data");
        run(as_server_user(&bin.join("initdb"), root)
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            ]))
        .unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            dir.path().display()
        );
        run(as_server_user(&bin.join("pg_ctl"), root)
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.path().join("server.log"))
            .args(["-w", "-t", "60", "-o", &options, "start"]))
        .unwrap_or_else(|err| {
            let log = fs::read_to_string(dir.path().join("server.log")).unwrap_or_default();
            panic!("{test}: PostgreSQL did not start: {err}\n{log}")
        });
        Some(Postgres {
            port,
            data,
            _dir: dir,
        })
    }

    /// The URL of the server's `postgres` database as the `postgres` role.
    pub fn url(&self) -> String {
        format!("postgresql://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn pid(&self) -> Option<String> {
        let text = fs::read_to_string(self.data.join("postmaster.pid")).ok()?;
        text.lines().next().map(|line| line.trim().to_string())
    }
}

impl Drop for Postgres {
    /// A fast shutdown (SIGINT to the postmaster's PID: sessions are ended),
    /// then SIGKILL if it is still there after ten seconds.
    fn drop(&mut self) {
        let Some(pid) = self.pid() else { return };
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        let alive = || {
            Command::new("kill")
                .args(["-0", &pid])
                .output()
                .is_ok_and(|out| out.status.success())
        };
        while alive() {
            if Instant::now() > deadline {
                let _ = Command::new("kill").args(["-KILL", &pid]).status();
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
