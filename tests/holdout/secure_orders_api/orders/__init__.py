"""Order service: application factory."""
import logging
import os

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from .config import Config
from .extensions import cors, db, jwt, limiter, talisman

log = logging.getLogger(__name__)

API_CSP = {
    "default-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "form-action": "'none'",
}


def create_app(config_class=Config):
    app = Flask(__name__)
    app.config.from_object(config_class)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["JWT_PRIVATE_KEY"] = os.environ["JWT_PRIVATE_KEY"]
    app.config["JWT_PUBLIC_KEY"] = os.environ["JWT_PUBLIC_KEY"]

    db.init_app(app)
    jwt.init_app(app)
    limiter.init_app(app)
    cors.init_app(app, origins=app.config["CORS_ORIGINS"], always_send=False)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        content_security_policy=API_CSP,
        frame_options="DENY",
        referrer_policy="no-referrer",
        strict_transport_security=True,
        strict_transport_security_max_age=63072000,
    )

    if app.debug:
        from flask_debugtoolbar import DebugToolbarExtension

        DebugToolbarExtension(app)

    from .routes import api

    app.register_blueprint(api)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        return jsonify(error=exc.name.lower().replace(" ", "_")), exc.code

    @app.errorhandler(Exception)
    def internal_error(exc):
        log.exception("unhandled error: %s", exc)
        return jsonify(error="internal_error"), 500

    with app.app_context():
        db.create_all()
    return app
