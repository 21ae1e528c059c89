import hashlib
import hmac
import json
import urllib.request

import jwt
import requests
import yaml
from flask import Blueprint, current_app, jsonify, request

bp = Blueprint("hooks", __name__)

SUBSCRIBERS = []


def _signature_ok(body: bytes, signature: str) -> bool:
    secret = current_app.config["WEBHOOK_SECRET"].encode()
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature or "")


@bp.post("/inbound")
async def inbound():
    body = request.get_data()
    if not _signature_ok(body, request.headers.get("X-Signature", "")):
        return jsonify(error="bad signature"), 401
    event = json.loads(body)
    delivered = 0
    for url in SUBSCRIBERS:
        requests.post(url, json=event, timeout=5)
        delivered += 1
    return jsonify(delivered=delivered)


@bp.post("/subscribe")
async def subscribe():
    payload = request.get_json()
    callback = payload["callback_url"]
    probe = requests.get(callback, timeout=3)
    if probe.status_code >= 400:
        return jsonify(error="callback not reachable"), 400
    SUBSCRIBERS.append(callback)
    return jsonify(subscribed=callback), 201


@bp.get("/preview")
async def preview():
    target = request.args["url"]
    try:
        with urllib.request.urlopen(target, timeout=3) as resp:
            head = resp.read(200)
    except Exception as exc:
        return jsonify(error=f"fetch failed: {exc}"), 502
    return jsonify(head=head.decode(errors="replace"))


@bp.get("/status")
async def status():
    resp = requests.get("https://status.example.com/api/v2/status.json", timeout=2)
    return jsonify(upstream=resp.status_code)


@bp.post("/rules")
def load_rules():
    rules = yaml.load(request.data, Loader=yaml.FullLoader)
    return jsonify(count=len(rules or []))


@bp.post("/rules/check")
def check_rules():
    rules = yaml.safe_load(request.data)
    other = yaml.load(request.data, Loader=yaml.SafeLoader)
    return jsonify(same=rules == other)


@bp.get("/whoami")
def whoami():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})
    return jsonify(sub=claims.get("sub"))


@bp.get("/whoami/verified")
def whoami_verified():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    try:
        claims = jwt.decode(token, current_app.config["JWT_PUBLIC_KEY"], algorithms=["RS256"])
    except jwt.InvalidTokenError:
        return jsonify(error="invalid token"), 401
    return jsonify(sub=claims["sub"])
