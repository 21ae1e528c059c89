//! The generated projects' hashed lock files: for every combination of
//! choices they pin exactly the chosen packages at the versions of
//! requirements.txt, with hashes; pip installs each with `--require-hashes`
//! (nothing missing, nothing unpinned); and the Docker image's install and
//! start, emulated without Docker (no daemon here), serve the app from a fresh
//! virtualenv holding nothing but the locked packages.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use super::generate;
use crate::support::{create_venv, run, target_dir, venv};

const COMBINATIONS: [(&str, &str, &str); 8] = [
    ("none", "none", "memory"),
    ("none", "none", "redis"),
    ("none", "sqlalchemy", "memory"),
    ("none", "sqlalchemy", "redis"),
    ("jwt", "none", "memory"),
    ("jwt", "none", "redis"),
    ("jwt", "sqlalchemy", "memory"),
    ("jwt", "sqlalchemy", "redis"),
];

/// A package name as pip compares them (PEP 503), without extras.
fn normalize(name: &str) -> String {
    let name = name.split('[').next().unwrap_or(name).trim();
    name.to_lowercase().replace(['_', '.'], "-")
}

/// `name==version` pins of a requirements file, following `-r` includes.
fn pins(project: &Path, file: &str) -> BTreeMap<String, String> {
    let text = fs::read_to_string(project.join(file)).unwrap();
    let mut found = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if let Some(included) = line.strip_prefix("-r ") {
            found.extend(pins(project, included.trim()));
        } else if let Some((name, version)) = line.split_once("==")
            && !line.starts_with('#')
        {
            found.insert(normalize(name), version.trim().to_string());
        }
    }
    found
}

/// The entries of a lock file: (name, version) with the number of hashes.
fn lock_entries(project: &Path, file: &str) -> Vec<(String, String, usize)> {
    let text = fs::read_to_string(project.join(file)).unwrap();
    let mut entries: Vec<(String, String, usize)> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(hash) = line.trim().strip_prefix("--hash=sha256:") {
            let digest = hash.trim_end_matches(" \\").trim();
            assert!(
                digest.len() == 64 && digest.chars().all(|c| c.is_ascii_hexdigit()),
                "{file}: malformed hash line {line:?}"
            );
            entries.last_mut().expect("a hash before any package").2 += 1;
            continue;
        }
        assert!(
            !line.starts_with(' ') && !line.contains("{%") && line.ends_with(" \\"),
            "{file}: unexpected line {line:?}"
        );
        let requirement = line.split(';').next().unwrap().trim_end_matches(" \\");
        let (name, version) = requirement
            .split_once("==")
            .unwrap_or_else(|| panic!("{file}: unpinned {line:?}"));
        entries.push((normalize(name), version.trim().to_string(), 0));
    }
    entries
}

fn choices(auth: &str, db: &str, storage: &str) -> Vec<&'static str> {
    let mut args = vec!["--yes", "--docker", "no", "--ci", "no"];
    for (flag, value) in [
        ("--auth", auth),
        ("--db", db),
        ("--rate-limit-storage", storage),
    ] {
        args.push(flag);
        args.push(value.to_string().leak());
    }
    args
}

