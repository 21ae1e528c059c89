import os
import random
import string
from datetime import timedelta

from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_debugtoolbar import DebugToolbarExtension
from flask_jwt_extended import JWTManager, create_access_token, create_refresh_token, jwt_required

from . import tokens

toolbar = DebugToolbarExtension()


def create_app():
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_prefixed_env()
    app.config.from_pyfile("config.py", silent=True)
    app.config.setdefault(
        "SECRET_KEY", "".join(random.choice(string.ascii_letters) for _ in range(32))
    )
    app.config["JWT_SECRET_KEY"] = os.environ.get("JWT_SECRET_KEY", "jwt-secret-change-me")
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(hours=48)
    app.config["JWT_REFRESH_TOKEN_EXPIRES"] = False
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024

    JWTManager(app)
    CORS(app, resources={r"/api/*": {"origins": "*"}})
    toolbar.init_app(app)

    @app.post("/api/login")
    def login():
        user = request.json.get("user")
        if not user:
            return jsonify(msg="user required"), 400
        return jsonify(
            access=create_access_token(identity=user),
            refresh=create_refresh_token(identity=user),
        )

    @app.get("/api/me")
    @jwt_required()
    def me():
        return jsonify(ok=True)

    @app.post("/v1/token")
    def legacy_token():
        subject = request.form.get("subject", "anonymous")
        return jsonify(token=tokens.issue(subject))

    @app.get("/v1/check")
    def legacy_check():
        token = request.headers.get("X-Token", "")
        try:
            return jsonify(tokens.read(token))
        except Exception:
            return jsonify(error="invalid token"), 401

    return app
