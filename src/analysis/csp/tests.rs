use super::template::{Directive, Finding, Origin, Unproven, classify, scan};
use super::*;

fn host(h: &str) -> Origin {
    Origin::Host(h.to_owned())
}

fn sources(text: &str) -> Vec<(Directive, Origin)> {
    scan(text)
        .findings
        .into_iter()
        .filter_map(|(_, f)| match f {
            Finding::Source(d, o) => Some((d, o)),
            _ => None,
        })
        .collect()
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = text.to_owned();
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
    for edit in edits {
        out.replace_range(
            edit.range.start().to_usize()..edit.range.end().to_usize(),
            &edit.content,
        );
    }
    out
}

#[test]
fn urls_are_classified_by_origin() {
    assert_eq!(
        classify("https://cdn.example.com/a.js?x=1"),
        Some(host("https://cdn.example.com"))
    );
    assert_eq!(
        classify("//cdnjs.cloudflare.com/x"),
        Some(host("cdnjs.cloudflare.com"))
    );
    assert_eq!(
        classify("{{ url_for('static', filename='a.js') }}"),
        Some(Origin::Own)
    );
    assert_eq!(classify("/static/a.js"), Some(Origin::Own));
    assert_eq!(classify("img/logo.png"), Some(Origin::Own));
    assert_eq!(
        classify("data:image/png;base64,AAA"),
        Some(Origin::Scheme("data:"))
    );
    assert_eq!(classify("mailto:a@b.c"), None);
    assert_eq!(classify("{{ recipe.photo }}"), None);
    assert_eq!(classify("https://{{ cdn }}"), None);
    assert_eq!(
        classify("https://cdn.example.com/{{ version }}/a.js"),
        Some(host("https://cdn.example.com"))
    );
}

#[test]
fn tags_map_to_their_directives() {
    let found = sources(
        r#"<link rel="stylesheet" href="https://unpkg.com/a.css">
<link rel="preconnect" href="https://fonts.gstatic.com">
<link rel="icon" href="https://icons.example/i.png">
<script src="https://code.jquery.com/jquery.js" integrity="x"></script>
<img src="https://images.example/a.png" srcset="https://big.example/a.png 2x">
<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>
<form action="https://pay.example/checkout" method="post"></form>
<video poster="https://posters.example/p.jpg"><source src="https://media.example/v.mp4"></video>"#,
    );
    for expected in [
        (Directive::Style, host("https://unpkg.com")),
        (Directive::Font, host("https://unpkg.com")),
        (Directive::Img, host("https://icons.example")),
        (Directive::Script, host("https://code.jquery.com")),
        (Directive::Img, host("https://images.example")),
        (Directive::Img, host("https://big.example")),
        (Directive::Frame, host("https://www.youtube-nocookie.com")),
        (Directive::FormAction, host("https://pay.example")),
        (Directive::Img, host("https://posters.example")),
        (Directive::Media, host("https://media.example")),
    ] {
        assert!(
            found.contains(&expected),
            "{expected:?} missing from {found:?}"
        );
    }
    assert!(
        !found
            .iter()
            .any(|(_, o)| *o == host("https://fonts.gstatic.com")),
        "preconnect loads nothing: {found:?}"
    );
}

#[test]
fn inline_blocks_get_a_nonce_and_data_blocks_do_not() {
    let text = "<style>\n a { color: red }\n</style>\n<script>go()</script>\n<script type=\"application/ld+json\">{}</script>\n<script nonce=\"{{ csp_nonce() }}\">x()</script>\n<script src=\"/a.js\"></script>";
    let result = scan(text);
    let fixed = apply(text, &result.edits);
    assert_eq!(
        fixed,
        "<style nonce=\"{{ csp_nonce() }}\">\n a { color: red }\n</style>\n<script nonce=\"{{ csp_nonce() }}\">go()</script>\n<script type=\"application/ld+json\">{}</script>\n<script nonce=\"{{ csp_nonce() }}\">x()</script>\n<script src=\"/a.js\"></script>"
    );
}

#[test]
fn jinja_inside_tags_and_scripts_is_opaque() {
    let text = r#"<img {% if big %}class="big"{% endif %} src="{{ url_for('static', filename='a>b.png') }}">
<script>var u = {{ url_for('add')|tojson }}; if (a < b) {}</script>
<a href="{{ url_for('x') }}" onclick="go({{ id }})">x</a>"#;
    let result = scan(text);
    let handlers: Vec<_> = result
        .findings
        .iter()
        .filter(|(_, f)| {
            matches!(
                f,
                Finding::Unproven(Directive::Script, Unproven::EventHandler, _)
            )
        })
        .collect();
    assert_eq!(handlers.len(), 1);
    assert!(
        result
            .findings
            .iter()
            .any(|(_, f)| *f == Finding::Source(Directive::Img, Origin::Own))
    );
    assert_eq!(result.edits.len(), 1, "one inline script");
}