#[test]
fn locks_pin_the_chosen_packages_at_the_pinned_versions_with_hashes() {
    let tmp = tempfile::tempdir().unwrap();
    for (auth, db, storage) in COMBINATIONS {
        let name = format!("p-{auth}-{db}-{storage}");
        let project = generate(tmp.path(), &name, &choices(auth, db, storage));
        let mut runtime_names = Vec::new();
        for (source, lock) in [
            ("requirements.txt", "requirements.lock"),
            ("requirements-dev.txt", "requirements-dev.lock"),
        ] {
            let entries = lock_entries(&project, lock);
            for (package, version) in pins(&project, source) {
                assert!(
                    entries
                        .iter()
                        .any(|(n, v, _)| *n == package && *v == version),
                    "{name}/{lock} lacks {package}=={version}"
                );
            }
            for (package, version, hashes) in &entries {
                assert!(
                    *hashes > 0,
                    "{name}/{lock}: {package}=={version} has no hash"
                );
            }
            let names: Vec<&str> = entries.iter().map(|(n, _, _)| n.as_str()).collect();
            let chosen = [
                ("flask-jwt-extended", auth == "jwt"),
                ("cryptography", auth == "jwt"),
                ("sqlalchemy", db == "sqlalchemy"),
                ("psycopg", db == "sqlalchemy"),
                ("alembic", db == "sqlalchemy"),
                ("redis", storage == "redis"),
                ("pytest", lock == "requirements-dev.lock"),
                ("pip-audit", lock == "requirements-dev.lock"),
            ];
            for (package, wanted) in chosen {
                assert_eq!(
                    names.contains(&package),
                    wanted,
                    "{name}/{lock}: {package} present: {}",
                    !wanted
                );
            }
            if lock == "requirements.lock" {
                runtime_names = names.iter().map(|n| n.to_string()).collect();
            } else {
                for package in &runtime_names {
                    assert!(
                        names.contains(&package.as_str()),
                        "{name}: {package} is in requirements.lock but not in requirements-dev.lock"
                    );
                }
            }
        }
    }
}

/// pip, in `--require-hashes` mode, accepts the lock: every dependency of
/// every package is in it, pinned (a dry run: resolution and downloads only).
fn pip_accepts(project: &Path, lock: &str) {
    run(venv()
        .python()
        .args(["-m", "pip", "install", "--dry-run", "--ignore-installed"])
        .args(["--require-hashes", "--quiet", "--disable-pip-version-check"])
        .arg("-r")
        .arg(lock)
        .current_dir(project)
        .env("PIP_CACHE_DIR", target_dir().join("e2e/pip-cache")))
    .unwrap_or_else(|err| panic!("{}/{lock}: {err}", project.display()));
}

#[test]
fn pip_installs_every_lock_with_require_hashes() {
    let tmp = tempfile::tempdir().unwrap();
    for (auth, db, storage) in COMBINATIONS {
        let name = format!("p-{auth}-{db}-{storage}");
        let project = generate(tmp.path(), &name, &choices(auth, db, storage));
        pip_accepts(&project, "requirements.lock");
        // The test tools add the same packages to every combination: the
        // smallest and the largest prove the development locks.
        if (auth, db, storage) == COMBINATIONS[0] || (auth, db, storage) == COMBINATIONS[7] {
            pip_accepts(&project, "requirements-dev.lock");
        }
    }
}

/// The files the Dockerfile copies into the image, as (source, destination).
fn docker_copies(dockerfile: &str) -> Vec<(String, String)> {
    let mut copies = Vec::new();
    for line in dockerfile.lines() {
        let Some(rest) = line.strip_prefix("COPY ") else {
            continue;
        };
        let parts: Vec<&str> = rest.split_whitespace().collect();
        let (destination, sources) = parts.split_last().unwrap();
        for source in sources {
            let target = if destination.ends_with('/') && !source.ends_with('/') {
                format!("{destination}{source}")
            } else if *destination == "." {
                source.to_string()
            } else {
                destination.to_string()
            };
            copies.push((source.trim_end_matches('/').to_string(), target));
        }
    }
    copies
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        fs::copy(from, to).unwrap();
    }
}

