//! What the server knows: the workspace settings, the open documents (the
//! overlay the engine reads instead of the disk), the incremental session and
//! the last report, and what was last published per file.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString, PublishDiagnosticsParams, Uri};

use crate::analysis::engine::{FileReport, Overlay, Report, Session};
use crate::analysis::project_config::find_config;
use crate::analysis::settings::{CheckSettings, SettingsOverrides};
use crate::analysis::{Diagnostic as Finding, Severity};

use super::position::LineMap;

/// The file path of a `file:` URI.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The `file:` URI of a path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let absolute = std::path::absolute(path).ok()?;
    let url = url::Url::from_file_path(absolute).ok()?;
    Uri::from_str(url.as_str()).ok()
}

/// The server's state between messages.
pub struct State {
    root: PathBuf,
    settings: &'static CheckSettings,
    session: Option<Session<'static>>,
    overlay: Overlay,
    /// Open documents by path: their URI as the client wrote it.
    open: HashMap<PathBuf, Uri>,
    /// The last analysis, by path.
    files: HashMap<PathBuf, FileReport>,
    /// What was last published, by URI.
    published: BTreeMap<String, Vec<Diagnostic>>,
    messages: Vec<String>,
}

impl State {
    /// Reads the configuration of `root` and analyses the workspace.
    pub fn new(root: PathBuf) -> Self {
        let mut state = Self {
            root,
            settings: Box::leak(Box::default()),
            session: None,
            overlay: Overlay::new(),
            open: HashMap::new(),
            files: HashMap::new(),
            published: BTreeMap::new(),
            messages: Vec::new(),
        };
        state.reload_settings();
        state.analyse();
        state
    }

    /// Log lines gathered while starting.
    pub fn initial_messages(&mut self) -> Vec<String> {
        self.take_messages()
    }

    /// Log lines gathered since the last call.
    pub fn take_messages(&mut self) -> Vec<String> {
        std::mem::take(&mut self.messages)
    }

