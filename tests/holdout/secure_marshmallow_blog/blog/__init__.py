"""A small JSON blog API with hand-written security headers."""
import os

from flask import Flask, jsonify
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from marshmallow import ValidationError

limiter = Limiter(get_remote_address, default_limits=["120 per minute"])

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def create_app(settings_module=None):
    app = Flask(__name__)
    app.config.from_object(settings_module or os.environ.get("BLOG_SETTINGS", "settings"))
    limiter.init_app(app)

    if app.debug:
        from flask_debugtoolbar import DebugToolbarExtension

        DebugToolbarExtension(app)

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(ValidationError)
    def invalid(exc):
        return jsonify(errors=sorted(exc.messages)), 422

    from .views import bp

    app.register_blueprint(bp)
    return app
