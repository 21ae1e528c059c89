//! What one Jinja template makes a browser load and run: a tolerant scanner
//! over HTML with Jinja in it (`{{ }}`, `{% %}`, `{# #}` are opaque tokens,
//! `{% raw %}` blocks are plain text), reporting each URL a tag loads with the
//! CSP directive that governs it, the inline `<script>`/`<style>` blocks that
//! need a nonce, `style="..."` attributes, and what no policy can prove
//! (inline event handlers, `javascript:` URLs, URLs built at run time). The
//! output of the popular extensions' helper macros (Bootstrap-Flask,
//! Flask-Bootstrap, Flask-Moment, Flask-CKEditor, Flask-Dropzone, reCAPTCHA)
//! is known from their sources.
//!
//! No HTML crate parses Jinja inside tags and attributes, hence the hand-written
//! scanner; it only needs tags, attributes and raw-text elements.

use ruff_text_size::TextSize;

use crate::analysis::diagnostic::Edit;

/// A CSP fetch or navigation directive a template needs sources in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Directive {
    /// `script-src`
    Script,
    /// `style-src`
    Style,
    /// `img-src`
    Img,
    /// `font-src`
    Font,
    /// `connect-src`
    Connect,
    /// `media-src`
    Media,
    /// `frame-src`
    Frame,
    /// `object-src`
    Object,
    /// `manifest-src`
    Manifest,
    /// `worker-src`
    Worker,
    /// `form-action`
    FormAction,
    /// `base-uri`
    Base,
}

impl Directive {
    /// The directive's name in a policy.
    pub fn name(self) -> &'static str {
        match self {
            Self::Script => "script-src",
            Self::Style => "style-src",
            Self::Img => "img-src",
            Self::Font => "font-src",
            Self::Connect => "connect-src",
            Self::Media => "media-src",
            Self::Frame => "frame-src",
            Self::Object => "object-src",
            Self::Manifest => "manifest-src",
            Self::Worker => "worker-src",
            Self::FormAction => "form-action",
            Self::Base => "base-uri",
        }
    }
}

/// A source a template loads from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// The app itself (relative URLs, `url_for(...)`).
    Own,
    /// A host source: `https://cdn.example.com`, or `cdn.example.com` for a
    /// protocol-relative URL.
    Host(String),
    /// A scheme source: `data:` or `blob:`.
    Scheme(&'static str),
}

impl Origin {
    /// How the source is written in a policy.
    pub fn source(&self) -> String {
        match self {
            Self::Own => "'self'".to_owned(),
            Self::Host(host) => host.clone(),
            Self::Scheme(scheme) => (*scheme).to_owned(),
        }
    }
}

/// Why a directive cannot be derived for sure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unproven {
    /// `onclick="..."` and other inline event handlers (script-src).
    EventHandler,
    /// `href="javascript:..."` (script-src).
    JavascriptUrl,
    /// `eval(...)` / `new Function(...)` in an inline script (script-src).
    Eval,
    /// A URL built at run time (`src="{{ item.photo }}"`).
    RuntimeUrl,
}

/// One thing a template shows a browser, at a byte offset of the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// A source `directive` needs.
    Source(Directive, Origin),
    /// An inline `<script>` (`script: true`) or `<style>` block.
    Inline {
        /// Script (else style).
        script: bool,
    },
    /// A `style="..."` attribute (or markup a macro writes with one).
    StyleAttribute,
    /// Something `directive` cannot be proven for.
    Unproven(Directive, Unproven, String),
}

/// The scan of one template: what it needs, where, and the edits that give its
/// inline blocks (and the inline output of known macros) the request's nonce.
#[derive(Debug, Clone, Default)]
pub struct TemplateScan {
    /// What the template needs, each with the byte offset it was seen at.
    pub findings: Vec<(TextSize, Finding)>,
    /// Inserts `nonce="{{ csp_nonce() }}"` into inline blocks lacking a nonce,
    /// and pipes known macros' inline scripts through a nonce filter.
    pub edits: Vec<Edit>,
    /// The page frames the app's own pages (`<iframe src="/...">`).
    pub frames_itself: bool,
}