    /// The workspace folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The settings in force.
    pub fn settings(&self) -> &'static CheckSettings {
        self.settings
    }

    /// The text of open documents, by path.
    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    /// The last analysis of a file, if it has findings.
    pub fn file(&self, path: &Path) -> Option<&FileReport> {
        self.files.get(path)
    }

    /// The current text of a file: the open document's, else the disk's.
    pub fn text_of(&self, path: &Path) -> Option<String> {
        match self.overlay.get(path) {
            Some(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
            None => std::fs::read_to_string(path).ok(),
        }
    }

    /// The URI to use for a path: the client's own for open documents.
    pub fn uri_of(&self, path: &Path) -> Option<Uri> {
        self.open.get(path).cloned().or_else(|| path_to_uri(path))
    }

    fn reload_settings(&mut self) {
        let overrides = SettingsOverrides::default();
        let settings = match find_config(&self.root) {
            Ok(config) => match CheckSettings::resolve(config.as_ref(), &overrides) {
                Ok(settings) => settings,
                Err(err) => {
                    self.messages.push(format!(
                        "flask-harden: [tool.flask-harden]: {err}; using the defaults"
                    ));
                    CheckSettings::default()
                }
            },
            Err(err) => {
                self.messages
                    .push(format!("flask-harden: {err}; using the defaults"));
                CheckSettings::default()
            }
        };
        // The session borrows the settings for as long as it lives; settings
        // change only when a pyproject.toml is saved, so the few copies
        // replaced over a server's life are simply kept.
        self.settings = Box::leak(Box::new(settings));
        self.session = None;
    }

    fn analyse(&mut self) {
        if self.session.is_none() {
            match Session::new(std::slice::from_ref(&self.root), self.settings) {
                Ok(session) => self.session = Some(session),
                Err(err) => {
                    self.messages.push(format!("flask-harden: {err}"));
                    return;
                }
            }
        }
        let Some(session) = self.session.as_mut() else {
            return;
        };
        match session.check(&self.overlay) {
            Ok(report) => self.take_report(report),
            Err(err) => self.messages.push(format!("flask-harden: {err}")),
        }
    }

    fn take_report(&mut self, report: Report) {
        let mut files = HashMap::new();
        for file in report.files {
            files.insert(file.source.path().to_path_buf(), file);
        }
        // A file that cannot be parsed right now (mid-edit) keeps its last
        // findings rather than flickering them away.
        for skipped in &report.skipped {
            if let Some(previous) = self.files.remove(&skipped.path) {
                files.insert(skipped.path.clone(), previous);
            }
        }
        self.files = files;
    }

    /// Whether the session analyses this path (a new file needs discovery).
    fn knows(&self, path: &Path) -> bool {
        self.session.as_ref().is_some_and(|s| s.contains(path))
    }

    /// A document was opened.
    pub fn open(&mut self, uri: &Uri, text: String) {
        let Some(path) = uri_to_path(uri) else {
            return;
        };
        self.open.insert(path.clone(), uri.clone());
        self.overlay.insert(path.clone(), text.into_bytes());
        if !self.knows(&path) {
            self.session = None;
        }
        self.analyse();
    }

    /// A document changed.
    pub fn change(&mut self, uri: &Uri, text: String) {
        let Some(path) = uri_to_path(uri) else {
            return;
        };
        self.overlay.insert(path, text.into_bytes());
        self.analyse();
    }

    /// A document was saved: a `pyproject.toml` reloads the configuration.
    pub fn saved(&mut self, uri: &Uri) -> bool {
        let Some(path) = uri_to_path(uri) else {
            return false;
        };
        if path.file_name().is_some_and(|n| n == "pyproject.toml") {
            self.reload_settings();
            self.analyse();
            return true;
        }
        false
    }

    /// A document was closed: the disk is the truth again.
    pub fn close(&mut self, uri: &Uri) {
        let Some(path) = uri_to_path(uri) else {
            return;
        };
        self.open.remove(&path);
        self.overlay.remove(&path);
        self.analyse();
    }

    /// Files were created or deleted: discover the workspace again.
    pub fn rediscover(&mut self) {
        self.reload_settings();
        self.analyse();
    }

    /// Diagnostics of every file whose findings changed since the last call
    /// (an empty list clears a file that has none left).
    pub fn diagnostics_to_publish(&mut self) -> Vec<PublishDiagnosticsParams> {
        let mut current: BTreeMap<String, (Uri, Vec<Diagnostic>)> = BTreeMap::new();
        for (path, file) in &self.files {
            let Some(uri) = self.uri_of(path) else {
                continue;
            };
            let map = LineMap::new(file.source.text());
            let diagnostics = file
                .diagnostics
                .iter()
                .map(|finding| to_lsp(finding, &map))
                .collect();
            current.insert(uri.as_str().to_owned(), (uri, diagnostics));
        }
        let mut out = Vec::new();
        let gone: Vec<String> = self
            .published
            .keys()
            .filter(|key| !current.contains_key(*key))
            .cloned()
            .collect();
        for key in gone {
            self.published.remove(&key);
            if let Ok(uri) = Uri::from_str(&key) {
                out.push(PublishDiagnosticsParams::new(uri, Vec::new(), None));
            }
        }
        for (key, (uri, diagnostics)) in current {
            if self.published.get(&key) != Some(&diagnostics) {
                self.published.insert(key, diagnostics.clone());
                out.push(PublishDiagnosticsParams::new(uri, diagnostics, None));
            }
        }
        out
    }
}

/// An LSP diagnostic for a finding.
pub fn to_lsp(finding: &Finding, map: &LineMap<'_>) -> Diagnostic {
    let severity = match finding.severity {
        Severity::High => DiagnosticSeverity::ERROR,
        Severity::Medium => DiagnosticSeverity::WARNING,
        Severity::Low => DiagnosticSeverity::INFORMATION,
    };
    let rule = finding.rule.info();
    Diagnostic {
        range: map.range(finding.range),
        severity: Some(severity),
        code: Some(NumberOrString::String(rule.code.to_owned())),
        source: Some("flask-harden".to_owned()),
        message: format!("{} ({})", finding.message, rule.name),
        ..Default::default()
    }
}
