from flask import Blueprint, jsonify, request
from flask_jwt_extended import create_access_token
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import limiter

bp = Blueprint("auth", __name__)

USERS = {"clerk": generate_password_hash("correct horse battery staple")}


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


@bp.post("/login")
@limiter.limit("5 per minute")
def login():
    try:
        creds = LoginIn.model_validate(request.get_json(silent=True) or {})
    except ValidationError:
        return jsonify(error="invalid credentials"), 401
    pw_hash = USERS.get(creds.username)
    if pw_hash is None or not check_password_hash(pw_hash, creds.password):
        return jsonify(error="invalid credentials"), 401
    return jsonify(access_token=create_access_token(identity=creds.username))
