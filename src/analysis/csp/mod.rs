//! FH202's Content-Security-Policy for an application that renders HTML,
//! derived from what its pages load: the Jinja templates of the app and its
//! blueprints (every `templates/` folder of the project, plus folders named by
//! `template_folder=` and `FileSystemLoader(...)`), and the scripts and
//! stylesheets of its `static/` folders.
//!
//! Each external origin goes into the directive that governs it; inline
//! `<script>`/`<style>` blocks get Talisman's per-request nonce (template
//! edits, part of the same remediation); `style="..."` attributes are allowed
//! through `style-src-attr 'unsafe-inline'` only (a stated trade-off: inline
//! styles cannot run code). What cannot be proven (inline event handlers,
//! `javascript:` URLs, code run from strings, URLs built at run time) keeps its
//! directive out of the enforced policy and in a
//! `Content-Security-Policy-Report-Only` header, naming the template lines.
//! `script-src` never gets `'unsafe-inline'` or `'unsafe-eval'`.

pub mod template;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::analysis::diagnostic::Edit;
use crate::analysis::source::SourceFile;

pub use template::{Directive, Finding, Origin, Unproven};

/// Templates read per application at most.
const MAX_TEMPLATES: usize = 2_000;
/// Larger template or static files are not read.
const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Folders of test fixtures, never searched for templates (on top of the
/// folders discovery skips).
const TEST_DIRS: &[&str] = &["tests", "test"];
/// The fetch directives that fall back to `default-src`, besides script and
/// style: listed only when the pages need more than `'self'`.
const FETCH_DIRECTIVES: [Directive; 7] = [
    Directive::Img,
    Directive::Font,
    Directive::Connect,
    Directive::Media,
    Directive::Frame,
    Directive::Manifest,
    Directive::Worker,
];
const TEMPLATE_EXTENSIONS: &[&str] = &["html", "htm", "jinja", "jinja2", "j2", "xhtml"];

/// A template line that keeps a directive out of the enforced policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    /// The template, relative to the folder searched.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// The directive concerned.
    pub directive: Directive,
    /// Why it cannot be proven.
    pub kind: Unproven,
    /// What it is (`inline event handler \`onclick\``).
    pub what: String,
}

/// The policy derived for one application.
#[derive(Debug, Clone, Default)]
pub struct DerivedPolicy {
    /// Templates read.
    pub templates: usize,
    /// The enforced policy, directive by directive (Talisman's
    /// `content_security_policy`).
    pub enforced: Vec<(String, String)>,
    /// Directives that get the per-request nonce (Talisman's
    /// `content_security_policy_nonce_in`).
    pub nonce_in: Vec<&'static str>,
    /// The whole derived policy, sent as `Content-Security-Policy-Report-Only`
    /// when something could not be proven; `'nonce-{nonce}'` marks where the
    /// request's nonce goes.
    pub report_only: Option<Vec<(String, String)>>,
    /// Why the report-only header is needed.
    pub blockers: Vec<Blocker>,
    /// Template edits (nonces), by file.
    pub template_edits: Vec<(PathBuf, Vec<Edit>)>,
    /// A page frames the app's own pages: `frame-ancestors 'self'`.
    pub frames_itself: bool,
    /// External origins added, for the fix message.
    pub external: BTreeSet<String>,
    /// Pages use `style="..."` attributes.
    pub style_attributes: bool,
}

/// The folder the app's paths are relative to: the module's folder, or for a
/// package the folder above its top package.
fn project_root(module_dir: &Path) -> PathBuf {
    let mut root = module_dir.to_path_buf();
    while root.join("__init__.py").is_file() {
        match root.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => root = parent.to_path_buf(),
            Some(_) => {
                root = PathBuf::from(".");
                break;
            }
            None => break,
        }
    }
    root
}

/// The project folder of the module at `module_path`: its folder, or for a
/// package the folder above its top package.
pub fn project_dir(module_path: &Path) -> PathBuf {
    project_root(&dir_of(module_path))
}

fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Folders named in the module: `template_folder="..."`, `static_folder="..."`,
/// `FileSystemLoader("...")`.
fn named_folders(text: &str) -> (Vec<String>, Vec<String>) {
    static TEMPLATES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(?:template_folder\s*=\s*|FileSystemLoader\(\s*\[?\s*)["']([^"'\n]+)["']"#,
        )
        .expect("valid regex")
    });
    static STATIC: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"static_folder\s*=\s*["']([^"'\n]+)["']"#).expect("valid regex")
    });
    let collect = |re: &regex::Regex| re.captures_iter(text).map(|c| c[1].to_owned()).collect();
    (collect(&TEMPLATES), collect(&STATIC))
}

fn is_mail(relative: &Path) -> bool {
    relative.components().any(|c| {
        c.as_os_str()
            .to_string_lossy()
            .to_ascii_lowercase()
            .contains("mail")
    })
}

/// Files wanted from one walk: those with one of `extensions` whose folder
/// path (below the walked root) contains a component named `within` (or any
/// folder, when `None`), at most [`MAX_TEMPLATES`] of them.
struct Wanted<'a> {
    within: Option<&'a str>,
    extensions: &'a [&'a str],
    found: &'a mut BTreeSet<PathBuf>,
}

