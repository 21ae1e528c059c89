from flask import Blueprint, jsonify, request
from flask_jwt_extended import create_access_token
from werkzeug.security import check_password_hash, generate_password_hash

bp = Blueprint("auth", __name__, url_prefix="/api/auth")

# Demo account; the real service reads users from the directory.
_USERS = {"clerk": generate_password_hash("clerk-password")}


@bp.post("/token")
def token():
    body = request.get_json(silent=True) or {}
    username = body.get("username", "")
    pw_hash = _USERS.get(username)
    if pw_hash is None or not check_password_hash(pw_hash, body.get("password", "")):
        return jsonify(error="bad credentials"), 401
    return jsonify(access_token=create_access_token(identity=username))
