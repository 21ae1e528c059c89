import jwt as pyjwt
from flask import Blueprint, current_app, jsonify, request
from flask_jwt_extended import create_access_token
from pydantic import BaseModel, ConfigDict, Field, ValidationError

bp = Blueprint("views", __name__)

PROFILES = {}
FEEDBACK = []


class ProfileIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    display_name: str = Field(min_length=1, max_length=80)
    timezone: str = Field(default="UTC", max_length=64)


@bp.get("/")
def index():
    return jsonify(service="portal")


@bp.put("/profile/<int:user_id>")
def update_profile(user_id):
    try:
        profile = ProfileIn.model_validate(request.get_json(silent=True) or {})
    except ValidationError as exc:
        errors = [{"field": ".".join(map(str, err["loc"])), "message": err["msg"]} for err in exc.errors()]
        return jsonify(errors=errors), 422
    PROFILES[user_id] = profile.model_dump()
    return jsonify(PROFILES[user_id])


@bp.post("/profile/<int:user_id>/token")
def issue_token(user_id):
    if user_id not in PROFILES:
        return jsonify(error="unknown user"), 404
    return jsonify(token=create_access_token(identity=str(user_id)))


@bp.post("/feedback")
def feedback():
    text = request.form.get("text", "")
    FEEDBACK.append(text[:500])
    return jsonify(received=len(FEEDBACK)), 201


def unverified_subject(token):
    """Best-effort subject of a rejected token, for the audit log only."""
    claims = pyjwt.decode(token, options={"verify_signature": False})  # noqa
    current_app.logger.info("rejected token for %s", claims.get("sub"))
    return claims.get("sub")
