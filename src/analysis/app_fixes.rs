//! The code the project-level remediations insert (FH108 `MAX_CONTENT_LENGTH`,
//! FH202 Talisman, FH203 Limiter) and where it goes: right after
//! `app = Flask(...)` and the configuration statements that follow it at
//! module level, before `return app` in an application factory, or, when the
//! factory applies extensions that an extensions module creates
//! (`db = SQLAlchemy()` there, `db.init_app(app)` in the factory), as one more
//! instance in that module plus an `init_app` call after the factory's last one.
//! Inserted calls are written one argument per line in the file's own
//! indentation, and imports go through an [`ImportPlan`].
//!
//! While a module is walked, [`app_facts`] records for each application site
//! the facts these remediations need ([`AppFacts`]: the app's name, the
//! [`Insertion`] place, how the module imports `secrets` and `sys`), and
//! builds the FH202 and FH203 remediations only for enabled rules (they need
//! the module's syntax tree). FH108's ([`max_content_length_fix`], by
//! `rules::app_extension`) and FH102's start-up check ([`startup_check`], by
//! the engine) are built later from those facts alone.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::autofix::{
    call_block, indent_lines, indent_unit, insert_after_statement, insert_before_statement,
    line_ending, project_line_length, statement_indent,
};
use super::codes::Rule;
use super::context::ModuleContext;
use super::csp::{self, DerivedPolicy};
use super::diagnostic::{Edit, Fix};
use super::imports::{ImportPlan, add_names, bound_in, on_unless_testing};

