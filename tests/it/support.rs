//! Shared test helpers: the binary under test, temporary trees, and the cached
//! Python virtualenv that the end-to-end tests run generated and fixed projects in.
//!
//! The virtualenv lives under `target/e2e/venv` and is rebuilt only when
//! `tests/python-requirements.txt` changes. It is never skipped: when Python or
//! the packages cannot be had, the tests that need them fail with the reason.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The repository root (where Cargo.toml is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The cargo target directory, where caches (virtualenv, downloads) live.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| {
            if p.is_absolute() {
                p
            } else {
                repo_root().join(p)
            }
        })
        .unwrap_or_else(|| repo_root().join("target"))
}

/// A `Command` for the flask-harden binary built for these tests.
pub fn flask_harden() -> Command {
    Command::new(env!("CARGO_BIN_EXE_flask-harden"))
}

/// The cached Python virtualenv with every package the end-to-end tests use.
pub struct Venv {
    pub root: PathBuf,
}

impl Venv {
    /// Path of an executable inside the virtualenv (`python`, `pytest`, `gunicorn`, ...).
    pub fn bin(&self, name: &str) -> PathBuf {
        self.root.join("bin").join(name)
    }

    /// A `Command` running `python` from the virtualenv.
    pub fn python(&self) -> Command {
        Command::new(self.bin("python"))
    }

    /// `python -m pip install --quiet --disable-pip-version-check`, to which
    /// the caller adds what to install.
    pub fn pip_install(&self) -> Command {
        let mut cmd = self.python();
        cmd.args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ]);
        cmd
    }
}

/// Creates an empty virtualenv at `root` with the tests' Python
/// (`FLASK_HARDEN_TEST_PYTHON`, `python3` by default).
pub fn create_venv(root: &Path) -> Result<Venv, String> {
    let python = std::env::var("FLASK_HARDEN_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    run(Command::new(&python).args(["-m", "venv"]).arg(root))?;
    Ok(Venv {
        root: root.to_path_buf(),
    })
}

/// Returns the shared virtualenv, creating or refreshing it first if needed.
/// Panics (fails the test) with the reason when it cannot be built.
pub fn venv() -> &'static Venv {
    static VENV: OnceLock<Venv> = OnceLock::new();
    VENV.get_or_init(|| build_venv().unwrap_or_else(|err| panic!("python virtualenv: {err}")))
}

fn build_venv() -> Result<Venv, String> {
    let requirements_path = repo_root().join("tests/python-requirements.txt");
    let requirements = fs::read_to_string(&requirements_path)
        .map_err(|e| format!("reading {}: {e}", requirements_path.display()))?;
    let base = target_dir().join("e2e");
    fs::create_dir_all(&base).map_err(|e| format!("creating {}: {e}", base.display()))?;
    // Other test processes may build the same virtualenv: take a file lock.
    let lock = fs::File::create(base.join("venv.lock")).map_err(|e| e.to_string())?;
    lock.lock()
        .map_err(|e| format!("locking the virtualenv: {e}"))?;

    let root = base.join("venv");
    let stamp = root.join(".requirements-stamp");
    if fs::read_to_string(&stamp).ok().as_deref() == Some(requirements.as_str()) {
        return Ok(Venv { root });
    }
    if root.exists() {
        fs::remove_dir_all(&root).map_err(|e| format!("removing stale virtualenv: {e}"))?;
    }
    let venv = create_venv(&root)?;
    run(venv
        .pip_install()
        .arg("-r")
        .arg(&requirements_path)
        .env("PIP_CACHE_DIR", base.join("pip-cache")))?;
    fs::write(&stamp, &requirements).map_err(|e| e.to_string())?;
    Ok(venv)
}

/// Runs a command to completion; an error carries its output.
pub fn run(cmd: &mut Command) -> Result<std::process::Output, String> {
    let out = cmd.output().map_err(|e| format!("running {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(format!(
            "{cmd:?} exited with {}\n--- stdout\n{}\n--- stderr\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Reads every file below `dir` into (relative path, contents), sorted, for snapshots.
pub fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}
