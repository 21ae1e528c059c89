"""Webhook fan-out service with async views (Flask[async])."""
import logging
import os
import traceback

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


def create_app():
    app = Flask(__name__)
    app.config["WEBHOOK_SECRET"] = os.environ.get("WEBHOOK_SECRET", "")
    app.config["MAX_CONTENT_LENGTH"] = 256 * 1024
    app.config["JWT_PUBLIC_KEY"] = os.environ.get("JWT_PUBLIC_KEY", "")

    from .routes import bp

    app.register_blueprint(bp)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        return jsonify(error=exc.name), exc.code

    @app.errorhandler(ValueError)
    def bad_value(exc):
        return jsonify(error=str(exc)), 400

    @app.errorhandler(Exception)
    def unexpected(exc):
        log.error("unhandled error\n%s", traceback.format_exc())
        return jsonify(error="internal error"), 500

    return app