/// The Content-Security-Policy the FH202 fix gives a JSON API (STACK.md).
const API_POLICY: &[(&str, &str)] = &[
    ("default-src", "'none'"),
    ("frame-ancestors", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'none'"),
];

/// The policy for an app that renders HTML and serves its own static files.
const HTML_POLICY: &[(&str, &str)] = &[
    ("default-src", "'self'"),
    ("object-src", "'none'"),
    ("frame-ancestors", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
];

/// The instance names an extensions module gets.
pub const TALISMAN_INSTANCE: &str = "talisman";
/// See [`TALISMAN_INSTANCE`].
pub const LIMITER_INSTANCE: &str = "limiter";

/// Where code goes once an application is complete (after its whole
/// configuration): before the `return app` of a factory, else after
/// `app = Flask(...)` and the configuration statements that follow it.
#[derive(Debug, Clone)]
pub struct Insertion {
    /// The offset code is inserted at.
    at: TextSize,
    /// The indentation of the statement it goes next to.
    indent: String,
    /// The file's line ending.
    eol: &'static str,
    /// Before that statement's line (`return app`), not after its end.
    before: bool,
}

impl Insertion {
    /// Where code goes for the application at `place`; `None` when the app
    /// is not bound by a plain assignment in a module or function body.
    fn of(ctx: ModuleContext<'_>, place: &AppPlace) -> Option<Self> {
        let source = ctx.source();
        let eol = line_ending(source.text());
        match (place.statement, place.body, place.factory_return) {
            (Some(_), _, Some(ret)) => Some(Self {
                at: source.line_range(ret.start()).start(),
                indent: statement_indent(ctx, ret),
                eol,
                before: true,
            }),
            (Some(stmt), Some(body), None) => {
                let anchor = end_of_configuration(body, stmt, &place.app);
                Some(Self {
                    at: source.line_range(anchor.end()).end(),
                    indent: statement_indent(ctx, anchor),
                    eol,
                    before: false,
                })
            }
            _ => None,
        }
    }

    /// The edit inserting `code` (may span lines, `\n`-separated) here, in
    /// the file's indentation and line ending.
    pub fn edit(&self, code: &str) -> Edit {
        let (indent, eol) = (self.indent.as_str(), self.eol);
        let code = indent_lines(code, indent, eol);
        if self.before {
            Edit::insertion(format!("{indent}{code}{eol}"), self.at)
        } else {
            Edit::insertion(format!("{eol}{indent}{code}"), self.at)
        }
    }
}

/// How a module names `secrets` and `sys`, and the edits importing them
/// where needed (FH102's start-up check).
#[derive(Debug, Clone)]
pub struct StartupImports {
    /// The expression naming `secrets`.
    secrets: String,
    /// The expression naming `sys`.
    sys: String,
    /// The import edits.
    edits: Vec<Edit>,
}

impl StartupImports {
    /// The names and imports of the ctx's module.
    fn of(ctx: ModuleContext<'_>) -> Self {
        let mut plan = ImportPlan::new(ctx);
        let secrets = plan.module("secrets");
        let sys = plan.module("sys");
        Self {
            secrets,
            sys,
            edits: plan.edits(),
        }
    }
}

/// What the project model keeps of an application site for the remediations
/// that go there (see `project::AppSite`).
#[derive(Debug, Clone)]
pub struct AppFacts {
    /// The variable the application is bound to (`app` when unknown).
    pub app: String,
    /// Where code goes once the application is complete.
    pub insertion: Option<Insertion>,
    /// The file's indentation unit.
    pub unit: String,
    /// FH102's start-up check imports.
    pub startup_imports: StartupImports,
    /// FH202, inserted in this module (when FH202 is enabled).
    pub talisman: Option<Fix>,
    /// FH203, inserted in this module (when FH203 is enabled).
    pub limiter: Option<Fix>,
    /// The factory applies extensions created in another module.
    pub extensions: Option<ExtensionsUse>,
}

/// The secret settings whose start-up check FH102's fix asks for.
pub const CHECKED_SECRETS: &[&str] = &[
    "SECRET_KEY",
    "JWT_SECRET_KEY",
    "SECURITY_PASSWORD_SALT",
    "WTF_CSRF_SECRET_KEY",
];

/// FH102's start-up check of `key` at an application site: production
/// refuses to start without `key`; debug, testing and a pytest or
/// unittest run get a random per-process value with a warning, so a fresh
/// checkout's tests run without exporting anything (a module-level app is
/// created when the tests import it, before they can set `TESTING`).
pub fn startup_check(facts: &AppFacts, key: &str) -> Vec<Edit> {
    let Some(insertion) = &facts.insertion else {
        return Vec::new();
    };
    let imports = &facts.startup_imports;
    let (app, unit) = (facts.app.as_str(), facts.unit.as_str());
    let (secrets, sys) = (&imports.secrets, &imports.sys);
    let code = format!(
        "if not {app}.config.get(\"{key}\"):\n\
{unit}if (\n\
{unit}{unit}{app}.debug\n\
{unit}{unit}or {app}.testing\n\
{unit}{unit}or \"pytest\" in {sys}.modules\n\
{unit}{unit}or \"unittest\" in {sys}.modules\n\
{unit}):\n\
{unit}{unit}{app}.config[\"{key}\"] = {secrets}.token_hex(32)\n\
{unit}{unit}{app}.logger.warning(\n\
{unit}{unit}{unit}\"{key} is not set: using a random key for this process\"\n\
{unit}{unit}{unit}\" (development and tests only)\"\n\
{unit}{unit})\n\
{unit}else:\n\
{unit}{unit}raise RuntimeError(\n\
{unit}{unit}{unit}\"{key} is not set: export it where the app runs\"\n\
{unit}{unit}{unit}\" (see .env.example)\"\n\
{unit}{unit})"
    );
    let mut edits = vec![insertion.edit(&code)];
    edits.extend(imports.edits.iter().cloned());
    edits
}

/// A factory that calls `x.init_app(app)` on extensions imported from another
/// module: the edits of this module that apply a Talisman or Limiter instance
/// the extensions module provides under [`TALISMAN_INSTANCE`] /
/// [`LIMITER_INSTANCE`].
#[derive(Debug, Clone)]
pub struct ExtensionsUse {
    /// Relative import level of the extensions module (0: absolute).
    pub level: u32,
    /// Its dotted name (without the leading dots).
    pub module: String,
    /// `talisman.init_app(app, ...)` and its import.
    pub talisman: Vec<Edit>,
    /// `limiter.init_app(app)`, the storage setting and the import.
    pub limiter: Vec<Edit>,
}

/// What an extensions module (module-level `name = Extension()` instances)
/// offers the factory that imports from it: per extension, the edits that
/// create the instance (empty when it already exists), or `None` when the name
/// is taken by something else.
#[derive(Debug, Clone, Default)]
pub struct ExtensionSlots {
    /// Creates `talisman = Talisman()`.
    pub talisman: Option<Vec<Edit>>,
    /// Creates `limiter = Limiter(...)`.
    pub limiter: Option<Vec<Edit>>,
    /// The module's secret literals (masked in diffs).
    pub secrets: Vec<ruff_text_size::TextRange>,
}

/// What the FH202 fix knows of the pages an application serves.
#[derive(Debug, Clone, Default)]
pub struct PagePolicy {
    /// The app renders HTML.
    pub html: bool,
    /// The policy derived from its templates, when it has some.
    pub derived: Option<DerivedPolicy>,
}

impl PagePolicy {
    /// Looks at the app created in the ctx's module.
    pub fn of(ctx: ModuleContext<'_>) -> Self {
        let source = ctx.source();
        // A module that applies Talisman gets no FH202 fix, and a run that
        // does not select FH202 needs none: skip the walk.
        let derived =
            if source.text().contains("Talisman(") || !ctx.enabled(Rule::MissingSecurityHeaders) {
                None
            } else {
                csp::derive(source.path(), source.text())
            };
        Self {
            html: derived.is_some() || serves_html(ctx),
            derived,
        }
    }
}

/// A policy dict, one directive per line; a directive with many sources as a
/// list, one source per line (Talisman joins lists with spaces).
fn policy_block(entries: &[(String, String)], unit: &str, width: usize) -> String {
    let mut text = "{\n".to_owned();
    for (key, value) in entries {
        let line = format!("{unit}\"{key}\": \"{value}\",");
        if line.len() + unit.len() <= width {
            text.push_str(&line);
            text.push('\n');
            continue;
        }
        text.push_str(&format!("{unit}\"{key}\": [\n"));
        for source in value.split(' ') {
            text.push_str(&format!("{unit}{unit}\"{source}\",\n"));
        }
        text.push_str(&format!("{unit}],\n"));
    }
    text.push('}');
    text
}

fn talisman_options(
    plan: &mut ImportPlan,
    pages: &PagePolicy,
    unit: &str,
    width: usize,
) -> Vec<String> {
    let https = on_unless_testing(plan);
    let owned = |policy: &[(&str, &str)]| -> Vec<(String, String)> {
        policy
            .iter()
            .map(|(d, v)| ((*d).to_owned(), (*v).to_owned()))
            .collect()
    };
    let policy = match (&pages.derived, pages.html) {
        (Some(derived), _) => derived.enforced.clone(),
        (None, true) => owned(HTML_POLICY),
        (None, false) => owned(API_POLICY),
    };
    let mut options = vec![
        format!("force_https={https}"),
        format!("session_cookie_secure={https}"),
        format!(
            "content_security_policy={}",
            policy_block(&policy, unit, width)
        ),
    ];
    if let Some(derived) = &pages.derived
        && !derived.nonce_in.is_empty()
    {
        let list: Vec<String> = derived
            .nonce_in
            .iter()
            .map(|d| format!("\"{d}\""))
            .collect();
        options.push(format!(
            "content_security_policy_nonce_in=[{}]",
            list.join(", ")
        ));
    }
    let frames_itself = pages.derived.as_ref().is_some_and(|d| d.frames_itself);
    options.push(format!(
        "frame_options=\"{}\"",
        if frames_itself { "SAMEORIGIN" } else { "DENY" }
    ));
    if !pages.html {
        options.push("referrer_policy=\"no-referrer\"".to_owned());
    }
    options.push("strict_transport_security_max_age=63072000".to_owned());
    options.push("x_xss_protection=False".to_owned());
    options
}

/// The `after_request` hook that sends the derived policy as
/// `Content-Security-Policy-Report-Only` (what the enforced one leaves open),
/// preceded by a blank line; `None` when everything is enforced.
fn report_only_hook(
    plan: &mut ImportPlan,
    pages: &PagePolicy,
    app: &str,
    name: &str,
    unit: &str,
    width: usize,
) -> Option<String> {
    let policy = pages.derived.as_ref()?.report_only.as_ref()?;
    let uses_nonce = policy.iter().any(|(_, v)| v.contains("{nonce}"));
    let mut code = format!(
        "@{app}.after_request\ndef {name}(response):\n{unit}\"\"\"Report what the enforced Content-Security-Policy leaves open (FH202).\"\"\"\n"
    );
    if uses_nonce {
        let request = plan.name("flask", "request");
        code.push_str(&format!(
            "{unit}nonce = getattr({request}, \"csp_nonce\", \"\")\n"
        ));
    }
    code.push_str(&format!(
        "{unit}response.headers.setdefault(\n{unit}{unit}\"Content-Security-Policy-Report-Only\",\n"
    ));
    let last = policy.len().saturating_sub(1);
    // Each piece fits the line: `{unit}{unit}f"...",` within `width`.
    let room = width.saturating_sub(2 * unit.len() + 4).max(30);
    for (i, (directive, value)) in policy.iter().enumerate() {
        let separator = if i == last { "" } else { "; " };
        let mut pieces: Vec<String> = vec![directive.clone()];
        for word in value.split(' ') {
            let current = pieces.last_mut().expect("one piece");
            if current.len() + 1 + word.len() + separator.len() <= room {
                current.push(' ');
                current.push_str(word);
            } else {
                pieces.push(format!(" {word}"));
            }
        }
        if let Some(piece) = pieces.last_mut() {
            piece.push_str(separator);
        }
        for piece in pieces {
            let prefix = if piece.contains("{nonce}") { "f" } else { "" };
            code.push_str(&format!("{unit}{unit}{prefix}\"{piece}\"\n"));
        }
    }
    code.push_str(&format!("{unit})\n{unit}return response"));
    Some(code)
}

/// Stricter limits on authentication POSTs, per client address and per
/// account, as a `before_request` hook using the Limiter named `limiter`.
fn auth_limit_hook(
    plan: &mut ImportPlan,
    app: &str,
    limiter: &str,
    name: &str,
    unit: &str,
) -> String {
    let re = plan.module("re");
    let inspect = plan.module("inspect");
    let parse = plan.name("limits", "parse");
    let request = plan.name("flask", "request");
    let current_app = plan.name("flask", "current_app");
    let abort = plan.name("flask", "abort");
    let key = plan.name("flask_limiter.util", "get_remote_address");
    let u = unit;
    format!(
        "@{app}.before_request\n\
def {name}():\n\
{u}\"\"\"Sign-in, sign-up, token, password-reset and one-time-code POSTs: 10 a\n\
{u}minute per client address, 10 a minute and 50 an hour per account (FH203).\n\
{u}\"\"\"\n\
{u}if {request}.method != \"POST\" or {current_app}.testing:\n\
{u}{u}return None\n\
{u}rule = {request}.url_rule.rule if {request}.url_rule else \"\"\n\
{u}view = f\"{{rule}} {{{request}.endpoint or ''}}\".replace(\"-\", \"_\")\n\
{u}pattern = (\n\
{u}{u}r\"log_?in|sign_?(in|up)|register|token|reset|forgot|password\"\n\
{u}{u}r\"|otp|2fa|mfa|verify\"\n\
{u})\n\
{u}# Views that check passwords or one-time codes count whatever their name.\n\
{u}func = {inspect}.unwrap({current_app}.view_functions.get({request}.endpoint))\n\
{u}calls = set(getattr(getattr(func, \"__code__\", None), \"co_names\", ()))\n\
{u}checks = {{\n\
{u}{u}\"check_password_hash\", \"verify_password\", \"check_password\", \"checkpw\"\n\
{u}}}\n\
{u}if not ({re}.search(pattern, view, {re}.IGNORECASE) or calls & checks):\n\
{u}{u}return None\n\
{u}fields = {request}.get_json(silent=True) if {request}.is_json else {request}.form\n\
{u}account = \"\"\n\
{u}for field in (\"username\", \"email\", \"login\", \"user\", \"account\"):\n\
{u}{u}value = fields.get(field) if isinstance(fields, dict) else None\n\
{u}{u}if isinstance(value, str) and value.strip():\n\
{u}{u}{u}account = value.strip().lower()[:254]\n\
{u}{u}{u}break\n\
{u}limits = [(\"10/minute\", \"address\", {key}())]\n\
{u}if account:\n\
{u}{u}limits.append((\"10/minute\", \"account\", account))\n\
{u}{u}limits.append((\"50/hour\", \"account\", account))\n\
{u}for limit, scope, who in limits:\n\
{u}{u}if not {limiter}.limiter.hit({parse}(limit), \"auth\", scope, who):\n\
{u}{u}{u}{abort}(429)\n\
{u}return None"
    )
}

/// `ProxyFix` driven by `TRUSTED_PROXIES` (0 by default: no forwarded
/// header is trusted, so a client's own `X-Forwarded-For` changes nothing).
fn proxy_fix_code(plan: &mut ImportPlan, app: &str, unit: &str) -> String {
    let os = plan.module("os");
    let proxy_fix = plan.name("werkzeug.middleware.proxy_fix", "ProxyFix");
    format!(
        "# Behind N reverse proxies set TRUSTED_PROXIES=N: the client address and\n\
# scheme then come from their X-Forwarded-For/-Proto headers (FH203).\n\
trusted_proxies = int({os}.environ.get(\"TRUSTED_PROXIES\") or 0)\n\
if trusted_proxies:\n\
{unit}{app}.wsgi_app = {proxy_fix}(\n\
{unit}{unit}{app}.wsgi_app, x_for=trusted_proxies, x_proto=trusted_proxies\n\
{unit})"
    )
}

/// Whether the project shows it runs behind a reverse proxy (Procfile,
/// Docker or nginx files, gunicorn's `forwarded_allow_ips`).
fn behind_proxy(ctx: ModuleContext<'_>) -> bool {
    let dir = csp::project_dir(ctx.source().path());
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
        name == "procfile"
            || name.starts_with("dockerfile")
            || name.starts_with("docker-compose")
            || name.starts_with("compose.")
            || name.contains("nginx")
            || (name.starts_with("gunicorn")
                && std::fs::read_to_string(entry.path())
                    .is_ok_and(|t| t.contains("forwarded_allow_ips")))
    })
}

