//! `check --format sarif`: the log validates against the SARIF 2.1.0 JSON schema
//! (../shared/schemas, draft-04, checked with Python's `jsonschema` from the test
//! virtualenv) and carries what GitHub code scanning needs.

use std::fs;

use serde_json::Value;

use crate::support::{flask_harden, repo_root, venv};

const APP: &str = "from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\napp.config[\"SECRET_KEY\"] = \"hunter2-secret\"\nCORS(app)\nx = 'é😀'; app.run(host=\"0.0.0.0\", debug=True)  # noqa: FH999\n";

#[test]
fn sarif_validates_against_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("app.py"), APP).unwrap();
    fs::write(dir.path().join("broken.py"), "def f(:\n").unwrap();
    let out = flask_harden()
        .args(["check", "--format", "sarif"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("hunter2-secret"), "secret leaked into SARIF");

    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    let codes: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    for code in [
        "FH101", "FH102", "FH104", "FH108", "FH201", "FH202", "FH203",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), flask_harden::analysis::registry::RULES.len());
    assert!(rules.iter().any(|r| r["id"] == "FH701"), "{rules:?}");
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "app.py");
    }
    let fh101 = rules.iter().find(|r| r["id"] == "FH101").unwrap();
    assert!(
        fh101["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## Why is this bad?")
    );
    let tags: Vec<&str> = fh101["properties"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(tags.contains(&"external/cwe/cwe-489"), "{tags:?}");
    assert_eq!(fh101["properties"]["security-severity"], "8.0");
    // UTF-16 columns: 35 code units precede `debug=True` (34 characters: the emoji counts twice).
    let debug = results.iter().find(|r| r["ruleId"] == "FH101").unwrap();
    assert_eq!(
        debug["locations"][0]["physicalLocation"]["region"]["startColumn"],
        36
    );
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 2, "{notes:?}");

    let log_path = dir.path().join("log.sarif");
    fs::write(&log_path, &text).unwrap();
    let schema = repo_root().join("../shared/schemas/sarif-schema-2.1.0.json");
    assert!(schema.is_file(), "{} missing", schema.display());
    let script = "import json, sys, jsonschema\n\
schema = json.load(open(sys.argv[1]))\n\
log = json.load(open(sys.argv[2]))\n\
errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)\n\
for e in errors: print(list(e.absolute_path), e.message)\n\
sys.exit(1 if errors else 0)\n";
    let check = venv()
        .python()
        .arg("-c")
        .arg(script)
        .arg(&schema)
        .arg(&log_path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "SARIF does not validate:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}
