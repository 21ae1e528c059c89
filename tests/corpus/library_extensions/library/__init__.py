"""Library catalogue API: application factory (extensions pattern)."""

from flask import Flask

from .config import Config
from .extensions import cors, db


def create_app(config_object=Config):
    app = Flask(__name__)
    app.config.from_object(config_object)

    db.init_app(app)
    cors.init_app(app, origins=app.config["CORS_ORIGINS"])

    from .books import bp as books_bp

    app.register_blueprint(books_bp, url_prefix="/api/books")

    with app.app_context():
        db.create_all()
    return app
