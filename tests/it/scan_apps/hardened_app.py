"""A hardened Flask API for the scan tests: Talisman with the strict API policy from
shared/STACK.md, Flask-Limiter with rate-limit headers, a Secure/HttpOnly/SameSite session
cookie. Served by gunicorn over TLS."""
import os
from flask import Flask, jsonify, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman

app = Flask(__name__)
app.config.update(SECRET_KEY=os.urandom(32), RATELIMIT_ENABLED=True, RATELIMIT_HEADERS_ENABLED=True,
                  RATELIMIT_STORAGE_URI="memory://")
Talisman(
    app,
    content_security_policy={"default-src": "'none'", "frame-ancestors": "'none'",
                             "base-uri": "'none'", "form-action": "'none'"},
    frame_options="DENY",
    referrer_policy="no-referrer",
    strict_transport_security=True,
    strict_transport_security_max_age=63072000,
    strict_transport_security_include_subdomains=True,
    session_cookie_secure=True,
    session_cookie_http_only=True,
    session_cookie_samesite="Strict",
    x_xss_protection=False,
)
Limiter(get_remote_address, app=app, default_limits=["50 per minute"])

@app.get("/")
def index():
    session["seen"] = True
    return jsonify(status="ok")
