//! The standing adversarial suite (issue 15): hostile servers and hostile
//! inputs. Each test reproduces a defect found by the stress sweep and proves
//! it stays fixed: credentials never leave the scanned origin, secrets are
//! never echoed, bad files are refused without touching anything.

use std::process::Output;
use std::sync::{Arc, Mutex};

use crate::scan_support::{MockServer, respond};
use crate::support::flask_harden;

fn scan(args: &[&str]) -> Output {
    flask_harden().arg("scan").args(args).output().unwrap()
}

/// Records every request head it receives and answers 200.
fn recorder() -> (MockServer, Arc<Mutex<Vec<String>>>) {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let server = {
        let seen = Arc::clone(&seen);
        MockServer::start(move |head, stream| {
            seen.lock().unwrap().push(head.to_string());
            respond(
                stream,
                "200 OK",
                &[("Content-Type", "text/plain")],
                "stolen",
            )
        })
    };
    (server, seen)
}

#[test]
fn redirect_to_another_port_never_receives_the_header_credentials() {
    let (thief, seen) = recorder();
    let steal = thief.url("/steal");
    let target = {
        let steal = steal.clone();
        MockServer::start(move |_head, stream| {
            respond(stream, "302 FOUND", &[("Location", steal.as_str())], "")
        })
    };
    let out = scan(&[
        "--format",
        "json",
        "--header",
        "Authorization: Bearer s3cr3t-t0ken",
        &target.url("/"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let heads = seen.lock().unwrap();
    assert!(
        heads.iter().all(|h| !h.contains("s3cr3t-t0ken")),
        "the credential reached another origin: {heads:#?}"
    );
    // The redirect is recorded, not followed: the other port gets nothing.
    assert!(heads.is_empty(), "{heads:#?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["url"], target.url("/"));
    let text = scan(&["--no-color", &target.url("/")]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("redirect to another origin recorded, not followed"),
        "{text}"
    );
}

#[test]
fn exposure_and_contract_probes_send_credentials_only_to_the_target() {
    let (server, seen) = recorder();
    let out = scan(&["--header", "X-Api-Key: k3y-value", &server.url("/")]);
    assert_eq!(out.status.code(), Some(0));
    let heads = seen.lock().unwrap();
    // Every request went to the target's origin, so every one carries it.
    assert!(heads.len() > 20, "{}", heads.len());
    assert!(heads.iter().all(|h| h.contains("k3y-value")));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("k3y-value"));
}

#[test]
fn malformed_header_values_are_never_echoed() {
    for bad in [
        "Authorization Bearer T0KEN-SECRET",
        "Authorization: Bearer T0KEN-SECRET\r\nX-Evil: 1",
        "Bad Name: T0KEN-SECRET",
        ": T0KEN-SECRET",
    ] {
        let out = scan(&["--header", bad, "http://127.0.0.1:9/"]);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains("T0KEN-SECRET"), "{bad:?} echoed: {all}");
        assert!(all.contains("--header"), "{all}");
    }
}
