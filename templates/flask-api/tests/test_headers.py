"""Security headers, HTTPS forcing and proxy handling."""

from __future__ import annotations

import pytest

EXPECTED_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@pytest.mark.parametrize("name", sorted(EXPECTED_HEADERS))
def test_each_security_header_has_its_value(client, name):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.headers[name] == EXPECTED_HEADERS[name]


def test_obsolete_xss_header_is_not_sent(client):
    assert "X-XSS-Protection" not in client.get("/health").headers


def test_error_responses_carry_the_headers_too(client):
    response = client.get("/no-such-route")
    assert response.status_code == 404
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name] == value


def test_plain_http_is_redirected_to_https(client):
    response = client.get("/health", base_url="http://localhost")
    assert response.status_code in (301, 308)
    assert response.headers["Location"].startswith("https://localhost/health")


def test_https_forcing_follows_configuration(make_app):
    client = make_app(FORCE_HTTPS="false").test_client()
    response = client.get("/health", base_url="http://localhost")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers


def test_forwarded_proto_counts_only_behind_trusted_proxies(make_app):
    client = make_app(TRUSTED_PROXIES="1").test_client()
    response = client.get(
        "/health", base_url="http://localhost", headers={"X-Forwarded-Proto": "https"}
    )
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")


def test_a_forged_forwarded_proto_is_ignored_without_a_trusted_proxy(client):
    response = client.get(
        "/health", base_url="http://localhost", headers={"X-Forwarded-Proto": "https"}
    )
    assert response.status_code in (301, 308)
    assert "Strict-Transport-Security" not in response.headers


def test_a_trusted_proxy_sets_neither_host_nor_port(make_app):
    app = make_app(TRUSTED_PROXIES="1")

    @app.get("/where")
    def where():
        from flask import request

        return {"host": request.host}

    response = app.test_client().get(
        "/where",
        base_url="https://api.example.com",
        headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Port": "8443"},
    )
    assert response.get_json() == {"host": "api.example.com"}


def test_session_cookie_is_secure_httponly_and_strict(app):
    from flask import session

    @app.get("/set-session")
    def set_session():
        session["seen"] = True
        return {"ok": True}

    cookie = app.test_client().get("/set-session").headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
