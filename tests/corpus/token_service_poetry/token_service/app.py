import datetime as dt
import os

import jwt
from flask import Flask, jsonify, request
from flask_debugtoolbar import DebugToolbarExtension

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("TOKEN_SERVICE_SECRET", "please-change-me-in-production-now!")
app.config["DEBUG_TB_INTERCEPT_REDIRECTS"] = False
toolbar = DebugToolbarExtension(app)

TOKEN_LIFETIME = dt.timedelta(minutes=15)


def signing_key():
    return app.config["SECRET_KEY"]


@app.post("/tokens")
def issue_token():
    body = request.get_json()
    payload = {
        "sub": body["user"],
        "scope": body.get("scope", "read"),
        "exp": dt.datetime.now(dt.timezone.utc) + TOKEN_LIFETIME,
    }
    token = jwt.encode(payload, signing_key(), algorithm="HS256")
    return jsonify(token=token), 201


@app.post("/tokens/verify")
def verify_token():
    token = request.get_json()["token"]
    try:
        claims = jwt.decode(token, signing_key(), algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return jsonify(valid=False), 401
    return jsonify(valid=True, claims=claims)


@app.get("/tokens/inspect")
def inspect_token():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})
    return jsonify(claims)


@app.get("/legacy/whoami")
def legacy_whoami():
    token = request.cookies.get("session_token", "")
    claims = jwt.decode(token, signing_key())
    return jsonify(user=claims.get("sub"))