/// Inserts top-level definitions at the end of the module (before a final
/// `if __name__ == "__main__":` block), two blank lines before them.
fn insert_at_module_end(ctx: ModuleContext<'_>, code: &str) -> Edit {
    let source = ctx.source();
    let text = source.text();
    let eol = line_ending(text);
    if let Some(last) = ctx.parsed().suite().last()
        && is_main_guard(last)
    {
        // Two blank lines before the hook (counting those already above the
        // guard) and two after it.
        let line_start = source.line_range(last.start()).start().to_usize();
        let above = text[..line_start]
            .lines()
            .rev()
            .take_while(|l| l.trim().is_empty())
            .count();
        let lead = "\n".repeat(2usize.saturating_sub(above));
        return insert_before_statement(ctx, last, &format!("{lead}{code}\n\n"));
    }
    let end = text.trim_end().len();
    let body = code.replace('\n', eol);
    let at = TextSize::try_from(end).unwrap_or_default();
    Edit::insertion(format!("{eol}{eol}{eol}{body}"), at)
}

fn is_main_guard(stmt: &Stmt) -> bool {
    let Stmt::If(stmt) = stmt else { return false };
    let Expr::Compare(compare) = &*stmt.test else {
        return false;
    };
    matches!(&*compare.left, Expr::Name(n) if n.id.as_str() == "__name__")
}

