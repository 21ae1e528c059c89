"""Application factory for the shop."""

from flask import Flask
from flask_cors import CORS

from config import config


def create_app(config_name="default"):
    app = Flask(__name__)
    app.config.from_object(config[config_name])

    CORS(app, supports_credentials=True)

    if app.debug:
        from flask_debugtoolbar import DebugToolbarExtension

        DebugToolbarExtension(app)

    from . import db

    db.init_app(app)

    from .auth import bp as auth_bp
    from .catalog import bp as catalog_bp

    app.register_blueprint(catalog_bp, url_prefix="/api/products")
    app.register_blueprint(auth_bp, url_prefix="/auth")

    @app.get("/health")
    def health():
        return {"status": "ok"}

    return app
