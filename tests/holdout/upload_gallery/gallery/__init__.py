import os

from flask import Flask, request

from . import views


def create_app():
    app = Flask(__name__)
    app.config.from_pyfile(os.path.join(os.path.dirname(__file__), "..", "config.py"))
    os.makedirs(app.config["THUMB_FOLDER"], exist_ok=True)

    @app.after_request
    def cors_headers(response):
        origin = request.headers.get("Origin")
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    app.register_blueprint(views.bp)
    return app
