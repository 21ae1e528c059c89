"""Relays incoming webhooks to internal services."""

import hashlib
import time
import traceback
import urllib.request

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
app.secret_key = hashlib.sha256(str(time.time()).encode()).hexdigest()

STATUS_URL = "https://status.example.com/api/v2/status.json"


@app.after_request
def add_headers(response):
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")
    return response


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/hooks")
def relay_hook():
    hook = request.get_json()
    try:
        resp = requests.post(hook["target_url"], json=hook.get("payload", {}), timeout=5)
    except requests.RequestException as exc:
        return jsonify(error=f"delivery failed: {exc}"), 502
    return jsonify(status=resp.status_code)


@app.get("/preview")
def fetch_preview():
    host = request.args["host"]
    path = request.args.get("path", "/")
    with urllib.request.urlopen(f"http://{host}{path}", timeout=5) as upstream:
        return jsonify(length=len(upstream.read()))


@app.get("/upstream-status")
def upstream_status():
    resp = requests.get(STATUS_URL, timeout=5)
    return jsonify(upstream=resp.json().get("status", {}))


@app.errorhandler(Exception)
def handle_error(e):
    app.logger.exception("unhandled error")
    return jsonify(error=repr(e), trace=traceback.format_exc()), 500
