import sqlite3

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import Integer, String, create_engine, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from .db import get_db

bp = Blueprint("queries", __name__)


class Base(DeclarativeBase):
    pass


class Sale(Base):
    __tablename__ = "sales"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[str] = mapped_column(String)
    region: Mapped[str] = mapped_column(String)
    amount: Mapped[int] = mapped_column(Integer)


def engine():
    return create_engine("sqlite:///" + current_app.config["DATABASE"])


def count_rows(table):
    return get_db().execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@bp.get("/sales")
def sales():
    region = request.args.get("region", "north")
    rows = get_db().execute("SELECT day, amount FROM sales WHERE region = '%s' ORDER BY day" % region).fetchall()
    return jsonify([dict(r) for r in rows])


@bp.get("/sales/<region>/total")
def total(region):
    query = "SELECT COALESCE(SUM(amount), 0) AS total FROM sales WHERE region = '{}'".format(region)
    row = get_db().execute(query).fetchone()
    return jsonify(region=region, total=row["total"])


@bp.post("/sales/bulk")
def bulk_insert():
    rows = request.get_json()["rows"]
    table = current_app.config["SALES_TABLE"]
    db = get_db()
    db.executemany(
        f"INSERT INTO {table} (day, region, amount) VALUES (?, ?, ?)",
        [(r["day"], r["region"], r["amount"]) for r in rows],
    )
    db.commit()
    return jsonify(inserted=len(rows), total_rows=count_rows(table)), 201


@bp.post("/admin/purge")
def purge():
    table = request.form.get("table", "sales")
    try:
        get_db().executescript("DELETE FROM " + table + ";")
    except sqlite3.Error as exc:
        return jsonify(error="purge failed: {}".format(exc)), 500
    return jsonify(purged=table)


@bp.get("/sales/top")
def top_sales():
    limit = request.args.get("limit", "5")
    with Session(engine()) as session:
        stmt = select(Sale).from_statement(text(f"SELECT * FROM sales ORDER BY amount DESC LIMIT {limit}"))
        top = session.scalars(stmt).all()
    return jsonify([{"day": s.day, "amount": s.amount} for s in top])


@bp.get("/sales/by-day")
def by_day():
    day = request.args.get("day", "")
    with engine().connect() as conn:
        rows = conn.execute(text("SELECT region, amount FROM sales WHERE day = :day"), {"day": day}).all()
    return jsonify([{"region": r.region, "amount": r.amount} for r in rows])
