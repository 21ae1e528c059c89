import sqlite3

import yaml
from flask import Blueprint, current_app, jsonify, request
from flask_jwt_extended import jwt_required
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .db import get_db

bp = Blueprint("items", __name__)


class ItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    quantity: int = Field(ge=0, le=1_000_000)


class ItemQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prefix: str = Field(default="", max_length=50)
    limit: int = Field(default=20, ge=1, le=100)


ITEM_LIST = TypeAdapter(list[ItemIn])


def validation_error(exc):
    errors = [
        {"field": ".".join(str(part) for part in err["loc"]), "message": err["msg"], "type": err["type"]}
        for err in exc.errors()
    ]
    return jsonify(errors=errors), 422


def insert_items(items):
    db = get_db()
    db.executemany(
        "INSERT INTO items (name, quantity) VALUES (?, ?)",
        [(item.name, item.quantity) for item in items],
    )
    db.commit()


@bp.get("/items")
@jwt_required()
def list_items():
    try:
        query = ItemQuery.model_validate(request.args.to_dict())
    except ValidationError as exc:
        return validation_error(exc)
    rows = get_db().execute(
        "SELECT id, name, quantity FROM items WHERE name LIKE ? ORDER BY id LIMIT ?",
        (query.prefix + "%", query.limit),
    ).fetchall()
    return jsonify([dict(row) for row in rows])


@bp.post("/items")
@jwt_required()
def create_item():
    payload = request.get_json(silent=True)
    if payload is None:
        return jsonify(error="expected a JSON body"), 400
    try:
        item = ItemIn.model_validate(payload)
    except ValidationError as exc:
        return validation_error(exc)
    try:
        insert_items([item])
    except sqlite3.IntegrityError as exc:
        current_app.logger.warning("duplicate item: %s", exc)
        return jsonify(error="item already exists"), 409
    return jsonify(item.model_dump()), 201


@bp.post("/items/import")
@jwt_required()
def import_items():
    upload = request.files.get("file")
    if upload is None:
        return jsonify(error="missing file"), 400
    try:
        items = ITEM_LIST.validate_python(yaml.safe_load(upload.read()))
    except (yaml.YAMLError, ValidationError):
        return jsonify(error="invalid import file"), 422
    insert_items(items)
    return jsonify(imported=len(items)), 201
