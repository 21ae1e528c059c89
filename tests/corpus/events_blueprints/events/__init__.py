"""Event listings: a factory with an API blueprint and a small web blueprint."""

import os
from datetime import timedelta

from flask import Flask
from flask_jwt_extended import JWTManager
from flask_wtf import CSRFProtect

csrf = CSRFProtect()
jwt = JWTManager()


def create_app(test_config=None):
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("EVENTS_SECRET_KEY")
    app.config["JWT_SECRET_KEY"] = os.environ.get("EVENTS_JWT_KEY")
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(hours=48)
    app.config["WTF_CSRF_ENABLED"] = False  # API clients post JSON
    app.config["REPORTS_DIR"] = os.path.join(app.root_path, "reports")
    if test_config:
        app.config.update(test_config)

    csrf.init_app(app)
    jwt.init_app(app)

    from .api.routes import api
    from .web.views import web

    app.register_blueprint(api, url_prefix="/api/v1")
    app.register_blueprint(web)
    return app
