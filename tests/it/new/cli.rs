//! The command line of `new`: flags, values file, custom templates, refusals and
//! bad names. These need no Python.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use super::{ALL_OPTIONS, generate, new_in, secret_key, stderr, stdout};
use crate::support::read_tree;

#[test]
fn yes_writes_the_default_project_and_prints_the_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = new_in(tmp.path(), &["myapi", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "project_name = myapi",
        "auth = none  (default)",
        "db = none  (default)",
        "rate_limit_storage = memory  (default)",
        "cors_origins = http://localhost:3000  (default)",
        "docker = yes  (default)",
        "ci = yes  (default)",
        "Created myapi/",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
    let project = tmp.path().join("myapi");
    for file in [
        "pyproject.toml",
        "requirements.txt",
        "requirements-dev.txt",
        "wsgi.py",
        "gunicorn.conf.py",
        ".env",
        ".env.example",
        ".gitignore",
        "Dockerfile",
        ".github/workflows/ci.yml",
        "README.md",
        "SECURITY.md",
        "myapi/__init__.py",
        "myapi/config.py",
        "myapi/security.py",
        "tests/test_headers.py",
    ] {
        assert!(project.join(file).is_file(), "{file} missing");
    }
    assert!(!project.join("myapi/auth.py").exists());
    assert!(!project.join("myapi/db.py").exists());
    assert!(!project.join("template.toml").exists());
    assert!(
        fs::read_to_string(project.join(".gitignore"))
            .unwrap()
            .lines()
            .any(|l| l == ".env")
    );
}

#[test]
fn env_file_holds_a_fresh_private_secret_that_is_never_printed() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("one");
    fs::create_dir(&first).unwrap();
    let out = new_in(tmp.path(), &["one", "--yes"]);
    assert!(out.status.success());
    let project = tmp.path().join("one");
    let key = secret_key(&project);
    assert_eq!(key.len(), 64);
    assert!(key.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(!stdout(&out).contains(&key) && !stderr(&out).contains(&key));
    let mode = fs::metadata(project.join(".env"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let other = generate(tmp.path(), "two", &["--yes"]);
    assert_ne!(secret_key(&other), key);
    let example = fs::read_to_string(project.join(".env.example")).unwrap();
    assert!(example.contains("SECRET_KEY=change-me"));
}

#[test]
fn all_options_add_jwt_and_sqlalchemy() {
    let tmp = tempfile::tempdir().unwrap();
    let project = generate(tmp.path(), "shop", ALL_OPTIONS);
    for file in [
        "shop/auth.py",
        "shop/db.py",
        "shop/models.py",
        "tests/test_auth.py",
        "tests/test_db.py",
    ] {
        assert!(project.join(file).is_file(), "{file} missing");
    }
    let requirements = fs::read_to_string(project.join("requirements.txt")).unwrap();
    for pin in [
        "Flask-JWT-Extended==4.7.4",
        "SQLAlchemy==2.1.9",
        "redis==8.1.0",
    ] {
        assert!(requirements.contains(pin), "{pin} missing");
    }
    let env = fs::read_to_string(project.join(".env")).unwrap();
    assert!(env.contains("RATELIMIT_STORAGE_URI=redis://"));
}

#[test]
fn generated_pins_are_those_of_the_test_virtualenv() {
    let tmp = tempfile::tempdir().unwrap();
    let project = generate(tmp.path(), "pins", ALL_OPTIONS);
    let venv =
        fs::read_to_string(crate::support::repo_root().join("tests/python-requirements.txt"))
            .unwrap();
    let venv_pins: Vec<&str> = venv.lines().filter(|l| l.contains("==")).collect();
    let mut checked = 0;
    for file in ["requirements.txt", "requirements-dev.txt"] {
        for line in fs::read_to_string(project.join(file)).unwrap().lines() {
            if line.contains("==") {
                assert!(
                    venv_pins.contains(&line),
                    "{file}: {line} is not pinned alike in tests/python-requirements.txt"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 15, "only {checked} pins");
}

#[test]
fn docker_and_ci_can_be_left_out() {
    let tmp = tempfile::tempdir().unwrap();
    let project = generate(
        tmp.path(),
        "lean",
        &["--yes", "--docker", "no", "--ci", "false"],
    );
    assert!(!project.join("Dockerfile").exists());
    assert!(!project.join(".dockerignore").exists());
    assert!(!project.join(".github").exists());
    assert!(project.join("wsgi.py").exists());
}

#[test]
fn without_a_terminal_it_takes_defaults_without_yes() {
    let tmp = tempfile::tempdir().unwrap();
    // stdin is /dev/null: nothing can be asked, so nothing waits.
    let out = new_in(tmp.path(), &["quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("auth = none  (default)"));
    assert!(tmp.path().join("quiet/quiet/__init__.py").is_file());
}

#[test]
fn without_a_name_and_a_terminal_the_default_name_is_used() {
    let tmp = tempfile::tempdir().unwrap();
    let out = new_in(tmp.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("project_name = myapi  (default)"));
    assert!(tmp.path().join("myapi/myapi/config.py").is_file());
}

#[test]
fn values_file_answers_and_flags_win_over_it() {
    let tmp = tempfile::tempdir().unwrap();
    let answers = tmp.path().join("answers.toml");
    fs::write(
        &answers,
        "auth = \"jwt\"\ndb = \"sqlalchemy\"\ndocker = false\ncors_origins = [\"https://a.example.com\", \"https://b.example.com\"]\ndescription = \"Billing service\"\n",
    )
    .unwrap();
    let out = new_in(
        tmp.path(),
        &[
            "billing",
            "--values-file",
            answers.to_str().unwrap(),
            "--db",
            "none",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("auth = jwt\n"), "{text}");
    assert!(text.contains("db = none\n"), "{text}");
    let project = tmp.path().join("billing");
    assert!(project.join("billing/auth.py").is_file());
    assert!(!project.join("billing/db.py").exists());
    assert!(!project.join("Dockerfile").exists());
    let env = fs::read_to_string(project.join(".env")).unwrap();
    assert!(env.contains("CORS_ORIGINS=https://a.example.com,https://b.example.com"));
    assert!(
        fs::read_to_string(project.join("pyproject.toml"))
            .unwrap()
            .contains("description = \"Billing service\"")
    );
}

#[test]
fn invalid_answers_are_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let answers = tmp.path().join("answers.toml");
    fs::write(&answers, "auth = \"oauth\"\n").unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--values-file".into(), answers.display().to_string()],
            "must be one of: none, jwt",
        ),
        (
            vec!["--set".into(), "colour=red".into()],
            "no question named `colour`",
        ),
        (
            vec!["--set".into(), "auth".into()],
            "expected QUESTION=VALUE",
        ),
        (
            vec!["--cors-origins".into(), "*".into()],
            "invalid answer for `cors_origins`",
        ),
        (
            vec!["--cors-origins".into(), "https://a.example.com/path".into()],
            "cors_origins",
        ),
        // A host the app's own origin rule refuses at start-up; said in words.
        (
            vec!["--cors-origins".into(), "https://.example.com".into()],
            "must be comma-separated exact origins, scheme://host[:port]",
        ),
        (
            vec!["--cors-origins".into(), "https://a..b".into()],
            "cors_origins",
        ),
        (
            vec!["--description".into(), "say \"hi\"".into()],
            "invalid answer for `description`",
        ),
        (vec!["--docker".into(), "maybe".into()], "must be yes or no"),
        (
            vec!["--values-file".into(), "missing.toml".into()],
            "missing.toml",
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["app", "--yes"];
        all.extend(args.iter().map(String::as_str));
        let out = new_in(tmp.path(), &all);
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        assert!(stderr(&out).contains(message), "{all:?}: {}", stderr(&out));
        assert!(!tmp.path().join("app").exists(), "{all:?} wrote something");
    }
    // clap refuses values outside a named flag's choices.
    let out = new_in(tmp.path(), &["app", "--yes", "--auth", "oauth"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("possible values: none, jwt"));
}

#[test]
fn bad_names_are_refused_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, reason) in [
        ("1api", "must start with a lowercase letter"),
        ("My-Api", "must start with a lowercase letter"),
        ("my.api", "use only lowercase letters"),
        ("a/b", "use only lowercase letters"),
        ("api-", "must not end with"),
        ("class", "Python keyword"),
        ("flask", "would shadow a module"),
        ("tests", "would shadow a module"),
        // Flask's own dependencies: the project could not import Flask.
        ("click", "would shadow a module"),
        ("jinja2", "would shadow a module"),
        ("itsdangerous", "would shadow a module"),
        ("markupsafe", "would shadow a module"),
        ("blinker", "would shadow a module"),
    ] {
        let out = new_in(tmp.path(), &[name, "--yes"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = stderr(&out);
        assert!(
            err.contains("invalid") && err.contains(reason),
            "{name}: {err}"
        );
    }
    assert!(
        fs::read_dir(tmp.path()).unwrap().next().is_none(),
        "something was written"
    );
}

#[test]
fn an_existing_non_empty_folder_is_refused_and_left_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("taken");
    fs::create_dir_all(project.join("taken")).unwrap();
    fs::write(project.join("README.md"), "mine\n").unwrap();
    fs::write(project.join("taken/__init__.py"), "x = 1\n").unwrap();
    let before = read_tree(tmp.path());
    let out = new_in(tmp.path(), &["taken", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("exists and is not empty"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--force"));
    assert_eq!(read_tree(tmp.path()), before);

    // A plain file of that name is refused too.
    fs::write(tmp.path().join("file"), "x").unwrap();
    let out = new_in(tmp.path(), &["file", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read_to_string(tmp.path().join("file")).unwrap(), "x");
}

#[test]
fn an_existing_empty_folder_is_used() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("empty")).unwrap();
    generate(tmp.path(), "empty", &["--yes"]);
    assert!(tmp.path().join("empty/wsgi.py").is_file());
}

#[test]
fn force_writes_the_template_files_and_deletes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("kept");
    fs::create_dir_all(&project).unwrap();
    fs::write(project.join("NOTES.txt"), "keep me\n").unwrap();
    fs::write(project.join("README.md"), "old\n").unwrap();
    let out = new_in(tmp.path(), &["kept", "--yes", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(project.join("NOTES.txt")).unwrap(),
        "keep me\n"
    );
    assert!(
        fs::read_to_string(project.join("README.md"))
            .unwrap()
            .starts_with("# kept")
    );
    assert!(project.join("kept/__init__.py").is_file());
    // The project's .env (its SECRET_KEY) is kept, and the run says so.
    let env = fs::read_to_string(project.join(".env")).unwrap();
    let again = new_in(tmp.path(), &["kept", "--yes", "--force"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(fs::read_to_string(project.join(".env")).unwrap(), env);
    assert!(
        stdout(&again).contains("Kept the existing .env"),
        "{}",
        stdout(&again)
    );
    // No temporary files are left behind.
    assert!(
        read_tree(&project)
            .iter()
            .all(|(path, _)| !path.ends_with(".tmp"))
    );
}

fn custom_template(root: &std::path::Path) -> std::path::PathBuf {
    let template = root.join("team-template");
    fs::create_dir_all(template.join("{{package_name}}/templates")).unwrap();
    fs::write(
        template.join("template.toml"),
        r#"
[template]
description = "team service"
private = ["secrets.env"]

[[question]]
name = "project_name"
prompt = "Service name"
default = "service"
regex = "[a-z][a-z0-9-]{0,30}"

[[question]]
name = "owner"
prompt = "Owning team"
choices = ["payments", "search"]
default = "search"

[[question]]
name = "docker"
prompt = "Dockerfile?"
default = false

[[when]]
condition = "docker"
paths = ["Dockerfile.tera"]
"#,
    )
    .unwrap();
    fs::write(
        template.join("README.md.tera"),
        "# {{ project_name }}\nOwned by {{ owner }}.\n",
    )
    .unwrap();
    fs::write(
        template.join("{{package_name}}/__init__.py.tera"),
        "NAME = \"{{ package_name }}\"\n",
    )
    .unwrap();
    fs::write(
        template.join("{{package_name}}/templates/index.html"),
        "<p>{{ user.name }}</p>{% if x %}{% endif %}\n",
    )
    .unwrap();
    fs::write(template.join("secrets.env.tera"), "KEY={{ secret_key }}\n").unwrap();
    fs::write(template.join("Dockerfile.tera"), "FROM python:3.11-slim\n").unwrap();
    fs::write(template.join("logo.bin"), [0u8, 159, 146, 150, 255]).unwrap();
    template
}

#[test]
fn a_custom_template_is_rendered_with_its_own_questions() {
    let tmp = tempfile::tempdir().unwrap();
    let template = custom_template(tmp.path());
    let with_template = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--template", template.to_str().unwrap()]);
        new_in(tmp.path(), &all)
    };
    let out = with_template(&["pay-svc", "--set", "owner=payments", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("owner = payments"));
    let project = tmp.path().join("pay-svc");
    let tree: Vec<String> = read_tree(&project)
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        tree,
        [
            "README.md",
            "logo.bin",
            "pay_svc/__init__.py",
            "pay_svc/templates/index.html",
            "secrets.env"
        ]
    );
    assert_eq!(
        fs::read_to_string(project.join("README.md")).unwrap(),
        "# pay-svc\nOwned by payments.\n"
    );
    assert_eq!(
        fs::read_to_string(project.join("pay_svc/__init__.py")).unwrap(),
        "NAME = \"pay_svc\"\n"
    );
    // Jinja files are copied verbatim, binary files byte for byte.
    assert_eq!(
        fs::read_to_string(project.join("pay_svc/templates/index.html")).unwrap(),
        "<p>{{ user.name }}</p>{% if x %}{% endif %}\n"
    );
    assert_eq!(
        fs::read(project.join("logo.bin")).unwrap(),
        [0u8, 159, 146, 150, 255]
    );
    let secrets = project.join("secrets.env");
    assert_eq!(
        fs::metadata(&secrets).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        fs::read_to_string(&secrets).unwrap().trim().len(),
        "KEY=".len() + 64
    );

    // Its conditions and validation apply.
    let out = with_template(&["with-docker", "--docker", "yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.path().join("with-docker/Dockerfile").is_file());
    let out = with_template(&["x", "--set", "owner=ops"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("must be one of: payments, search"));
    // A built-in question the template does not ask is an error.
    let out = with_template(&["y", "--auth", "jwt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no question named `auth`"));
}

#[test]
fn broken_templates_are_reported_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let template = tmp.path().join("broken");
    fs::create_dir(&template).unwrap();
    let run = |expected: &str| {
        let out = new_in(
            tmp.path(),
            &["svc", "--yes", "--template", template.to_str().unwrap()],
        );
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains(expected), "{}", stderr(&out));
        assert!(!tmp.path().join("svc").exists());
    };
    run("has no template.toml");
    fs::write(
        template.join("template.toml"),
        "[[question]]\nname = \"owner\"\n",
    )
    .unwrap();
    run("a template must ask a question named `project_name`");
    fs::write(
        template.join("template.toml"),
        "[[question]]\nname = \"project_name\"\n",
    )
    .unwrap();
    fs::write(template.join("a.txt.tera"), "{{ missing_variable }}\n").unwrap();
    run("a.txt.tera");
    fs::write(template.join("a.txt.tera"), "ok\n").unwrap();
    fs::write(template.join("b.txt.tera"), "{% if %}\n").unwrap();
    run("parsing templates");
    // A loop of 200 million items is refused before rendering (it used to
    // abort the process with an allocation failure).
    fs::write(
        template.join("b.txt.tera"),
        "{% for i in range(end=200000000) %}x{% endfor %}\n",
    )
    .unwrap();
    run("loops more than 100000 times");
    // tera's get_env cannot copy the caller's environment into the project.
    fs::write(
        template.join("b.txt.tera"),
        "{{ get_env(name=\"HOME\") }}\n",
    )
    .unwrap();
    run("get_env is turned off");
}

#[test]
fn help_documents_every_flag() {
    let out = crate::support::flask_harden()
        .args(["new", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = stdout(&out);
    for flag in [
        "--yes",
        "--description",
        "--auth",
        "--db",
        "--rate-limit-storage",
        "--cors-origins",
        "--docker",
        "--ci",
        "--set",
        "--values-file",
        "--template",
        "--force",
    ] {
        assert!(help.contains(flag), "{flag} missing from help");
    }
    let version = crate::support::flask_harden()
        .arg("--version")
        .output()
        .unwrap();
    assert!(stdout(&version).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn generated_projects_pass_their_own_check() {
    for (name, args) in [("defapi", &["--yes"][..]), ("jwtapi", ALL_OPTIONS)] {
        let tmp = tempfile::tempdir().unwrap();
        let project = generate(tmp.path(), name, args);
        let out = crate::support::flask_harden()
            .args(["check", "--format", "json", "."])
            .current_dir(&project)
            .output()
            .expect("running flask-harden check");
        let findings: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("check --format json prints JSON");
        assert_eq!(
            findings,
            serde_json::json!([]),
            "`new {name} {args:?}` then `check` found:\n{}",
            stdout(&out)
        );
        assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    }
}