/// The first of `names` that the module (or body) does not bind, else the
/// last with a `fh_` prefix.
fn hook_name(ctx: ModuleContext<'_>, body: Option<&[Stmt]>, names: &[&str]) -> String {
    let taken = |name: &str| {
        bound_in(ctx.parsed().suite(), name) || body.is_some_and(|b| bound_in(b, name))
    };
    names.iter().find(|n| !taken(n)).map_or_else(
        || format!("fh_{}", names[names.len() - 1]),
        |n| (*n).to_owned(),
    )
}

/// A nested hook inside a factory, a blank line before and after it.
fn around_hook(code: &str) -> String {
    format!("\n\n{code}\n")
}

fn storage_setting(plan: &mut ImportPlan, app: &str, unit: &str) -> String {
    let os = plan.module("os");
    format!(
        "{app}.config.setdefault(\n{unit}\"RATELIMIT_STORAGE_URI\", {os}.environ.get(\"RATELIMIT_STORAGE_URI\", \"memory://\")\n)"
    )
}

fn limiter_arguments(plan: &mut ImportPlan, app: Option<&str>) -> Vec<String> {
    let key = plan.name("flask_limiter.util", "get_remote_address");
    let current_app = plan.name("flask", "current_app");
    let mut arguments = vec![key];
    if let Some(app) = app {
        arguments.push(format!("app={app}"));
    }
    // Per view and client address: a person reloading a page every second,
    // or a page polling once a second, never reaches it; a script hammering
    // one view does within the minute (issue 9: 50 per hour cut off a person
    // after 50 reloads).
    arguments.push(r#"default_limits=["120 per minute"]"#.to_owned());
    // X-RateLimit-* headers tell clients (and `flask-harden scan`) the limits.
    arguments.push("headers_enabled=True".to_owned());
    arguments.push(format!(
        "default_limits_exempt_when=lambda: {current_app}.testing"
    ));
    arguments
}

/// What the FH203 fix says it does.
pub fn limiter_message(proxy_fix: bool, behind_proxy: bool) -> String {
    let mut message = "Add a Flask-Limiter Limiter keyed on the client address: 120 requests a minute per view by default, and on authentication POSTs (sign-in, sign-up, token, password reset, one-time codes) 10 a minute per address plus 10 a minute and 50 an hour per account (none while testing; RATELIMIT_STORAGE_URI from the environment, memory:// by default)".to_owned();
    if proxy_fix {
        message.push_str(
            "; ProxyFix trusts X-Forwarded-For/-Proto only from TRUSTED_PROXIES proxies (0 by default)",
        );
    }
    if behind_proxy {
        message.push_str(
            "; this project runs behind a reverse proxy (Procfile, Docker or nginx files): set TRUSTED_PROXIES to the number of proxies in front of the app, or every client shares the proxy's address",
        );
    }
    message.push_str("; add Flask-Limiter to the dependencies");
    message
}

/// The FH202 fix's own words for a derived policy: what it allows, what gets
/// a nonce, what stays report-only and why.
pub fn policy_summary(derived: &DerivedPolicy) -> String {
    let mut parts = vec![format!(
        "a Content-Security-Policy derived from its {} template{}",
        derived.templates,
        if derived.templates == 1 { "" } else { "s" }
    )];
    if !derived.external.is_empty() {
        parts.push(format!(
            "allowing {}",
            derived
                .external
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !derived.nonce_in.is_empty() {
        parts.push("a per-request nonce on inline <script>/<style> blocks".to_owned());
    }
    if derived.style_attributes {
        parts.push(
            "style=\"...\" attributes allowed through style-src-attr 'unsafe-inline' (inline styles run no code)".to_owned(),
        );
    }
    if !derived.blockers.is_empty() {
        let directives: std::collections::BTreeSet<&str> = derived
            .blockers
            .iter()
            .map(|b| b.directive.name())
            .collect();
        let lines: Vec<String> = derived
            .blockers
            .iter()
            .take(6)
            .map(|b| format!("{}:{} ({})", b.path, b.line, b.what))
            .collect();
        let more = derived.blockers.len().saturating_sub(6);
        parts.push(format!(
            "{} report-only (Content-Security-Policy-Report-Only) until these template lines change: {}{}",
            directives.into_iter().collect::<Vec<_>>().join(", "),
            lines.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        ));
    }
    parts.join("; ")
}

/// Adds the nonce edits of the app's templates to the remediation.
fn with_template_edits(mut fix: Fix, pages: &PagePolicy) -> Fix {
    if fix.edits.is_empty() {
        return fix;
    }
    if let Some(derived) = &pages.derived {
        for (path, edits) in &derived.template_edits {
            fix = fix.with_other_file(path.clone(), edits.clone(), Vec::new());
        }
    }
    fix
}

/// Whether the module renders HTML (`render_template*`) or has a `templates/`
/// or `static/` folder beside it.
fn serves_html(ctx: ModuleContext<'_>) -> bool {
    let source = ctx.source();
    let text = source.text();
    // Templates found through the app's own loaders and folders count too:
    // `Flask(..., template_folder="theme/templates")`, `app.jinja_loader =
    // ChoiceLoader([...])`, a `themes/` folder (a JSON-API policy there would
    // block every page, the login included).
    let loaders = [
        "render_template",
        "template_folder",
        "jinja_loader",
        "FileSystemLoader",
        "ChoiceLoader",
    ];
    if loaders.iter().any(|l| text.contains(l)) {
        return true;
    }
    let folders = ["templates", "static", "themes", "theme"];
    let dir = source.path().parent();
    // The module's folder and, when it is a package, the folder above it
    // (the project root of a package layout).
    let package_root = dir
        .filter(|d| d.join("__init__.py").is_file())
        .and_then(std::path::Path::parent);
    [dir, package_root]
        .into_iter()
        .flatten()
        .any(|d| folders.iter().any(|f| d.join(f).is_dir()))
}

/// Whether `expr` is `app`, or an attribute or item of it.
fn rooted_at(expr: &Expr, app: &str) -> bool {
    match expr {
        Expr::Name(name) => name.id.as_str() == app,
        Expr::Attribute(attr) => rooted_at(&attr.value, app),
        Expr::Subscript(sub) => rooted_at(&sub.value, app),
        _ => false,
    }
}

/// Whether `stmt` configures the application: `app.config[...] = ...`,
/// `app.secret_key = ...`, `app.config.from_object(...)`, `app.config.update(...)`,
/// a `with app.app_context():` block.
fn configures(stmt: &Stmt, app: &str) -> bool {
    let not_the_app = |e: &Expr| !matches!(e, Expr::Name(_)) && rooted_at(e, app);
    match stmt {
        // `with app.app_context():` blocks that load configuration (or set up
        // extensions) belong to the set-up: insertions go after them.
        Stmt::With(with) => with.items.iter().any(|item| {
            matches!(&item.context_expr, Expr::Call(call)
                if matches!(&*call.func, Expr::Attribute(a)
                    if a.attr.as_str() == "app_context" && rooted_at(&a.value, app)))
        }),
        Stmt::Assign(assign) => assign.targets.iter().all(not_the_app),
        Stmt::AugAssign(assign) => not_the_app(&assign.target),
        Stmt::Expr(expr) => match &*expr.value {
            Expr::Call(call) => match &*call.func {
                Expr::Attribute(method) => matches!(
                    &*method.value,
                    Expr::Attribute(config) if config.attr.as_str() == "config" && rooted_at(&config.value, app)
                ),
                _ => false,
            },
            _ => false,
        },
        _ => false,
    }
}

/// The last statement of the run that starts with `statement` and continues
/// with statements configuring `app`.
fn end_of_configuration<'a>(body: &'a [Stmt], statement: &'a Stmt, app: &str) -> &'a Stmt {
    let Some(start) = body.iter().position(|s| std::ptr::eq(s, statement)) else {
        return statement;
    };
    body[start + 1..]
        .iter()
        .take_while(|s| configures(s, app))
        .last()
        .unwrap_or(statement)
}

/// The name `x` of an `x.init_app(app, ...)` statement, or `(module, x)` for
/// `module.x.init_app(app)`.
fn init_app_receiver<'a>(stmt: &'a Stmt, app: &str) -> Option<&'a Expr> {
    let Stmt::Expr(expr) = stmt else { return None };
    let Expr::Call(call) = &*expr.value else {
        return None;
    };
    let Expr::Attribute(method) = &*call.func else {
        return None;
    };
    if method.attr.as_str() != "init_app" {
        return None;
    }
    let passes_app = matches!(call.arguments.args.first(), Some(Expr::Name(n)) if n.id.as_str() == app)
        || call
            .arguments
            .find_keyword("app")
            .is_some_and(|k| matches!(&k.value, Expr::Name(n) if n.id.as_str() == app));
    passes_app.then_some(&*method.value)
}

/// Where an application is created, as the remediations need it.
pub struct AppPlace<'a> {
    /// The variable the application is bound to (`app` when unknown).
    pub app: String,
    /// `app = Flask(...)`, when the app is bound by a simple assignment.
    pub statement: Option<&'a Stmt>,
    /// The body that statement is in (module or function).
    pub body: Option<&'a [Stmt]>,
    /// `return app` ending the factory that creates it.
    pub factory_return: Option<&'a Stmt>,
}

/// Whether the application is created at module level: hooks that use it
/// can then go at the module's end; in a function they are nested there.
fn is_module_level(ctx: ModuleContext<'_>, place: &AppPlace) -> bool {
    place.factory_return.is_none()
        && place
            .body
            .is_some_and(|body| std::ptr::eq(body.as_ptr(), ctx.parsed().suite().as_ptr()))
}

/// Inserts `code` (may span lines) where the application is complete.
fn insert_code(ctx: ModuleContext<'_>, place: &AppPlace, code: &str) -> Vec<Edit> {
    Insertion::of(ctx, place)
        .map(|insertion| insertion.edit(code))
        .into_iter()
        .collect()
}

/// FH108: set MAX_CONTENT_LENGTH to the `limit`th bound (16, 100 or 512 MiB,
/// see `ProjectModel::body_limit`) where the application is complete.
pub fn max_content_length_fix(facts: &AppFacts, limit: usize) -> Fix {
    let (mib, why) = [
        (16, "no view reads uploaded files"),
        (100, "views read uploaded files (request.files)"),
        (
            512,
            "views import, back up or restore data from uploaded files",
        ),
    ][limit.min(2)];
    let app = &facts.app;
    Fix::safe(
        format!(
            "Limit request bodies to {mib} MiB with MAX_CONTENT_LENGTH ({why}; adjust to the largest body the app must accept)"
        ),
        facts
            .insertion
            .iter()
            .map(|i| {
                i.edit(&format!(
                    "{app}.config[\"MAX_CONTENT_LENGTH\"] = {mib} * 1024 * 1024"
                ))
            })
            .collect(),
    )
}

/// The facts of an application created at `place`, with the FH202 and
/// FH203 remediations built when those rules are enabled.
pub fn app_facts(ctx: ModuleContext<'_>, place: &AppPlace) -> AppFacts {
    let unit = indent_unit(ctx.source().text());
    let pages = PagePolicy::of(ctx);
    let talisman = ctx
        .enabled(Rule::MissingSecurityHeaders)
        .then(|| talisman_fix(ctx, place, &pages, &unit));
    let limiter = ctx
        .enabled(Rule::MissingRateLimiting)
        .then(|| limiter_fix(ctx, place, &unit));
    AppFacts {
        app: place.app.clone(),
        insertion: Insertion::of(ctx, place),
        startup_imports: StartupImports::of(ctx),
        talisman,
        limiter,
        extensions: extensions_use(ctx, place, &pages, &unit),
        unit,
    }
}

/// FH202 where the application is created.
fn talisman_fix(ctx: ModuleContext<'_>, place: &AppPlace, pages: &PagePolicy, unit: &str) -> Fix {
    let app = place.app.as_str();
    let policy_name = match &pages.derived {
        Some(derived) => policy_summary(derived),
        None if pages.html => "a same-origin Content-Security-Policy for its HTML pages".to_owned(),
        None => "a strict API Content-Security-Policy".to_owned(),
    };

    let base = place
        .factory_return
        .map(|ret| statement_indent(ctx, ret))
        .unwrap_or_default();
    let width = project_line_length(ctx).saturating_sub(base.len());
    let mut plan = ImportPlan::new(ctx);
    let talisman = plan.name("flask_talisman", "Talisman");
    let mut arguments = vec![app.to_owned()];
    arguments.extend(talisman_options(&mut plan, pages, unit, width));
    let mut code = call_block(&talisman, &arguments, unit);
    let top_level = is_module_level(ctx, place);
    let name = hook_name(
        ctx,
        place.body,
        &["csp_report_only", "csp_report_only_header"],
    );
    let mut module_end = None;
    if let Some(hook) = report_only_hook(&mut plan, pages, app, &name, unit, width) {
        if top_level {
            module_end = Some(insert_at_module_end(ctx, &hook));
        } else {
            code.push_str(&around_hook(&hook));
        }
    }
    let mut edits = insert_code(ctx, place, &code);
    if !edits.is_empty() {
        edits.extend(module_end);
        edits.extend(plan.edits());
    }
    with_template_edits(
        Fix::safe(
            format!(
                "Apply flask-talisman (HTTPS except while app.testing, HSTS, {policy_name}, nosniff) where the app is created, and add flask-talisman to the dependencies"
            ),
            edits,
        )
        .needing(crate::deps::TALISMAN),
        pages,
    )
}

/// FH203 where the application is created.
fn limiter_fix(ctx: ModuleContext<'_>, place: &AppPlace, unit: &str) -> Fix {
    let app = place.app.as_str();
    let mut plan = ImportPlan::new(ctx);
    let limiter = plan.name("flask_limiter", "Limiter");
    let storage = storage_setting(&mut plan, app, unit);
    let arguments = limiter_arguments(&mut plan, Some(app));
    let instance = hook_name(ctx, place.body, &["limiter", "rate_limiter"]);
    let hook = hook_name(ctx, place.body, &["limit_auth_attempts"]);
    let top_level = is_module_level(ctx, place);
    let proxy = !ctx.source().text().contains("ProxyFix");
    let mut code = format!(
        "{storage}\n{instance} = {}",
        call_block(&limiter, &arguments, unit)
    );
    if proxy {
        code.push('\n');
        code.push_str(&proxy_fix_code(&mut plan, app, unit));
    }
    let auth = auth_limit_hook(&mut plan, app, &instance, &hook, unit);
    let mut module_end = None;
    if top_level {
        module_end = Some(insert_at_module_end(ctx, &auth));
    } else {
        code.push_str(&around_hook(&auth));
    }
    let mut edits = insert_code(ctx, place, &code);
    if !edits.is_empty() {
        edits.extend(module_end);
        edits.extend(plan.edits());
    }
    // The fixed code reads these through `os` or whatever name the module
    // gives it (`import os as operating_system`).
    let mut limiter = Fix::safe(limiter_message(proxy, behind_proxy(ctx)), edits)
        .needing(crate::deps::LIMITER)
        .reading_env("RATELIMIT_STORAGE_URI");
    if proxy {
        limiter = limiter.reading_env("TRUSTED_PROXIES");
    }
    limiter
}

/// The factory side of the extensions pattern: after the last
/// `x.init_app(app)` of the body that creates the app, where `x` is imported
/// from another module.
fn extensions_use(
    ctx: ModuleContext<'_>,
    place: &AppPlace,
    pages: &PagePolicy,
    unit: &str,
) -> Option<ExtensionsUse> {
    let (statement, body) = (place.statement?, place.body?);
    let app = place.app.as_str();
    let start = body.iter().position(|s| std::ptr::eq(s, statement))?;
    let (anchor, receiver) = body[start + 1..]
        .iter()
        .filter_map(|s| init_app_receiver(s, app).map(|r| (s, r)))
        .filter(|(_, r)| imported_module(ctx, r).is_some())
        .last()?;
    let (level, module, prefix) = imported_module(ctx, receiver)?;
    let taken = |name: &str| bound_in(ctx.parsed().suite(), name) || bound_in(body, name);
    // `x` from `from .extensions import x`: the new name joins that import.
    let import_of = match receiver {
        Expr::Name(name) => Some(import_binding(ctx, body, name.id.as_str())?),
        _ => None,
    };
    let width = project_line_length(ctx).saturating_sub(statement_indent(ctx, anchor).len());
    // Built only for an enabled rule.
    let build =
        |rule: Rule, instance: &str, code: &dyn Fn(&mut ImportPlan, &str) -> String| -> Vec<Edit> {
            if !ctx.enabled(rule) || (prefix.is_empty() && taken(instance)) {
                return Vec::new();
            }
            let mut plan = ImportPlan::new(ctx);
            let receiver = format!("{prefix}{instance}");
            let mut edits: Vec<Edit> =
                insert_after_statement(ctx, anchor, &code(&mut plan, &receiver))
                    .into_iter()
                    .collect();
            if let Some(from) = import_of {
                edits.extend(add_names(ctx, from, &[instance.to_owned()]));
            }
            edits.extend(plan.edits());
            edits
        };
    let talisman = build(
        Rule::MissingSecurityHeaders,
        TALISMAN_INSTANCE,
        &|plan, receiver| {
            let mut arguments = vec![app.to_owned()];
            arguments.extend(talisman_options(plan, pages, unit, width));
            let mut code = call_block(&format!("{receiver}.init_app"), &arguments, unit);
            let name = hook_name(
                ctx,
                Some(body),
                &["csp_report_only", "csp_report_only_header"],
            );
            if let Some(hook) = report_only_hook(plan, pages, app, &name, unit, width) {
                code.push_str(&around_hook(&hook));
            }
            code
        },
    );
    let proxy = !ctx.source().text().contains("ProxyFix");
    let limiter = build(
        Rule::MissingRateLimiting,
        LIMITER_INSTANCE,
        &|plan, receiver| {
            let mut code = format!(
                "{}\n{receiver}.init_app({app})",
                storage_setting(plan, app, unit)
            );
            if proxy {
                code.push('\n');
                code.push_str(&proxy_fix_code(plan, app, unit));
            }
            let hook = hook_name(ctx, Some(body), &["limit_auth_attempts"]);
            code.push_str(&around_hook(&auth_limit_hook(
                plan, app, receiver, &hook, unit,
            )));
            code
        },
    );
    Some(ExtensionsUse {
        level,
        module,
        talisman,
        limiter,
    })
}

/// For `x` (or `m.x`) imported from another module of the project: the import
/// level, the module's dotted name and the prefix to write before a sibling
/// name (`""` for `x`, `"m."` for `m.x`).
fn imported_module(ctx: ModuleContext<'_>, receiver: &Expr) -> Option<(u32, String, String)> {
    let (qualified, prefix) = match receiver {
        Expr::Name(_) => {
            let q = ctx.semantic().resolve_qualified_name(receiver)?;
            let mut segments: Vec<&str> = q.segments().collect();
            segments.pop()?;
            (
                segments.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
                String::new(),
            )
        }
        Expr::Attribute(attr) => {
            let Expr::Name(module) = &*attr.value else {
                return None;
            };
            let q = ctx.semantic().resolve_qualified_name(&attr.value)?;
            let segments = q.segments().map(str::to_owned).collect::<Vec<_>>();
            (segments, format!("{}.", module.id))
        }
        _ => return None,
    };
    let (level, rest) = match qualified.first() {
        Some(dots) if dots.starts_with('.') => (dots.len() as u32, &qualified[1..]),
        _ => (0, &qualified[..]),
    };
    if rest.is_empty() && level == 0 {
        return None;
    }
    let module = rest.join(".");
    // Flask extensions themselves are not the project's extensions module.
    if level == 0 && (module.starts_with("flask") || module.contains("flask_")) {
        return None;
    }
    Some((level, module, prefix))
}

/// The `from ... import` statement (module level or in `body`) that binds `name`.
fn import_binding<'a>(
    ctx: ModuleContext<'a>,
    body: &'a [Stmt],
    name: &str,
) -> Option<&'a ast::StmtImportFrom> {
    ctx.parsed()
        .suite()
        .iter()
        .chain(body.iter())
        .find_map(|stmt| match stmt {
            Stmt::ImportFrom(from)
                if from
                    .names
                    .iter()
                    .any(|a| a.asname.as_ref().unwrap_or(&a.name).as_str() == name) =>
            {
                Some(from)
            }
            _ => None,
        })
}

