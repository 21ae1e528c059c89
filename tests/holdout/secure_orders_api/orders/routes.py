import subprocess

import yaml
from flask import Blueprint, current_app, jsonify, make_response, render_template_string, request, send_from_directory
from flask_jwt_extended import create_access_token, get_jwt_identity, jwt_required
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import text

from .extensions import db, limiter
from .models import Order

api = Blueprint("api", __name__, url_prefix="/api")

RECEIPT = "Order {{ order.id }}: {{ order.quantity }} x {{ order.sku }}"


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)
    sku: str = Field(min_length=1, max_length=40)
    quantity: int = Field(ge=1, le=1000)


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=80)


class SearchParams(BaseModel):
    sku: str = Field(default="", max_length=40)
    limit: int = Field(default=20, ge=1, le=100)


def _errors(exc):
    return jsonify(errors=exc.errors(include_input=False, include_url=False)), 422


@api.post("/token")
@limiter.limit("10 per minute")
def token():
    try:
        login = Login.model_validate(request.get_json(silent=True) or {})
    except ValidationError as exc:
        return _errors(exc)
    resp = make_response(jsonify(access_token=create_access_token(identity=login.username)))
    resp.set_cookie("seen", "1", secure=True, httponly=True, samesite="Strict")
    return resp


@api.post("/orders")
@jwt_required()
def create_order():
    try:
        data = OrderIn(**request.get_json(silent=True) or {})
    except ValidationError as exc:
        return _errors(exc)
    order = Order(customer=get_jwt_identity(), sku=data.sku, quantity=data.quantity)
    db.session.add(order)
    db.session.commit()
    return jsonify(id=order.id), 201


@api.get("/orders")
@jwt_required()
def list_orders():
    try:
        params = SearchParams.model_validate(request.args.to_dict())
    except ValidationError as exc:
        return _errors(exc)
    rows = db.session.execute(
        text("SELECT id, sku, quantity FROM \"order\" WHERE customer = :c AND sku LIKE :p LIMIT :n"),
        {"c": get_jwt_identity(), "p": f"{params.sku}%", "n": params.limit},
    ).all()
    return jsonify([{"id": r.id, "sku": r.sku, "quantity": r.quantity} for r in rows])


@api.get("/orders/<int:order_id>/receipt")
@jwt_required()
def receipt(order_id):
    order = db.get_or_404(Order, order_id)
    return render_template_string(RECEIPT, order=order)


@api.get("/exports/<path:filename>")
@jwt_required()
def download_export(filename):
    return send_from_directory(current_app.config["EXPORT_DIR"], filename)


@api.get("/version")
def version():
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=2).stdout.strip()
    except OSError:
        rev = ""
    with current_app.open_resource("catalog.yaml") as fh:
        catalog = yaml.safe_load(fh)
    return jsonify(revision=rev or "unknown", skus=len(catalog["skus"]))