/// The Docker image's build and start, emulated: a fresh virtualenv gets
/// exactly the Dockerfile's install (`--require-hashes --no-deps` from
/// requirements.lock), a folder gets exactly the files it copies, and the
/// image's command runs there with the settings the README's `docker run`
/// passes. The same virtualenv then takes requirements-dev.lock (CI's
/// install) and runs the project's own suite.
#[test]
fn the_docker_image_runs_on_the_locked_packages_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let project = generate(tmp.path(), "lockapi", &["--yes", "--auth", "jwt"]);
    let fresh_venv = create_venv(&tmp.path().join("venv")).unwrap();
    let fresh = fresh_venv.root.clone();
    let pip = |lock: &str, extra: &[&str]| {
        run(fresh_venv
            .pip_install()
            .arg("--require-hashes")
            .args(extra)
            .arg("-r")
            .arg(project.join(lock))
            .env("PIP_CACHE_DIR", target_dir().join("e2e/pip-cache")))
        .unwrap();
    };
    let dockerfile = fs::read_to_string(project.join("Dockerfile")).unwrap();
    assert!(
        dockerfile.contains("RUN pip install --require-hashes --no-deps -r requirements.lock"),
        "{dockerfile}"
    );
    pip("requirements.lock", &["--no-deps"]);
    run(Command::new(fresh.join("bin/python")).args(["-m", "pip", "check"])).unwrap();

    let image = tmp.path().join("image");
    fs::create_dir(&image).unwrap();
    for (source, destination) in docker_copies(&dockerfile) {
        let target = image.join(&destination);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        copy_tree(&project.join(&source), &target);
    }
    assert!(image.join("lockapi/auth.py").exists() && image.join("wsgi.py").exists());
    // `RUN mkdir instance` in the image.
    fs::create_dir(image.join("instance")).unwrap();

    let (private, public) = super::e2e::key_pair_text(tmp.path());
    let readme = fs::read_to_string(project.join("README.md")).unwrap();
    let settings = super::e2e::readme_docker_settings(&readme);
    let mut env: Vec<(String, String)> = settings;
    env.push(("JWT_PRIVATE_KEY".into(), private));
    env.push(("JWT_PUBLIC_KEY".into(), public));
    env.push(("APP_ENV".into(), "production".into()));
    let env_refs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let server = super::e2e::start_server(&fresh.join("bin/gunicorn"), &image, &env_refs);
    let health = super::e2e::get_via_proxy(server.port, "/health", "");
    assert_eq!(health.status, 200, "{}", health.body);
    let document = super::e2e::get_via_proxy(server.port, "/openapi.json", "");
    assert_eq!(document.status, 200, "{}", document.body);
    drop(server);

    // CI's install on top, then the project's own suite in this virtualenv.
    pip("requirements-dev.lock", &[]);
    let out = Command::new(fresh.join("bin/python"))
        .args(["-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"])
        .current_dir(&project)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("skipped"), "{text}");
}

#[test]
fn ci_actions_are_pinned_to_commits_and_the_image_to_a_release() {
    let tmp = tempfile::tempdir().unwrap();
    let project = generate(tmp.path(), "pinned", &["--yes", "--db", "sqlalchemy"]);
    let workflow = fs::read_to_string(project.join(".github/workflows/ci.yml")).unwrap();
    let uses: Vec<&str> = workflow
        .lines()
        .filter_map(|line| line.trim().trim_start_matches("- ").strip_prefix("uses: "))
        .collect();
    assert_eq!(uses.len(), 2, "{workflow}");
    for action in uses {
        let (reference, comment) = action.split_once(" # ").expect("a release comment");
        let (_, commit) = reference.split_once('@').unwrap();
        assert!(
            commit.len() == 40 && commit.chars().all(|c| c.is_ascii_hexdigit()),
            "{action}"
        );
        assert!(comment.starts_with('v'), "{action}");
    }
    assert!(workflow.contains("pip install --require-hashes -r requirements-dev.lock"));
    assert!(workflow.contains("pip-audit --strict --disable-pip -r requirements-dev.lock"));
    assert!(workflow.contains("TEST_DATABASE_URL: postgresql://"));
    let image_release = |text: &str, prefix: &str| {
        let line = text
            .lines()
            .map(str::trim)
            .find(|line| line.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix}"));
        let tag = line[prefix.len()..].split(':').nth(1).unwrap().to_string();
        // An exact release: major.minor.patch (or major.minor for PostgreSQL).
        let version = tag.split('-').next().unwrap();
        assert!(
            version.split('.').count() >= 2 && version.split('.').all(|n| n.parse::<u32>().is_ok()),
            "{line}"
        );
        tag
    };
    let dockerfile = fs::read_to_string(project.join("Dockerfile")).unwrap();
    assert!(image_release(&dockerfile, "FROM ").starts_with("3.11."));
    image_release(&workflow, "image: ");
    let dependabot = fs::read_to_string(project.join(".github/dependabot.yml")).unwrap();
    for ecosystem in ["github-actions", "pip", "docker"] {
        assert!(
            dependabot.contains(&format!("package-ecosystem: {ecosystem}")),
            "{dependabot}"
        );
    }
}