#[test]
fn unprovable_things_are_named() {
    let text = "<a href=\"javascript:history.back()\">Back</a>\n<img src=\"{{ item.photo }}\">\n<script>eval(x)</script>";
    let kinds: Vec<(Directive, Unproven)> = scan(text)
        .findings
        .into_iter()
        .filter_map(|(_, f)| match f {
            Finding::Unproven(d, k, _) => Some((d, k)),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (Directive::Script, Unproven::JavascriptUrl),
            (Directive::Img, Unproven::RuntimeUrl),
            (Directive::Script, Unproven::Eval),
        ]
    );
}

#[test]
fn extension_macros_are_known() {
    let text = "{{ bootstrap.load_css() }}\n{{ moment.include_moment() }}\n{{ bootstrap.load_js() }}\n<p>{{ moment(ts).fromNow() }}</p>";
    let result = scan(text);
    let found = sources(text);
    assert!(found.contains(&(Directive::Style, host("https://cdn.jsdelivr.net"))));
    assert!(found.contains(&(Directive::Script, host("https://cdn.jsdelivr.net"))));
    assert!(found.contains(&(Directive::Script, host("https://cdnjs.cloudflare.com"))));
    assert!(found.contains(&(Directive::Img, Origin::Scheme("data:"))));
    assert!(
        result
            .findings
            .iter()
            .any(|(_, f)| *f == Finding::StyleAttribute)
    );
    let fixed = apply(text, &result.edits);
    assert!(
        fixed.contains(r#"{{ moment.include_moment()|replace("<script"|safe, ('<script nonce="%s"'|format(csp_nonce()))|safe) }}"#),
        "{fixed}"
    );
}

#[test]
fn derived_policy_of_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("templates/emails")).unwrap();
    std::fs::write(root.join("app.py"), "app = Flask(__name__)\n").unwrap();
    std::fs::write(
        root.join("templates/base.html"),
        "<link rel=\"stylesheet\" href=\"https://unpkg.com/a.css\">\n<style>p{}</style>\n<p style=\"x\">\n<script>go()</script>\n",
    )
    .unwrap();
    std::fs::write(
        root.join("templates/emails/welcome.html"),
        "<style>p{}</style>",
    )
    .unwrap();
    let derived = derive(&root.join("app.py"), "app = Flask(__name__)\n").unwrap();
    assert_eq!(derived.templates, 1, "mail templates are left alone");
    assert_eq!(derived.nonce_in, vec!["script-src", "style-src"]);
    assert!(derived.report_only.is_none());
    let policy: BTreeMap<_, _> = derived.enforced.iter().cloned().collect();
    assert_eq!(policy["style-src"], "'self' https://unpkg.com");
    assert_eq!(policy["script-src"], "'self'");
    assert_eq!(policy["style-src-attr"], "'unsafe-inline'");
    assert_eq!(policy["object-src"], "'none'");
    assert!(
        !derived
            .enforced
            .iter()
            .any(|(_, v)| v.contains("unsafe-eval"))
    );
    assert_eq!(derived.template_edits.len(), 1);

    // An inline handler: script-src (and default-src) leave the enforced policy.
    std::fs::write(
        root.join("templates/page.html"),
        "<button onclick=\"copy()\">Copy</button>",
    )
    .unwrap();
    let derived = derive(&root.join("app.py"), "").unwrap();
    let policy: BTreeMap<_, _> = derived.enforced.iter().cloned().collect();
    assert!(!policy.contains_key("script-src"));
    assert!(!policy.contains_key("default-src"));
    assert_eq!(policy["img-src"], "'self'");
    let report: BTreeMap<_, _> = derived.report_only.unwrap().into_iter().collect();
    assert_eq!(report["script-src"], "'self' 'nonce-{nonce}'");
    assert_eq!(derived.blockers[0].line, 1);
    assert!(derived.blockers[0].path.ends_with("page.html"));
}

#[test]
fn no_templates_no_policy() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), "").unwrap();
    assert!(derive(&dir.path().join("app.py"), "").is_none());
}
