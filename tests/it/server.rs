//! `flask-harden server` driven by a scripted LSP client over stdio: a
//! diagnostic is published, its quick fix is offered, the edit is applied as
//! an editor would, and the diagnostic clears; `# noqa`, hover, "fix all
//! safe", configuration and project-level rules across files.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::flask_harden;

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications read while waiting for something else.
    backlog: Vec<Value>,
}

fn read_message(reader: &mut BufReader<ChildStdout>) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start(root: &Path) -> Self {
        let mut child = flask_harden()
            .arg("server")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Self {
            child,
            stdin,
            messages,
            next_id: 1,
            backlog: Vec::new(),
        };
        let uri = uri(root);
        let init = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "project"}],
                "capabilities": {},
            }),
        );
        assert_eq!(init["serverInfo"]["name"], "flask-harden", "{init}");
        assert_eq!(init["capabilities"]["hoverProvider"], true, "{init}");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(&body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        self.messages
            .recv_timeout(left)
            .expect("the server answered in time")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let message = self.next(deadline);
            if message["id"] == id {
                assert!(message.get("error").is_none(), "{message}");
                return message["result"].clone();
            }
            self.backlog.push(message);
        }
    }

    /// The next diagnostics published for `uri` (earlier ones in the backlog first).
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let is_for = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(at) = self.backlog.iter().position(is_for) {
            let message = self.backlog.remove(at);
            return message["params"]["diagnostics"].as_array().unwrap().clone();
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let message = self.next(deadline);
            if is_for(&message) {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.backlog.push(message);
        }
    }

    fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "server exit status {status}");
                return;
            }
            assert!(Instant::now() < deadline, "the server exits after `exit`");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn uri(path: &Path) -> String {
    let path = fs::canonicalize(path).unwrap();
    format!("file://{}", path.display())
}

/// Applies LSP text edits (UTF-16 positions; the test texts are ASCII).
fn apply(text: &str, edits: &[Value]) -> String {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        line_starts.get(line).copied().unwrap_or(text.len())
            + p["character"].as_u64().unwrap() as usize
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(start..end.min(out.len()), &new);
    }
    out
}

const APP: &str = "\
from flask import Flask

app = Flask(__name__)


@app.route(\"/\")
def index():
    return \"hello\"


if __name__ == \"__main__\":
    app.run(debug=True)
";

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let full = dir.path().join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, text).unwrap();
    }
    dir
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    let mut codes: Vec<String> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    codes.sort();
    codes
}

#[test]
fn a_quick_fix_clears_its_diagnostic() {
    let dir = project(&[
        ("app.py", "print('on disk')\n"),
        (
            "pyproject.toml",
            "[tool.flask-harden]\nselect = [\"FH101\", \"FH104\"]\n",
        ),
    ]);
    let root = fs::canonicalize(dir.path()).unwrap();
    let mut client = Client::start(&root);
    let app_uri = uri(&root.join("app.py"));

    // The editor's unsaved text is what is analysed, not the disk's.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": app_uri, "languageId": "python", "version": 1, "text": APP}}),
    );
    let diagnostics = client.diagnostics(&app_uri);
    assert_eq!(codes(&diagnostics), ["FH101"], "{diagnostics:?}");
    let finding = &diagnostics[0];
    assert_eq!(finding["source"], "flask-harden");
    assert_eq!(finding["severity"], 1, "high is an error");
    assert_eq!(finding["range"]["start"]["line"], 11);
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("debug-mode-enabled")
    );

    // Hover on the finding shows the rule's documentation.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": app_uri}, "position": finding["range"]["start"]}),
    );
    let doc = hover["contents"]["value"].as_str().unwrap();
    assert!(
        doc.contains("FH101") && doc.contains("debug-mode-enabled"),
        "{doc}"
    );

    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": app_uri},
            "range": finding["range"],
            "context": {"diagnostics": [finding], "only": ["quickfix"]},
        }),
    );
    let actions = actions.as_array().unwrap();
    let fix = actions
        .iter()
        .find(|a| a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("a preferred quick fix: {actions:?}"));
    assert!(
        fix["title"].as_str().unwrap().starts_with("FH101: "),
        "{fix}"
    );
    let noqa = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("# noqa: FH101"))
        .expect("a noqa action");

    // The editor applies the fix: the code stays valid and the finding goes.
    let edits = fix["edit"]["changes"][&app_uri].as_array().unwrap();
    let fixed = apply(APP, edits);
    assert!(fixed.contains("os.environ"), "{fixed}");
    assert!(!fixed.contains("debug=True"), "{fixed}");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": app_uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = client.diagnostics(&app_uri);
    assert!(after.is_empty(), "cleared after the fix: {after:?}");

    // The noqa action suppresses instead.
    let suppressed = apply(APP, noqa["edit"]["changes"][&app_uri].as_array().unwrap());
    assert!(
        suppressed.contains("    app.run(debug=True)  # noqa: FH101\n"),
        "{suppressed}"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": app_uri, "version": 3}, "contentChanges": [{"text": suppressed}]}),
    );
    // Nothing changed for the client (still no finding): no new publication,
    // so ask for code actions to see that none is offered.
    let none = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": app_uri},
            "range": finding["range"],
            "context": {"diagnostics": [], "only": ["quickfix"]},
        }),
    );
    assert_eq!(none, json!([]), "suppressed: nothing to fix");

    // Back to the bad text, then "fix all safe" as a source action.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": app_uri, "version": 4}, "contentChanges": [{"text": APP.replace("debug=True", "debug=True, host=\"0.0.0.0\"")}]}),
    );
    assert_eq!(codes(&client.diagnostics(&app_uri)), ["FH101", "FH104"]);
    let all = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": app_uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        }),
    );
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["kind"], "source.fixAll.flask-harden");
    let edits = all[0]["edit"]["changes"][&app_uri].as_array().unwrap();
    let fixed_all = apply(
        &APP.replace("debug=True", "debug=True, host=\"0.0.0.0\""),
        edits,
    );
    assert!(
        !fixed_all.contains("0.0.0.0") && !fixed_all.contains("debug=True"),
        "{fixed_all}"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": app_uri, "version": 5}, "contentChanges": [{"text": fixed_all}]}),
    );
    assert!(client.diagnostics(&app_uri).is_empty());

    // Nothing was written to disk.
    assert_eq!(
        fs::read_to_string(root.join("app.py")).unwrap(),
        "print('on disk')\n"
    );
    client.shutdown();
}

