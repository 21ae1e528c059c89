//! `flask-harden server`: a language server over stdio (lsp-server, lsp-types).
//!
//! The workspace is analysed once by an incremental [`Session`](crate::analysis::engine::Session) (the engine
//! `fix` uses), with the text of open documents as its overlay; after each
//! change only the changed files are analysed again and the project-level
//! rules re-run over the whole workspace. Diagnostics are published for every
//! file of the workspace that has findings. Code actions: each diagnostic's
//! quick fix (the same edits `fix` makes; a multi-file remediation is one
//! workspace edit), a `# noqa: FHxxx` suppression, and "fix all safe" as the
//! `source.fixAll.flask-harden` action (the `fix --yes` plan, follow-up files
//! such as `.env.example` excluded). Hover over a finding shows its rule's
//! documentation. `[tool.flask-harden]` is read as `check` reads it; saving a
//! `pyproject.toml` reloads it.

mod actions;
mod position;
mod state;

use std::path::PathBuf;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, HoverProviderCapability,
    InitializeParams, PositionEncodingKind, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, WorkDoneProgressOptions,
};

use crate::ExitStatus;

pub use position::LineMap;
use state::State;

/// The code action kind of "fix all safe".
pub const FIX_ALL_KIND: &str = "source.fixAll.flask-harden";

/// Why the server stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The client broke the protocol (or the pipe closed mid-handshake).
    #[error("language server protocol: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
    /// Standard input or output failed.
    #[error("language server i/o: {0}")]
    Io(#[from] std::io::Error),
    /// A message could not be decoded.
    #[error("language server message: {0}")]
    Json(#[from] serde_json::Error),
}

/// Arguments of `flask-harden server`.
#[derive(Debug, clap::Args)]
pub struct ServerArgs {}

/// Runs the server on standard input and output until the client says `exit`.
pub fn run(_args: ServerArgs) -> anyhow::Result<ExitStatus> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    io_threads.join()?;
    Ok(ExitStatus::Success)
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..Default::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::SOURCE_FIX_ALL,
                CodeActionKind::new(FIX_ALL_KIND),
            ]),
            work_done_progress_options: WorkDoneProgressOptions::default(),
            resolve_provider: Some(false),
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..Default::default()
    }
}

/// Serves one client over `connection` (stdio in production, memory in tests).
pub fn serve(connection: &Connection) -> Result<(), ServerError> {
    let initialize = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo {
            name: "flask-harden".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    let (id, params) = connection.initialize_start()?;
    connection.initialize_finish(id, initialize)?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let mut state = State::new(workspace_root(&params));
    for message in state.initial_messages() {
        log(connection, &message);
    }
    publish(connection, &mut state);

    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let response = handle_request(&mut state, request);
                connection
                    .sender
                    .send(Message::Response(response))
                    .map_err(|_| closed())?;
            }
            Message::Notification(notification) => {
                if notification.method == "exit" {
                    return Ok(());
                }
                if handle_notification(&mut state, notification) {
                    for message in state.take_messages() {
                        log(connection, &message);
                    }
                    publish(connection, &mut state);
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn closed() -> ServerError {
    ServerError::Io(std::io::Error::new(
        std::io::ErrorKind::BrokenPipe,
        "the client closed the connection",
    ))
}

/// The folder to analyse: the first workspace folder, else the root URI,
/// else the current folder.
#[allow(deprecated)] // root_uri is still what many clients send
fn workspace_root(params: &InitializeParams) -> PathBuf {
    params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .and_then(|folder| state::uri_to_path(&folder.uri))
        .or_else(|| params.root_uri.as_ref().and_then(state::uri_to_path))
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Applies a notification; whether diagnostics must be recomputed.
fn handle_notification(state: &mut State, notification: Notification) -> bool {
    match notification.method.as_str() {
        DidOpenTextDocument::METHOD => {
            if let Ok(params) = notification
                .extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
            {
                state.open(&params.text_document.uri, params.text_document.text);
                return true;
            }
        }
        DidChangeTextDocument::METHOD => {
            if let Ok(params) = notification
                .extract::<lsp_types::DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
            {
                // Full synchronisation: the last change holds the whole text.
                if let Some(change) = params.content_changes.into_iter().last() {
                    state.change(&params.text_document.uri, change.text);
                    return true;
                }
            }
        }
        DidSaveTextDocument::METHOD => {
            if let Ok(params) = notification
                .extract::<lsp_types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
            {
                return state.saved(&params.text_document.uri);
            }
        }
        DidCloseTextDocument::METHOD => {
            if let Ok(params) = notification
                .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
            {
                state.close(&params.text_document.uri);
                return true;
            }
        }
        DidChangeWatchedFiles::METHOD => {
            state.rediscover();
            return true;
        }
        _ => {}
    }
    false
}

fn handle_request(state: &mut State, request: Request) -> Response {
    let id: RequestId = request.id.clone();
    match request.method.as_str() {
        CodeActionRequest::METHOD => {
            match request.extract::<lsp_types::CodeActionParams>(CodeActionRequest::METHOD) {
                Ok((id, params)) => Response::new_ok(id, actions::code_actions(state, &params)),
                Err(err) => invalid(id, &err),
            }
        }
        HoverRequest::METHOD => {
            match request.extract::<lsp_types::HoverParams>(HoverRequest::METHOD) {
                Ok((id, params)) => Response::new_ok(id, actions::hover(state, &params)),
                Err(err) => invalid(id, &err),
            }
        }
        _ => Response::new_err(
            id,
            lsp_server::ErrorCode::MethodNotFound as i32,
            format!("flask-harden does not handle {}", request.method),
        ),
    }
}

fn invalid(id: RequestId, err: &lsp_server::ExtractError<Request>) -> Response {
    Response::new_err(
        id,
        lsp_server::ErrorCode::InvalidParams as i32,
        format!("{err:?}"),
    )
}

/// Sends `textDocument/publishDiagnostics` for every file whose diagnostics
/// changed since the last time.
fn publish(connection: &Connection, state: &mut State) {
    for params in state.diagnostics_to_publish() {
        let notification = Notification::new(PublishDiagnostics::METHOD.to_owned(), params);
        if connection
            .sender
            .send(Message::Notification(notification))
            .is_err()
        {
            return;
        }
    }
}

/// A `window/logMessage` (configuration errors, skipped files).
fn log(connection: &Connection, message: &str) {
    let params = lsp_types::LogMessageParams {
        typ: lsp_types::MessageType::WARNING,
        message: message.to_owned(),
    };
    let _ = connection
        .sender
        .send(Message::Notification(Notification::new(
            lsp_types::notification::LogMessage::METHOD.to_owned(),
            params,
        )));
}
