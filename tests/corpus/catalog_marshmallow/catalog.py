import secrets

import markupsafe
import requests
from flask import Flask, jsonify, redirect, render_template_string, request, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from marshmallow import Schema, ValidationError, fields, validate

app = Flask(__name__)
app.config["SECRET_KEY"] = secrets.token_hex(8)

csp = {
    "default-src": "'self' 'unsafe-inline'",
    "script-src": ["'self'", "'unsafe-eval'", "https://cdn.example.com"],
    "img-src": "*",
}
talisman = Talisman(app, content_security_policy=csp, strict_transport_security=False)
limiter = Limiter(get_remote_address, app=app, default_limits=["60 per minute"], storage_uri="memory://")


class ProductSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    price = fields.Float(required=True, validate=validate.Range(min=0, max=100000))


PRODUCTS = [{"name": "Teapot", "price": 25.0}]


@app.post("/products")
def create_product():
    try:
        product = ProductSchema().load(request.get_json())
    except ValidationError as err:
        return jsonify(errors=err.messages), 422
    PRODUCTS.append(product)
    return jsonify(product), 201


@app.get("/products")
def list_products():
    page = request.args.get("page", 1, type=int)
    start = (page - 1) * 20
    return jsonify(PRODUCTS[start : start + 20])


@app.get("/search")
def search():
    q = request.args.get("q", "")
    tpl = "<h2>Results for " + q + "</h2>{% for p in items %}<p>{{ p.name }}</p>{% endfor %}"
    items = [p for p in PRODUCTS if q.lower() in p["name"].lower()]
    return render_template_string(tpl, items=items)


@app.get("/badge")
def badge():
    label = request.args.get("label", "new")
    return markupsafe.Markup("<span class='badge'>" + label + "</span>")


@app.get("/image-proxy")
def image_proxy():
    resp = requests.get(request.args["url"], timeout=5)
    return resp.content, resp.status_code, {"Content-Type": resp.headers.get("Content-Type", "image/png")}


@app.get("/go")
def go():
    return redirect(request.args.get("return_to", url_for("list_products")))