#[test]
fn project_rules_see_the_whole_workspace_and_configuration_reloads() {
    let factory = "\
from flask import Flask

from .extensions import talisman


def create_app():
    app = Flask(__name__)
    talisman.init_app(app)
    return app
";
    let dir = project(&[
        ("pkg/__init__.py", factory),
        (
            "pkg/extensions.py",
            "from flask_talisman import Talisman\n\ntalisman = Talisman()\n",
        ),
        (
            "pyproject.toml",
            "[tool.flask-harden]\nselect = [\"FH202\"]\n",
        ),
    ]);
    let root = fs::canonicalize(dir.path()).unwrap();
    let mut client = Client::start(&root);
    let init_uri = uri(&root.join("pkg/__init__.py"));
    let ext_uri = uri(&root.join("pkg/extensions.py"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": init_uri, "languageId": "python", "version": 1, "text": factory}}),
    );
    // Talisman is applied through the extensions module: no FH202 yet.
    let none = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": init_uri},
            "range": {"start": {"line": 5, "character": 0}, "end": {"line": 6, "character": 0}},
            "context": {"diagnostics": [], "only": ["quickfix"]},
        }),
    );
    assert_eq!(none, json!([]));

    // Removing Talisman from the other (unopened, then opened) module makes
    // the factory's file report FH202.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": ext_uri, "languageId": "python", "version": 1, "text": "talisman = None\n"}}),
    );
    let diagnostics = client.diagnostics(&init_uri);
    assert_eq!(codes(&diagnostics), ["FH202"], "{diagnostics:?}");

    // A configuration that ignores FH202, saved: the finding goes.
    fs::write(
        root.join("pyproject.toml"),
        "[tool.flask-harden]\nselect = [\"FH202\"]\nignore = [\"FH202\"]\n",
    )
    .unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&root.join("pyproject.toml"))}}),
    );
    assert!(client.diagnostics(&init_uri).is_empty());
    client.shutdown();
}

#[test]
fn unknown_requests_get_an_error_and_the_server_keeps_going() {
    let dir = project(&[("app.py", APP)]);
    let root = fs::canonicalize(dir.path()).unwrap();
    let mut client = Client::start(&root);
    // Files on disk are analysed at start-up, before anything is opened.
    let app_uri = uri(&root.join("app.py"));
    let diagnostics = client.diagnostics(&app_uri);
    assert!(
        codes(&diagnostics).contains(&"FH101".to_owned()),
        "{diagnostics:?}"
    );
    let id = 99;
    client.send(
        &json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/definition", "params": {}}),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    let answer = loop {
        let message = client.next(deadline);
        if message["id"] == id {
            break message;
        }
    };
    assert_eq!(answer["error"]["code"], -32601, "{answer}");
    client.shutdown();
}
