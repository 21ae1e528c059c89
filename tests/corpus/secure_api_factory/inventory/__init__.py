"""Inventory API: application factory."""

import os

from flask import Flask, jsonify

from .extensions import cors, jwt, limiter, talisman

API_CSP = {
    "default-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "form-action": "'none'",
}


def allowed_origins():
    raw = os.environ.get("CORS_ORIGINS", "")
    return [origin.strip() for origin in raw.split(",") if origin.strip()]


def create_app(config_object="inventory.config.ProductionConfig"):
    app = Flask(__name__)
    app.config.from_object(config_object)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["JWT_PRIVATE_KEY"] = os.environ["JWT_PRIVATE_KEY"]
    app.config["JWT_PUBLIC_KEY"] = os.environ["JWT_PUBLIC_KEY"]

    cors.init_app(app, origins=allowed_origins(), always_send=False)
    jwt.init_app(app)
    limiter.init_app(app)
    talisman.init_app(
        app,
        force_https=not app.testing,
        session_cookie_secure=not app.testing,
        content_security_policy=API_CSP,
        frame_options="DENY",
        referrer_policy="no-referrer",
        strict_transport_security=True,
        strict_transport_security_max_age=63072000,
        strict_transport_security_include_subdomains=True,
    )

    from . import db
    from .auth import bp as auth_bp
    from .items import bp as items_bp

    db.init_app(app)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(items_bp, url_prefix="/api")

    @app.errorhandler(500)
    def internal_error(error):
        app.logger.error("unhandled error: %r", error)
        return jsonify(error="internal server error"), 500

    return app
