from flask import jsonify, request
from sqlalchemy import text

from ..db import get_engine
from . import bp


@bp.get("/")
def list_products():
    category = request.args.get("category", "all")
    order = request.args.get("order", "name")
    sql = "SELECT id, name, price_cents, category FROM products"
    if category != "all":
        sql += " WHERE category = '{}'".format(category)
    sql += " ORDER BY " + order
    with get_engine().connect() as conn:
        rows = conn.execute(text(sql)).mappings().all()
    return jsonify([dict(r) for r in rows])


@bp.get("/<int:product_id>")
def get_product(product_id):
    with get_engine().connect() as conn:
        row = (
            conn.execute(
                text("SELECT id, name, price_cents, category FROM products WHERE id = :id"),
                {"id": product_id},
            )
            .mappings()
            .first()
        )
    if row is None:
        return jsonify(error="not found"), 404
    return jsonify(dict(row))


@bp.post("/")
def create_product():
    payload = request.get_json()
    name = payload["name"]
    price = int(payload["price_cents"])
    category = payload.get("category", "misc")
    with get_engine().begin() as conn:
        conn.execute(
            text("INSERT INTO products (name, price_cents, category) VALUES (:name, :price, :category)"),
            {"name": name, "price": price, "category": category},
        )
    return jsonify(status="created"), 201
