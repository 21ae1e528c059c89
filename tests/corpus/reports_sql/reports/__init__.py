import os

from flask import Flask
from flask_cors import CORS


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY="reports-dev",
        DEBUG=True,
        DATABASE=os.path.join(app.instance_path, "reports.sqlite"),
        SALES_TABLE="sales",
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.update(test_config)

    CORS(app)

    from . import db, queries

    db.init_app(app)
    app.register_blueprint(queries.bp)
    return app
