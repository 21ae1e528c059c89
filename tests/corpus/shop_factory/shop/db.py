from flask import current_app
from sqlalchemy import create_engine, text

SCHEMA = """
CREATE TABLE IF NOT EXISTS products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    price_cents INTEGER NOT NULL,
    category TEXT NOT NULL
)
"""


def get_engine():
    return current_app.extensions["shop_engine"]


def init_app(app):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    app.extensions["shop_engine"] = engine
    with engine.begin() as conn:
        conn.execute(text(SCHEMA))
