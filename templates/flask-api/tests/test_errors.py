"""Errors: JSON for every status, never any internals."""

from __future__ import annotations

import logging

import pytest

INTERNAL_DETAIL = "db password is hunter2 at /srv/app/secret.py"


@pytest.fixture
def failing_app(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError(INTERNAL_DETAIL)

    return app


def test_unhandled_exception_gets_generic_json_500(failing_app):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.get_json() == {"error": {"status": 500, "title": "Internal Server Error"}}
    text = response.get_data(as_text=True)
    assert INTERNAL_DETAIL not in text
    assert "Traceback" not in text
    assert "RuntimeError" not in text


def test_not_found_is_json(client):
    response = client.get("/nope")
    assert response.status_code == 404
    assert response.get_json() == {"error": {"status": 404, "title": "Not Found"}}


def test_method_not_allowed_is_json_and_keeps_allow(client):
    response = client.delete("/health")
    assert response.status_code == 405
    assert response.get_json()["error"]["title"] == "Method Not Allowed"
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 410, 413, 415, 422, 429, 500, 503])
def test_every_error_status_is_json_without_description(app, status):
    from flask import abort

    @app.get("/abort")
    def do_abort():
        abort(status, INTERNAL_DETAIL)

    response = app.test_client().get("/abort")
    assert response.status_code == status
    assert response.is_json
    assert response.get_json()["error"]["status"] == status
    assert INTERNAL_DETAIL not in response.get_data(as_text=True)


def test_an_unhandled_exception_is_logged_once_and_answered_in_json(failing_app, caplog):
    # Production: exceptions are not propagated to the server.
    failing_app.config["PROPAGATE_EXCEPTIONS"] = False
    with caplog.at_level(logging.ERROR):
        response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.get_json() == {"error": {"status": 500, "title": "Internal Server Error"}}
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1, [record.getMessage() for record in errors]
    assert errors[0].getMessage() == "unhandled error"


def test_development_errors_are_json_with_the_security_headers(make_app):
    app = make_app(APP_ENV="development")

    @app.get("/boom")
    def boom():
        raise RuntimeError(INTERNAL_DETAIL)

    response = app.test_client().get("/boom", base_url="https://localhost")
    assert response.status_code == 500
    assert response.is_json
    assert INTERNAL_DETAIL not in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_absurdly_deep_json_is_a_400(client):
    depth = 200_000
    response = client.post(
        "/api/notes", data="[" * depth + "]" * depth, content_type="application/json"
    )
    assert response.status_code == 400