/// The attribute a tag gets so Talisman's per-request nonce applies to it.
pub const NONCE_ATTRIBUTE: &str = " nonce=\"{{ csp_nonce() }}\"";

/// Scans `text`, a Jinja template.
pub fn scan(text: &str) -> TemplateScan {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        out: TemplateScan::default(),
        media: None,
    };
    scanner.run();
    scanner.out
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    out: TemplateScan,
    /// Inside `<picture>` (img) or `<video>`/`<audio>` (media): what a
    /// `<source>` loads.
    media: Option<Directive>,
}

/// One attribute of a tag.
struct Attribute<'a> {
    name: String,
    value: Option<&'a str>,
    value_start: usize,
}

fn offset(at: usize) -> TextSize {
    TextSize::try_from(at).unwrap_or_default()
}

impl<'a> Scanner<'a> {
    fn push(&mut self, at: usize, finding: Finding) {
        self.out.findings.push((offset(at), finding));
    }

    fn starts_with(&self, at: usize, what: &str) -> bool {
        self.bytes
            .get(at..at + what.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(what.as_bytes()))
    }

    fn find_from(&self, at: usize, what: &str) -> Option<usize> {
        self.text.get(at..)?.find(what).map(|i| at + i)
    }

    /// Skips a Jinja token starting at `self.pos` (`{{`, `{%`, `{#`): returns
    /// its inner text and range end, or `None` when none starts here.
    fn jinja_token(&self, at: usize) -> Option<(char, usize, usize)> {
        if self.bytes.get(at) != Some(&b'{') {
            return None;
        }
        let (kind, close) = match self.bytes.get(at + 1) {
            Some(b'{') => ('{', "}}"),
            Some(b'%') => ('%', "%}"),
            Some(b'#') => ('#', "#}"),
            _ => return None,
        };
        let end = self
            .find_from(at + 2, close)
            .map_or(self.bytes.len(), |e| e + 2);
        Some((kind, at + 2, end))
    }