impl Wanted<'_> {
    fn full(&self) -> bool {
        self.found.len() >= MAX_TEMPLATES
    }
}

/// Walks `root` once (no symbolic links, skipped folders left out), giving
/// each file to every [`Wanted`] set that takes it.
fn walk(root: &Path, wanted: &mut [Wanted]) {
    if !root.is_dir() {
        return;
    }
    let entries = crate::analysis::discovery::project_walk(root, 12, TEST_DIRS);
    for entry in entries {
        if wanted.iter().all(Wanted::full) {
            return;
        }
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        let extension = path.extension().and_then(|e| e.to_str());
        for set in wanted.iter_mut() {
            if set.full() {
                continue;
            }
            let ext_ok =
                extension.is_some_and(|e| set.extensions.iter().any(|x| e.eq_ignore_ascii_case(x)));
            let in_folder = set.within.is_none_or(|name| {
                relative
                    .parent()
                    .is_some_and(|p| p.components().any(|c| c.as_os_str() == name))
            });
            if ext_ok && in_folder && entry.metadata().is_ok_and(|m| m.len() <= MAX_FILE_BYTES) {
                set.found.insert(path.to_path_buf());
            }
        }
    }
}

/// One folder's files with `extensions` (any depth).
fn walk_folder(folder: &Path, extensions: &[&str], found: &mut BTreeSet<PathBuf>) {
    walk(
        folder,
        &mut [Wanted {
            within: None,
            extensions,
            found,
        }],
    );
}

/// The templates and static files of the application defined in the module
/// at `module_path` (with text `module_text`).
fn app_files(module_path: &Path, module_text: &str) -> (BTreeSet<PathBuf>, BTreeSet<PathBuf>) {
    let module_dir = dir_of(module_path);
    let root = project_root(&module_dir);
    let (template_folders, static_folders) = named_folders(module_text);
    let mut templates = BTreeSet::new();
    let mut statics = BTreeSet::new();
    // The project's `templates` and `static` folders, found in one walk.
    walk(
        &root,
        &mut [
            Wanted {
                within: Some("templates"),
                extensions: TEMPLATE_EXTENSIONS,
                found: &mut templates,
            },
            Wanted {
                within: Some("static"),
                extensions: &["js", "css"],
                found: &mut statics,
            },
        ],
    );
    for folder in &template_folders {
        for base in [&module_dir, &root] {
            walk_folder(&base.join(folder), TEMPLATE_EXTENSIONS, &mut templates);
        }
    }
    for folder in &static_folders {
        for base in [&module_dir, &root] {
            walk_folder(&base.join(folder), &["js", "css"], &mut statics);
        }
    }
    // Mail templates are rendered outside requests (no nonce, no CSP).
    templates.retain(|p| !is_mail(p.strip_prefix(&root).unwrap_or(p)));
    (templates, statics)
}

fn display(path: &Path) -> String {
    path.strip_prefix(".")
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// Derives the policy of the application created in `module_path`; `None`
/// when it has no templates to read.
pub fn derive(module_path: &Path, module_text: &str) -> Option<DerivedPolicy> {
    let (templates, statics) = app_files(module_path, module_text);
    if templates.is_empty() {
        return None;
    }
    let mut derived = DerivedPolicy::default();
    let mut sources: BTreeMap<Directive, BTreeSet<Origin>> = BTreeMap::new();
    let (mut inline_script, mut inline_style) = (false, false);
    for path in &templates {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let Ok(source) = SourceFile::from_bytes(path, bytes) else {
            continue;
        };
        derived.templates += 1;
        let scan = template::scan(source.text());
        derived.frames_itself |= scan.frames_itself;
        for (at, finding) in scan.findings {
            match finding {
                Finding::Source(directive, origin) => {
                    sources.entry(directive).or_default().insert(origin);
                }
                Finding::Inline { script } => {
                    if script {
                        inline_script = true;
                    } else {
                        inline_style = true;
                    }
                }
                Finding::StyleAttribute => derived.style_attributes = true,
                Finding::Unproven(directive, kind, what) => derived.blockers.push(Blocker {
                    path: display(path),
                    line: source.line_col(at).line,
                    directive,
                    kind,
                    what,
                }),
            }
        }
        if !scan.edits.is_empty() {
            derived.template_edits.push((path.clone(), scan.edits));
        }
    }
    for path in &statics {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let is_css = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("css"));
        let found = if is_css {
            template::css_sources(&text)
        } else if path.to_string_lossy().ends_with(".min.js") {
            Vec::new()
        } else {
            let scan = template::scan(&format!("<script>{text}</script>"));
            scan.findings
                .into_iter()
                .filter_map(|(_, f)| match f {
                    Finding::Source(d, o) => Some((0, d, o)),
                    _ => None,
                })
                .collect()
        };
        for (_, directive, origin) in found {
            sources.entry(directive).or_default().insert(origin);
        }
    }
    // Google Fonts' stylesheet loads its fonts from gstatic.
    if sources.get(&Directive::Style).is_some_and(|s| {
        s.iter()
            .any(|o| matches!(o, Origin::Host(h) if h.ends_with("fonts.googleapis.com")))
    }) {
        sources
            .entry(Directive::Font)
            .or_default()
            .insert(Origin::Host("https://fonts.gstatic.com".into()));
    }
    for origins in sources.values() {
        for origin in origins {
            if let Origin::Host(host) = origin {
                derived.external.insert(host.clone());
            }
        }
    }
    if inline_script {
        derived.nonce_in.push("script-src");
    }
    if inline_style {
        derived.nonce_in.push("style-src");
    }
    let strict = strict_policy(&sources, &derived);
    let unproven: BTreeSet<Directive> = derived.blockers.iter().map(|b| b.directive).collect();
    derived.enforced = enforced_policy(&strict, &derived.blockers, &unproven);
    if !unproven.is_empty() {
        derived.report_only = Some(
            strict
                .iter()
                .map(|(d, v)| {
                    let nonce =
                        (d == "script-src" && inline_script) || (d == "style-src" && inline_style);
                    let value = if nonce {
                        format!("{v} 'nonce-{{nonce}}'")
                    } else {
                        v.clone()
                    };
                    (d.clone(), value)
                })
                .collect(),
        );
    }
    derived.template_edits.sort_by(|a, b| a.0.cmp(&b.0));
    Some(derived)
}

