//! Code actions (quick fixes, `# noqa`, fix all safe) and hover.

// lsp-types' `WorkspaceEdit::changes` is keyed by `Uri`, whose parsed form has
// lazily filled cells; its hash and equality use the URI text only.
#![allow(clippy::mutable_key_type)]

use std::collections::HashMap;
use std::path::Path;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Hover, HoverContents,
    HoverParams, MarkupContent, MarkupKind, TextEdit, Uri, WorkspaceEdit,
};
use ruff_text_size::{TextRange, TextSize};

use crate::analysis::{Applicability, Diagnostic as Finding, Edit};
use crate::output::rules::write_doc;
use crate::remediate::plan::{Decision, FixOptions, plan_with_overlay};

use super::FIX_ALL_KIND;
use super::position::LineMap;
use super::state::{State, to_lsp, uri_to_path};

/// The code actions for a range of a document.
pub fn code_actions(state: &State, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let Some(path) = uri_to_path(&params.text_document.uri) else {
        return Vec::new();
    };
    let wants = |kind: &CodeActionKind| match &params.context.only {
        None => true,
        Some(only) => only.iter().any(|o| {
            kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str()))
        }),
    };
    let mut actions = Vec::new();
    if let Some(file) = state.file(&path) {
        let text = file.source.text();
        let map = LineMap::new(text);
        let start = map.offset(params.range.start);
        let end = map.offset(params.range.end);
        for finding in &file.diagnostics {
            if finding.range.start() > end || finding.range.end() < start {
                continue;
            }
            if wants(&CodeActionKind::QUICKFIX) {
                if let Some(action) =
                    quick_fix(state, &path, &params.text_document.uri, finding, &map)
                {
                    actions.push(CodeActionOrCommand::CodeAction(action));
                }
                if let Some(action) = noqa(&params.text_document.uri, finding, text, &map) {
                    actions.push(CodeActionOrCommand::CodeAction(action));
                }
            }
        }
    }
    let fix_all = CodeActionKind::new(FIX_ALL_KIND);
    if wants(&fix_all)
        && let Some(action) = fix_all_safe(state, &path, &params.text_document.uri)
    {
        actions.push(CodeActionOrCommand::CodeAction(action));
    }
    actions
}

fn text_edits(edits: &[Edit], map: &LineMap<'_>) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|edit| TextEdit::new(map.range(edit.range), edit.content.clone()))
        .collect()
}

/// The finding's own remediation, as `fix` would apply it (all files or none).
fn quick_fix(
    state: &State,
    path: &Path,
    uri: &Uri,
    finding: &Finding,
    map: &LineMap<'_>,
) -> Option<CodeAction> {
    let fix = finding.fix.as_ref()?;
    if fix.edits.is_empty() && fix.other_files.is_empty() {
        // Remediations whose edits `fix` computes itself (dependency files)
        // are left to "fix all" and the command line.
        return None;
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    changes.insert(uri.clone(), text_edits(&fix.edits, map));
    for other in &fix.other_files {
        if other.path == path {
            continue;
        }
        let text = state.text_of(&other.path)?;
        let other_map = LineMap::new(&text);
        let other_uri = state.uri_of(&other.path)?;
        changes.insert(other_uri, text_edits(&other.edits, &other_map));
    }
    let code = finding.rule.code();
    let unsafe_note = if fix.applicability == Applicability::Unsafe {
        " (unsafe: review the behaviour change)"
    } else {
        ""
    };
    Some(CodeAction {
        title: format!("{code}: {}{unsafe_note}", fix.message),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![to_lsp(finding, map)]),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }),
        is_preferred: Some(fix.applicability == Applicability::Safe),
        ..Default::default()
    })
}

/// `# noqa: FHxxx` at the end of the finding's line (joined to an existing
/// `# noqa: ...` list there).
fn noqa(uri: &Uri, finding: &Finding, text: &str, map: &LineMap<'_>) -> Option<CodeAction> {
    let code = finding.rule.code();
    let line = map.line_range(map.line_of(finding.range.start()))?;
    let content = &text[line];
    let edit = match content.find("# noqa:") {
        Some(at) => {
            let codes_start = at + "# noqa:".len();
            let codes_len = content[codes_start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == ',' || c == ' '))
                .unwrap_or(content.len() - codes_start);
            let codes = content[codes_start..codes_start + codes_len].trim_end();
            if codes.split(',').any(|c| c.trim() == code) {
                return None;
            }
            let end = line.start() + TextSize::try_from(codes_start + codes.len()).ok()?;
            Edit::insertion(format!(", {code}"), end)
        }
        None => Edit::insertion(format!("  # noqa: {code}"), line.end()),
    };
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), text_edits(&[edit], map));
    Some(CodeAction {
        title: format!("{code}: suppress on this line (# noqa: {code})"),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![to_lsp(finding, map)]),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }),
        is_preferred: Some(false),
        ..Default::default()
    })
}

/// Every safe remediation of this document, as `fix --yes` plans them on the
/// editor's unsaved texts (multi-file ones included; follow-up files such as
/// `.env.example` and dependency files are left to the command line).
fn fix_all_safe(state: &State, path: &Path, uri: &Uri) -> Option<CodeAction> {
    let mut decide = |remediation: &crate::remediate::plan::Remediation| {
        if remediation.path == path && remediation.line > 0 {
            Decision::Apply
        } else {
            Decision::Skip
        }
    };
    let plan = plan_with_overlay(
        &[state.root().to_path_buf()],
        state.settings(),
        FixOptions::default(),
        state.overlay().clone(),
        &mut decide,
    )
    .ok()?;
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (changed, change) in &plan.changes {
        let Some(original) = &change.original else {
            continue;
        };
        if *original == change.new {
            continue;
        }
        let (Ok(old), Ok(new)) = (
            std::str::from_utf8(original),
            String::from_utf8(change.new.clone()),
        ) else {
            continue;
        };
        let map = LineMap::new(old);
        let whole = map.range(TextRange::up_to(TextSize::of(old)));
        let target = if changed == path {
            uri.clone()
        } else {
            state.uri_of(changed)?
        };
        changes.insert(target, vec![TextEdit::new(whole, new)]);
    }
    if changes.is_empty() {
        return None;
    }
    Some(CodeAction {
        title: "flask-harden: fix all safe findings".to_owned(),
        kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }),
        ..Default::default()
    })
}

/// The rule documentation of the finding under the cursor.
pub fn hover(state: &State, params: &HoverParams) -> Option<Hover> {
    let document = &params.text_document_position_params;
    let path = uri_to_path(&document.text_document.uri)?;
    let file = state.file(&path)?;
    let map = LineMap::new(file.source.text());
    let at = map.offset(document.position);
    let finding = file
        .diagnostics
        .iter()
        .find(|f| f.range.start() <= at && at <= f.range.end())?;
    let mut doc = Vec::new();
    write_doc(finding.rule.info(), &mut doc).ok()?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: String::from_utf8_lossy(&doc).into_owned(),
        }),
        range: Some(map.range(finding.range)),
    })
}