    fn run(&mut self) {
        while self.pos < self.bytes.len() {
            let at = self.pos;
            if let Some((kind, inner, end)) = self.jinja_token(at) {
                let body = self.text[inner..end.saturating_sub(2).max(inner)].trim();
                match kind {
                    '{' => self.expression(at, inner, end),
                    '%' => self.statement(body, end),
                    _ => {}
                }
                self.pos = end.max(at + 1);
                continue;
            }
            if self.starts_with(at, "<!--") {
                self.pos = self
                    .find_from(at + 4, "-->")
                    .map_or(self.bytes.len(), |e| e + 3);
                continue;
            }
            if self.bytes[at] == b'<' {
                if self.bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic) {
                    self.tag(at);
                    continue;
                }
                if self.bytes.get(at + 1) == Some(&b'/') {
                    self.closing_tag(at);
                    continue;
                }
            }
            self.pos = at + 1;
        }
    }

    /// `{% raw %}` ... `{% endraw %}` is text; `{% extends "bootstrap/base.html" %}`
    /// is Flask-Bootstrap's page skeleton.
    fn statement(&mut self, body: &str, end: usize) {
        let body = body.trim_matches('-').trim();
        if body == "raw" {
            // Plain text up to `{% endraw %}`: tags in it still count.
            if let Some(close) = self.text[end..].find("endraw") {
                let stop = end + close;
                self.pos = end;
                while self.pos < stop {
                    let at = self.pos;
                    if self.bytes[at] == b'<'
                        && self.bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic)
                    {
                        self.tag(at);
                    } else {
                        self.pos = at + 1;
                    }
                }
                // Resume at `endraw`; the run loop skips its `%}` as text.
                self.pos = stop;
            }
            return;
        }
        if let Some(rest) = body.strip_prefix("extends")
            && let Some(name) = string_literal(rest.trim())
            && name.starts_with("bootstrap/")
        {
            // Flask-Bootstrap 3: CSS, fonts and scripts from cdnjs.
            let at = end;
            for directive in [Directive::Style, Directive::Font, Directive::Script] {
                self.push(
                    at,
                    Finding::Source(directive, Origin::Host("cdnjs.cloudflare.com".into())),
                );
            }
        }
    }

    /// `{{ expr }}` between tags: the helper macros of known extensions.
    fn expression(&mut self, at: usize, inner: usize, end: usize) {
        let close = end.saturating_sub(2).max(inner);
        let raw = &self.text[inner..close];
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        let has = |name: &str| compact.contains(name);
        let host = |h: &str| Origin::Host(h.to_owned());
        let mut sources: Vec<(Directive, Origin)> = Vec::new();
        let mut inline_script = false;
        let mut style_attribute = false;
        // Bootstrap-Flask (`bootstrap.load_css()` / `load_js()` / icon font).
        if has("bootstrap.load_css(") || has("bootstrap.load_icon_font_css(") {
            sources.push((Directive::Style, host("https://cdn.jsdelivr.net")));
            sources.push((Directive::Font, host("https://cdn.jsdelivr.net")));
            // Bootstrap's CSS draws form controls with data: SVG images.
            sources.push((Directive::Img, Origin::Scheme("data:")));
        }
        if has("bootstrap.load_js(") {
            sources.push((Directive::Script, host("https://cdn.jsdelivr.net")));
        }
        // Flask-Moment: moment.js from cdnjs plus an inline script; the
        // timestamps it writes are hidden with a style attribute.
        if has("moment.include_moment(") {
            if !has("no_js=True") && !has("local_js=") {
                sources.push((Directive::Script, host("https://cdnjs.cloudflare.com")));
            }
            inline_script = true;
        }
        if has("moment.locale(") || has("moment.lang(") {
            inline_script = true;
        }
        if compact.starts_with("moment(") {
            style_attribute = true;
        }
        // Flask-CKEditor: CKEditor 4 from its CDN (scripts, skins, fonts,
        // images), inline configuration, inline styles in the editor.
        if has("ckeditor.load(") {
            for directive in [
                Directive::Script,
                Directive::Style,
                Directive::Img,
                Directive::Font,
            ] {
                sources.push((directive, host("https://cdn.ckeditor.com")));
            }
            style_attribute = true;
        }
        if has("ckeditor.config(") {
            inline_script = true;
        }
        if has("ckeditor.load_code_theme(") {
            sources.push((Directive::Style, host("https://cdnjs.cloudflare.com")));
            sources.push((Directive::Script, host("https://cdnjs.cloudflare.com")));
            inline_script = true;
        }
        // Flask-Dropzone.
        if has("dropzone.load_css(") {
            sources.push((Directive::Style, host("https://cdn.jsdelivr.net")));
        }
        if has("dropzone.load_js(") {
            sources.push((Directive::Script, host("https://cdn.jsdelivr.net")));
        }
        if has("dropzone.config(") {
            inline_script = true;
        }
        // Flask-WTF's RecaptchaField: Google's script and frame.
        if has("recaptcha") {
            sources.push((Directive::Script, host("https://www.google.com")));
            sources.push((Directive::Script, host("https://www.gstatic.com")));
            sources.push((Directive::Frame, host("https://www.google.com")));
            style_attribute = true;
        }
        for (directive, origin) in sources {
            self.push(at, Finding::Source(directive, origin));
        }
        if style_attribute {
            self.push(at, Finding::StyleAttribute);
        }
        if inline_script {
            self.push(at, Finding::Inline { script: true });
            if !has("csp_nonce") {
                // The macro writes `<script>` itself: give each its nonce.
                let expr_end = inner + raw.trim_end().len();
                self.out.edits.push(Edit::insertion(
                    "|replace(\"<script\"|safe, ('<script nonce=\"%s\"'|format(csp_nonce()))|safe)",
                    offset(expr_end),
                ));
            }
        }
    }

    fn closing_tag(&mut self, at: usize) {
        let name_start = at + 2;
        let name_end = self.name_end(name_start);
        let name = self.text[name_start..name_end].to_ascii_lowercase();
        if matches!(name.as_str(), "picture" | "video" | "audio") {
            self.media = None;
        }
        self.pos = self
            .find_from(name_end, ">")
            .map_or(self.bytes.len(), |e| e + 1);
    }

    fn name_end(&self, start: usize) -> usize {
        let mut end = start;
        while end < self.bytes.len()
            && (self.bytes[end].is_ascii_alphanumeric() || matches!(self.bytes[end], b'-' | b':'))
        {
            end += 1;
        }
        end
    }

    /// Reads the attributes of the tag whose name ends at `from`; returns
    /// them and the offset just after `>`.
    fn attributes(&mut self, from: usize) -> (Vec<Attribute<'a>>, usize) {
        let mut attributes = Vec::new();
        let mut pos = from;
        let len = self.bytes.len();
        while pos < len {
            let b = self.bytes[pos];
            if b == b'>' {
                return (attributes, pos + 1);
            }
            if b.is_ascii_whitespace() || b == b'/' {
                pos += 1;
                continue;
            }
            if let Some((_, _, end)) = self.jinja_token(pos) {
                // `{% if x %}checked{% endif %}`, `{{ attrs }}`: opaque.
                pos = end.max(pos + 1);
                continue;
            }
            let name_start = pos;
            while pos < len
                && !self.bytes[pos].is_ascii_whitespace()
                && !matches!(self.bytes[pos], b'=' | b'>' | b'/')
                && self.jinja_token(pos).is_none()
            {
                pos += 1;
            }
            let name = self.text[name_start..pos].to_ascii_lowercase();
            let mut look = pos;
            while look < len && self.bytes[look].is_ascii_whitespace() {
                look += 1;
            }
            if look < len && self.bytes[look] == b'=' {
                look += 1;
                while look < len && self.bytes[look].is_ascii_whitespace() {
                    look += 1;
                }
                let (value_start, value_end, next) = match self.bytes.get(look) {
                    Some(q @ (b'"' | b'\'')) => {
                        let quote = *q as char;
                        let start = look + 1;
                        let end = self.quoted_end(start, quote);
                        (start, end, (end + 1).min(len))
                    }
                    _ => {
                        let start = look;
                        let mut end = look;
                        while end < len
                            && !self.bytes[end].is_ascii_whitespace()
                            && self.bytes[end] != b'>'
                        {
                            if let Some((_, _, token_end)) = self.jinja_token(end) {
                                end = token_end.max(end + 1);
                            } else {
                                end += 1;
                            }
                        }
                        (start, end.min(len), end.min(len))
                    }
                };
                attributes.push(Attribute {
                    name,
                    value: Some(&self.text[value_start..value_end]),
                    value_start,
                });
                pos = next;
            } else {
                if !name.is_empty() {
                    attributes.push(Attribute {
                        name,
                        value: None,
                        value_start: pos,
                    });
                }
                pos = pos.max(name_start + 1);
            }
        }
        (attributes, len)
    }

    /// The end of a quoted value starting at `start`: the closing quote, with
    /// Jinja tokens (which may hold that quote) skipped.
    fn quoted_end(&self, start: usize, quote: char) -> usize {
        let mut pos = start;
        while pos < self.bytes.len() {
            if let Some((_, _, end)) = self.jinja_token(pos) {
                pos = end.max(pos + 1);
                continue;
            }
            if self.bytes[pos] as char == quote {
                return pos;
            }
            pos += 1;
        }
        self.bytes.len()
    }

    fn tag(&mut self, at: usize) {
        let name_start = at + 1;
        let name_end = self.name_end(name_start);
        let name = self.text[name_start..name_end].to_ascii_lowercase();
        let (attributes, after) = self.attributes(name_end);
        self.pos = after;
        let attribute = |wanted: &str| {
            attributes
                .iter()
                .find(|a| a.name == wanted)
                .and_then(|a| a.value.map(|v| (v, a.value_start)))
        };
        for attr in &attributes {
            let Some(value) = attr.value else { continue };
            if attr.name.len() > 2
                && attr.name.starts_with("on")
                && attr.name.bytes().all(|b| b.is_ascii_lowercase())
            {
                self.push(
                    attr.value_start,
                    Finding::Unproven(
                        Directive::Script,
                        Unproven::EventHandler,
                        format!("inline event handler `{}`", attr.name),
                    ),
                );
            } else if attr.name == "style" && !value.trim().is_empty() {
                self.push(attr.value_start, Finding::StyleAttribute);
            } else if matches!(
                attr.name.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) && value
                .trim_start()
                .get(..11)
                .is_some_and(|s| s.eq_ignore_ascii_case("javascript:"))
            {
                self.push(
                    attr.value_start,
                    Finding::Unproven(
                        Directive::Script,
                        Unproven::JavascriptUrl,
                        "`javascript:` URL".to_owned(),
                    ),
                );
            }
        }
        match name.as_str() {
            "script" => self.script(name_end, &attributes, after),
            "style" => {
                let close = self.raw_text_end(after, "</style");
                if attribute("nonce").is_none() {
                    self.push(at, Finding::Inline { script: false });
                    self.out
                        .edits
                        .push(Edit::insertion(NONCE_ATTRIBUTE, offset(name_end)));
                }
                let body = &self.text[after..close];
                self.css(after, body);
                self.pos = close;
            }
            "link" => {
                let rel = attribute("rel")
                    .map(|(v, _)| v.to_ascii_lowercase())
                    .unwrap_or_default();
                let Some((href, start)) = attribute("href") else {
                    return;
                };
                let kind = attribute("as").map(|(v, _)| v.to_ascii_lowercase());
                for rel in rel.split_ascii_whitespace() {
                    let directive = match rel {
                        "stylesheet" => Some(Directive::Style),
                        "icon" | "shortcut" | "apple-touch-icon" | "mask-icon" => {
                            Some(Directive::Img)
                        }
                        "manifest" => Some(Directive::Manifest),
                        "modulepreload" => Some(Directive::Script),
                        "preload" => match kind.as_deref() {
                            Some("script") => Some(Directive::Script),
                            Some("style") => Some(Directive::Style),
                            Some("font") => Some(Directive::Font),
                            Some("image") => Some(Directive::Img),
                            Some("fetch") => Some(Directive::Connect),
                            _ => None,
                        },
                        _ => None,
                    };
                    if let Some(directive) = directive {
                        self.url(directive, href, start);
                        if directive == Directive::Style
                            && let Some(Origin::Host(host)) = classify(href)
                        {
                            // A CDN stylesheet loads its fonts from the same
                            // place; Google Fonts' CSS loads them from gstatic.
                            let font = if host.ends_with("fonts.googleapis.com") {
                                "https://fonts.gstatic.com".to_owned()
                            } else {
                                host
                            };
                            self.push(start, Finding::Source(Directive::Font, Origin::Host(font)));
                        }
                        break;
                    }
                }
            }
            "img" => {
                if let Some((src, start)) = attribute("src") {
                    self.url(Directive::Img, src, start);
                }
                if let Some((set, start)) = attribute("srcset") {
                    self.srcset(Directive::Img, set, start);
                }
            }
            "image" => {
                for key in ["href", "xlink:href"] {
                    if let Some((src, start)) = attribute(key) {
                        self.url(Directive::Img, src, start);
                    }
                }
            }
            "picture" => self.media = Some(Directive::Img),
            "video" | "audio" => {
                self.media = Some(Directive::Media);
                if let Some((src, start)) = attribute("src") {
                    self.url(Directive::Media, src, start);
                }
                if let Some((poster, start)) = attribute("poster") {
                    self.url(Directive::Img, poster, start);
                }
            }
            "source" | "track" => {
                let directive = self.media.unwrap_or(Directive::Media);
                if let Some((src, start)) = attribute("src") {
                    self.url(directive, src, start);
                }
                if let Some((set, start)) = attribute("srcset") {
                    self.srcset(directive, set, start);
                }
            }
            "iframe" | "frame" => {
                if let Some((src, start)) = attribute("src") {
                    if classify(src) == Some(Origin::Own) && !src.trim().is_empty() {
                        self.out.frames_itself = true;
                    }
                    self.url(Directive::Frame, src, start);
                }
            }
            "embed" => {
                if let Some((src, start)) = attribute("src") {
                    self.url(Directive::Object, src, start);
                }
            }
            "object" => {
                if let Some((data, start)) = attribute("data") {
                    self.url(Directive::Object, data, start);
                }
            }
            "form" => {
                if let Some((action, start)) = attribute("action") {
                    self.url(Directive::FormAction, action, start);
                }
            }
            "button" | "input" => {
                if let Some((action, start)) = attribute("formaction") {
                    self.url(Directive::FormAction, action, start);
                }
            }
            "base" => {
                if let Some((href, start)) = attribute("href") {
                    self.url(Directive::Base, href, start);
                }
            }
            _ => {}
        }
    }

    fn script(&mut self, name_end: usize, attributes: &[Attribute<'a>], after: usize) {
        let value = |wanted: &str| {
            attributes
                .iter()
                .find(|a| a.name == wanted)
                .map(|a| (a.value.unwrap_or(""), a.value_start))
        };
        let close = self.raw_text_end(after, "</script");
        self.pos = close;
        if let Some((src, start)) = value("src") {
            self.url(Directive::Script, src, start);
            return;
        }
        // Data blocks and client-side templates are not run.
        if let Some((kind, _)) = value("type") {
            let kind = kind.trim().to_ascii_lowercase();
            let runs = kind.is_empty()
                || kind == "module"
                || kind.contains("javascript")
                || kind.contains("ecmascript");
            if !runs {
                return;
            }
        }
        let body = &self.text[after..close];
        if body.trim().is_empty() {
            return;
        }
        if value("nonce").is_none() {
            self.push(name_end, Finding::Inline { script: true });
            self.out
                .edits
                .push(Edit::insertion(NONCE_ATTRIBUTE, offset(name_end)));
        }
        self.javascript(after, body);
    }

    /// The end of a raw-text element's content (`</script`), Jinja aside.
    fn raw_text_end(&self, from: usize, close: &str) -> usize {
        let mut pos = from;
        while pos < self.bytes.len() {
            if self.starts_with(pos, close) {
                return pos;
            }
            pos += 1;
        }
        self.bytes.len()
    }

    /// Absolute URLs an inline script requests, and code strings it runs.
    fn javascript(&mut self, start: usize, body: &str) {
        static CALLS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(
                r#"(?:\bfetch|\.open|\bWebSocket|\bEventSource|\.ajax|\.get|\.post|\.getJSON|\baxios(?:\.[a-z]+)?|\burl)\s*[(:]\s*(?:["'][A-Za-z]+["']\s*,\s*)?["'`]((?:https?|wss?):)?//([A-Za-z0-9.\-]+(?::[0-9]+)?)"#,
            )
            .expect("valid regex")
        });
        static EVAL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(
                r#"\beval\s*\(|\bnew\s+Function\s*\(|\bset(?:Timeout|Interval)\s*\(\s*["'`]"#,
            )
            .expect("valid regex")
        });
        for capture in CALLS.captures_iter(body) {
            let at = start + capture.get(0).map_or(0, |m| m.start());
            let host = capture[2].to_ascii_lowercase();
            let origin = match capture.get(1).map(|m| m.as_str().to_ascii_lowercase()) {
                Some(scheme) => format!("{scheme}//{host}"),
                None => host,
            };
            self.push(
                at,
                Finding::Source(Directive::Connect, Origin::Host(origin)),
            );
        }
        if let Some(m) = EVAL.find(body) {
            self.push(
                start + m.start(),
                Finding::Unproven(
                    Directive::Script,
                    Unproven::Eval,
                    "code run from a string (`eval`, `new Function`, a string timer)".to_owned(),
                ),
            );
        }
    }

    /// `@import` and `url(...)` in an inline stylesheet.
    fn css(&mut self, start: usize, body: &str) {
        for (at, directive, origin) in css_sources(body) {
            self.push(start + at, Finding::Source(directive, origin));
        }
    }

    fn srcset(&mut self, directive: Directive, set: &str, start: usize) {
        if set.contains("{{") && !set.contains("url_for") {
            self.push(
                start,
                Finding::Unproven(
                    directive,
                    Unproven::RuntimeUrl,
                    "a URL built at run time".into(),
                ),
            );
            return;
        }
        for candidate in set.split(',') {
            if let Some(url) = candidate.split_ascii_whitespace().next() {
                self.url(directive, url, start);
            }
        }
    }

    fn url(&mut self, directive: Directive, value: &str, start: usize) {
        let trimmed = value.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return;
        }
        match classify(trimmed) {
            Some(origin) => self.push(start, Finding::Source(directive, origin)),
            None if is_runtime(trimmed) => self.push(
                start,
                Finding::Unproven(
                    directive,
                    Unproven::RuntimeUrl,
                    "a URL built at run time".to_owned(),
                ),
            ),
            None => {}
        }
    }
}

