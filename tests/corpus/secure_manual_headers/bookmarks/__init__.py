"""Bookmarks service. Security headers are set by hand in after_request."""

import os

from flask import Flask
from flask_cors import CORS as Cors
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=["300 per hour"])


def create_app(overrides=None):
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=os.environ["SECRET_KEY"],
        MAX_CONTENT_LENGTH=256 * 1024,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
        RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        RATELIMIT_ENABLED=True,
    )
    if overrides:
        app.config.update(overrides)

    Cors(app, origins=["https://bookmarks.example.com", "https://admin.example.com"])
    limiter.init_app(app)

    @app.after_request
    def set_security_headers(response):
        response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
        response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    from .views import bp

    app.register_blueprint(bp)
    return app
