from flask import Blueprint, jsonify, request
from flask_jwt_extended import create_access_token

from .extensions import limiter

bp = Blueprint("auth", __name__)

DEMO_USERS = {"demo": "correct horse battery staple"}


@bp.post("/login")
@limiter.limit("5 per minute")
def login():
    creds = request.get_json(silent=True) or {}
    username = creds.get("username", "")
    if DEMO_USERS.get(username) != creds.get("password"):
        return jsonify(msg="bad credentials"), 401
    return jsonify(access_token=create_access_token(identity=username))
