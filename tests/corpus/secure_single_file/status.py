"""Status page service: one module, hardened."""

import os
import subprocess

import jwt
import requests
from flask import Flask, jsonify, redirect, render_template_string, request, send_from_directory, url_for
from flask_cors import CORS
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from pydantic import BaseModel, ConfigDict, Field, ValidationError

app = Flask(__name__)
app.config.update(
    SECRET_KEY=os.environ["SECRET_KEY"],
    MAX_CONTENT_LENGTH=64 * 1024,
    SESSION_COOKIE_SECURE=True,
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SAMESITE="Strict",
    RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
)
Talisman(
    app,
    content_security_policy={"default-src": "'self'", "frame-ancestors": "'none'"},
    frame_options="DENY",
    referrer_policy="no-referrer",
)
limiter = Limiter(get_remote_address, app=app, default_limits=["100 per minute"])
CORS(app, origins=["https://status.example.com"], always_send=False)

DOCS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "docs")
PAGE = "<h1>{{ title }}</h1><p>{{ message }}</p>"
INCIDENTS = []


class Incident(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=120)
    severity: int = Field(ge=1, le=5)


def verify_token(header):
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        return jwt.decode(token, os.environ["STATUS_JWT_PUBLIC_KEY"], algorithms=["RS256"], audience="status")
    except jwt.InvalidTokenError:
        return None


@app.get("/")
def index():
    return render_template_string(PAGE, title="Status", message="All systems operational")


@app.get("/home")
def home():
    return redirect(url_for("index"))


@app.get("/docs/<path:name>")
def docs(name):
    return send_from_directory(DOCS_DIR, name)


@app.post("/incidents")
@limiter.limit("10 per minute")
def create_incident():
    if verify_token(request.headers.get("Authorization", "")) is None:
        return jsonify(error="unauthorized"), 401
    try:
        incident = Incident.model_validate(request.get_json(silent=True) or {})
    except ValidationError:
        return jsonify(error="invalid incident"), 422
    INCIDENTS.append(incident.model_dump())
    return jsonify(incident.model_dump()), 201


@app.get("/diagnostics/ping")
def ping_upstream():
    result = subprocess.run(["ping", "-c", "1", "upstream.internal"], capture_output=True, text=True, timeout=5)
    return jsonify(ok=result.returncode == 0)


@app.get("/upstream")
def upstream():
    resp = requests.get("https://api.example.com/health", timeout=5)
    return jsonify(upstream=resp.status_code)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
