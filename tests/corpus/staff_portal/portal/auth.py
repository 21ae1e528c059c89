from flask import Blueprint, current_app, jsonify, request
from flask_jwt_extended import create_access_token, set_access_cookies
from flask_login import login_user, logout_user
from pydantic import ValidationError

from .extensions import db, limiter
from .models import User
from .schemas import Credentials

bp = Blueprint("auth", __name__)


@bp.post("/login")
@limiter.limit("10 per minute")
def login():
    try:
        creds = Credentials.model_validate(request.get_json(silent=True) or {})
    except ValidationError:
        return jsonify(error="invalid credentials"), 400
    user = db.session.execute(db.select(User).filter_by(email=creds.email)).scalar_one_or_none()
    if user is None or not user.check_password(creds.password):
        current_app.logger.warning("failed login for %s (password %r)", creds.email, creds.password)
        return jsonify(error="invalid credentials"), 401
    login_user(user)
    current_app.logger.info("login for %s", creds.email)
    return jsonify(id=user.id)


@bp.post("/logout")
def logout():
    logout_user()
    return "", 204


@bp.post("/token")
@limiter.limit("10 per minute")
def token():
    try:
        creds = Credentials.model_validate(request.get_json(silent=True) or {})
    except ValidationError:
        return jsonify(error="invalid credentials"), 400
    user = db.session.execute(db.select(User).filter_by(email=creds.email)).scalar_one_or_none()
    if user is None or not user.check_password(creds.password):
        return jsonify(error="invalid credentials"), 401
    access_token = create_access_token(identity=str(user.id))
    current_app.logger.debug("issued %s to user %s", access_token, user.id)
    response = jsonify(ok=True)
    set_access_cookies(response, access_token)
    return response
