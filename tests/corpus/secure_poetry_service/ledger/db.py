from flask import current_app
from sqlalchemy import create_engine, text
from sqlalchemy.pool import StaticPool

SCHEMA = text(
    "CREATE TABLE IF NOT EXISTS entries ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " account TEXT NOT NULL,"
    " amount_cents INTEGER NOT NULL,"
    " memo TEXT NOT NULL)"
)
INSERT_ENTRY = text("INSERT INTO entries (account, amount_cents, memo) VALUES (:account, :amount, :memo)")
BALANCE = text("SELECT COALESCE(SUM(amount_cents), 0) FROM entries WHERE account = :account")


def engine():
    return current_app.extensions["ledger_engine"]


def init_app(app):
    eng = create_engine(app.config["DATABASE_URL"], poolclass=StaticPool)
    with eng.begin() as conn:
        conn.execute(SCHEMA)
    app.extensions["ledger_engine"] = eng
