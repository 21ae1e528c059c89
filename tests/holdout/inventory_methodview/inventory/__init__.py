"""Inventory service: an application factory wiring the extensions."""
import os

from flask import Flask

from config import CONFIGS

from .extensions import cors, jwt, limiter, talisman


def create_app(config_name=None):
    app = Flask(__name__)
    app.config.from_object(CONFIGS[config_name or os.environ.get("APP_CONFIG", "prod")])

    cors.init_app(app, origins=app.config["CORS_ORIGINS"], supports_credentials=True)
    jwt.init_app(app)
    limiter.init_app(app)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        content_security_policy={
            "default-src": "'none'",
            "img-src": "*",
            "frame-ancestors": "'none'",
        },
    )

    from .api import register_api

    register_api(app)

    @app.get("/healthz")
    @limiter.exempt
    def healthz():
        return {"ok": True}

    return app