fn join(origins: impl IntoIterator<Item = String>) -> String {
    origins.into_iter().collect::<Vec<_>>().join(" ")
}

/// `'self'` first, then the other sources in order.
fn with_self(origins: Option<&BTreeSet<Origin>>) -> String {
    let mut all: Vec<String> = vec!["'self'".to_owned()];
    for origin in origins.into_iter().flatten() {
        let source = origin.source();
        if !all.contains(&source) {
            all.push(source);
        }
    }
    join(all)
}

fn external(origins: Option<&BTreeSet<Origin>>) -> bool {
    origins.is_some_and(|o| o.iter().any(|o| *o != Origin::Own))
}

/// Everything the templates need, nothing more.
fn strict_policy(
    sources: &BTreeMap<Directive, BTreeSet<Origin>>,
    derived: &DerivedPolicy,
) -> Vec<(String, String)> {
    let get = |d: Directive| sources.get(&d);
    let mut policy = vec![
        ("default-src".to_owned(), "'self'".to_owned()),
        ("script-src".to_owned(), with_self(get(Directive::Script))),
        ("style-src".to_owned(), with_self(get(Directive::Style))),
    ];
    if derived.style_attributes {
        policy.push(("style-src-attr".to_owned(), "'unsafe-inline'".to_owned()));
    }
    for directive in FETCH_DIRECTIVES {
        if external(get(directive)) {
            policy.push((directive.name().to_owned(), with_self(get(directive))));
        }
    }
    let object = if external(get(Directive::Object)) {
        with_self(get(Directive::Object))
    } else {
        "'none'".to_owned()
    };
    policy.push(("object-src".to_owned(), object));
    policy.push(("base-uri".to_owned(), with_self(get(Directive::Base))));
    policy.push((
        "form-action".to_owned(),
        with_self(get(Directive::FormAction)),
    ));
    let ancestors = if derived.frames_itself {
        "'self'"
    } else {
        "'none'"
    };
    policy.push(("frame-ancestors".to_owned(), ancestors.to_owned()));
    policy
}

/// The strict policy with every unproven directive relaxed (its sources
/// widened, or for inline script the directive left out, with `default-src`,
/// whose fallback would block it) — never `'unsafe-inline'`/`'unsafe-eval'`.
fn enforced_policy(
    strict: &[(String, String)],
    blockers: &[Blocker],
    unproven: &BTreeSet<Directive>,
) -> Vec<(String, String)> {
    let inline_code = blockers
        .iter()
        .any(|b| b.directive == Directive::Script && b.kind != Unproven::RuntimeUrl);
    let mut policy: Vec<(String, String)> = strict.to_vec();
    for directive in unproven {
        let name = directive.name();
        let relaxed = match directive {
            Directive::Img | Directive::Media | Directive::Font => "* data: blob:",
            _ => "'self' https:",
        };
        if *directive == Directive::Script && inline_code {
            continue;
        }
        match policy.iter_mut().find(|(d, _)| d == name) {
            Some(entry) => entry.1 = relaxed.to_owned(),
            None => policy.push((name.to_owned(), relaxed.to_owned())),
        }
    }
    if inline_code {
        // Inline handlers run only without any script-src (or default-src)
        // in the enforced policy; every other fetch directive is spelled out.
        policy.retain(|(d, _)| d != "script-src" && d != "default-src");
        for directive in FETCH_DIRECTIVES {
            if !policy.iter().any(|(d, _)| d == directive.name()) {
                policy.push((directive.name().to_owned(), "'self'".to_owned()));
            }
        }
    }
    policy
}

#[cfg(test)]
mod tests;