/// The extensions-module side: for a module with module-level extension
/// instances (`db = SQLAlchemy()`), the edits creating `talisman` and
/// `limiter` instances after the last of them. `existing` maps the module's
/// Talisman and Limiter instances (by name) already there.
pub fn extension_slots(
    ctx: ModuleContext<'_>,
    existing_talisman: Option<&str>,
    existing_limiter: Option<&str>,
    secrets: &[TextRange],
) -> Option<ExtensionSlots> {
    let suite = ctx.parsed().suite();
    let callee = |stmt: &Stmt| match stmt {
        Stmt::Assign(assign) if matches!(&*assign.targets, [Expr::Name(_)]) => match &*assign.value
        {
            Expr::Call(call) => ctx.semantic().resolve_qualified_name(&call.func),
            _ => None,
        },
        _ => None,
    };
    // Only a module that creates a Flask extension (`flask_sqlalchemy.SQLAlchemy()`,
    // not Flask's own `Blueprint`) is an extensions module; this keeps the
    // work (and the import placement's file-system checks) off other modules.
    let creates_extension = suite.iter().filter_map(callee).any(|q| {
        let dotted = q.as_str();
        dotted.contains("flask") && !dotted.starts_with("flask.")
    });
    if !creates_extension {
        return None;
    }
    let last_instance = suite
        .iter()
        .rev()
        .find(|stmt| callee(stmt).is_some_and(|q| !q.as_str().starts_with("builtins.")))?;
    let unit = indent_unit(ctx.source().text());
    let slot =
        |instance: &str, existing: Option<&str>, code: &dyn Fn(&mut ImportPlan) -> String| {
            match existing {
                Some(name) if name == instance => return Some(Vec::new()),
                Some(_) => return None,
                None => {}
            }
            if bound_in(suite, instance) {
                return None;
            }
            let mut plan = ImportPlan::new(ctx);
            let line = format!("{instance} = {}", code(&mut plan));
            let mut edits: Vec<Edit> = insert_after_statement(ctx, last_instance, &line)
                .into_iter()
                .collect();
            edits.extend(plan.edits());
            Some(edits)
        };
    Some(ExtensionSlots {
        talisman: slot(TALISMAN_INSTANCE, existing_talisman, &|plan| {
            format!("{}()", plan.name("flask_talisman", "Talisman"))
        }),
        limiter: slot(LIMITER_INSTANCE, existing_limiter, &|plan| {
            let limiter = plan.name("flask_limiter", "Limiter");
            call_block(&limiter, &limiter_arguments(plan, None), &unit)
        }),
        secrets: secrets.to_vec(),
    })
}