fn is_runtime(value: &str) -> bool {
    value.contains("{{") || value.contains("{%")
}

/// The source a URL written in a template loads from; `None` for URLs that
/// load nothing (`mailto:`, `javascript:`) or are built at run time.
pub fn classify(value: &str) -> Option<Origin> {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    if let Some(inner) = value.strip_prefix("{{") {
        // `{{ url_for(...) }}`: the app's own URL, whatever follows it.
        let inner = inner.trim_start();
        if inner.starts_with("url_for(") || inner.starts_with("request.script_root") {
            return Some(Origin::Own);
        }
        return None;
    }
    for scheme in ["data:", "blob:"] {
        if lower.starts_with(scheme) {
            return Some(Origin::Scheme(scheme));
        }
    }
    let (scheme, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        ("https://", rest)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        ("http://", rest)
    } else if let Some(rest) = lower.strip_prefix("//") {
        ("", rest)
    } else {
        if lower.contains(':')
            && lower
                .split(':')
                .next()
                .is_some_and(|s| s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+'))
            && !lower.starts_with('/')
        {
            // mailto:, tel:, javascript:, about:...
            return None;
        }
        if is_runtime(value) && (value.starts_with("{{") || value.starts_with("{%")) {
            return None;
        }
        return Some(Origin::Own);
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..host_end];
    let host = authority.rsplit('@').next().unwrap_or(authority);
    if host.is_empty()
        || host.contains("{{")
        || host.contains("{%")
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
    {
        return None;
    }
    // A host path ending at a Jinja expression (`https://{{ cdn }}`) is
    // unknown; a host followed by a path is fine whatever the path holds.
    if host_end == rest.len() && is_runtime(value) {
        return None;
    }
    Some(Origin::Host(format!("{scheme}{host}")))
}

/// `(offset, directive, origin)` of every absolute URL in a stylesheet.
pub fn css_sources(body: &str) -> Vec<(usize, Directive, Origin)> {
    static URL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(?i)(@import\s+(?:url\()?|url\()\s*["']?((?:https?:)?//[^"')\s]+|data:[a-z]+/[a-z0-9.+-]+)"#,
        )
        .expect("valid regex")
    });
    let mut out = Vec::new();
    for capture in URL.captures_iter(body) {
        let at = capture.get(0).map_or(0, |m| m.start());
        let import = capture[1].to_ascii_lowercase().starts_with("@import");
        let url = &capture[2];
        let Some(origin) = classify(url) else {
            continue;
        };
        let lower = url.to_ascii_lowercase();
        let path = lower.split(['?', '#']).next().unwrap_or("");
        let directive = if import {
            Directive::Style
        } else if [".woff", ".woff2", ".ttf", ".otf", ".eot"]
            .iter()
            .any(|ext| path.ends_with(ext))
            || lower.starts_with("data:font")
            || lower.starts_with("data:application/font")
            || lower.starts_with("data:application/x-font")
        {
            Directive::Font
        } else {
            Directive::Img
        };
        out.push((at, directive, origin));
    }
    out
}

fn string_literal(text: &str) -> Option<&str> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &text[1..];
    rest.find(quote).map(|end| &rest[..end])
}
