"""Warehouse inventory service (Windows team; files use CRLF)."""

import base64
import pickle

from flask import Flask, jsonify, request
from flask_cors import CORS as Cors

app = Flask(__name__)
app.config.update(
    DEBUG=True,
    SECRET_KEY="inventory-secret-key-2023",
    JSON_SORT_KEYS=False,
)
Cors(app, origins="*")

ITEMS = {"widget": 3, "sprocket": 10}


@app.route("/items")
def list_items():
    return jsonify(ITEMS)


@app.route("/items/<name>", methods=["PUT"])
def update_item(name):
    quantity = request.json["quantity"]
    ITEMS[name] = quantity
    return jsonify({name: quantity})


@app.route("/snapshot", methods=["GET"])
def export_snapshot():
    return base64.b64encode(pickle.dumps(ITEMS)), 200, {"Content-Type": "text/plain"}


@app.route("/snapshot", methods=["POST"])
def import_snapshot():
    blob = base64.b64decode(request.data)
    ITEMS.update(pickle.loads(blob))
    return jsonify(ITEMS)
