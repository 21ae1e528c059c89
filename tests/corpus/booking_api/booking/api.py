import jwt
import yaml
from flask import Blueprint, current_app, jsonify, request
from flask_jwt_extended import create_access_token, get_jwt_identity, jwt_required

from .cache import load_rates

bp = Blueprint("api", __name__, url_prefix="/api")

BOOKINGS = {}
PARTNERS = {}


@bp.post("/login")
def login():
    creds = request.get_json()
    if not creds.get("user") or creds.get("password") != "letmein":
        return jsonify(msg="bad credentials"), 401
    return jsonify(token=create_access_token(identity=creds["user"]))


@bp.post("/bookings")
@jwt_required()
def create_booking():
    data = request.get_json()
    booking = {
        "id": len(BOOKINGS) + 1,
        "room": data["room"],
        "nights": int(data["nights"]),
        "guest": get_jwt_identity(),
    }
    BOOKINGS[booking["id"]] = booking
    return jsonify(booking), 201


@bp.post("/bookings/import")
@jwt_required()
def import_bookings():
    docs = yaml.load(request.data)
    for doc in docs:
        BOOKINGS[len(BOOKINGS) + 1] = doc
    return jsonify(imported=len(docs))


@bp.post("/partners/import")
def import_partner_feed():
    feed = yaml.unsafe_load(request.files["feed"].read())
    PARTNERS.update(feed)
    return jsonify(partners=len(PARTNERS))


@bp.get("/partners/token-info")
def partner_token_info():
    token = request.headers.get("X-Partner-Token", "")
    claims = jwt.decode(token, current_app.config["JWT_SECRET_KEY"], verify=False)
    return jsonify(claims)


def decode_partner_token(token):
    return jwt.decode(token, current_app.config["JWT_SECRET_KEY"], algorithms=["none"])


def partner_link(partner_id):
    token = jwt.encode({"partner": partner_id}, current_app.config["JWT_SECRET_KEY"], algorithm="HS384")
    return f"https://partners.example.com/onboard?t={token}"


@bp.get("/partners/<int:partner_id>/link")
@jwt_required()
def get_partner_link(partner_id):
    return jsonify(link=partner_link(partner_id))


@bp.get("/rates")
def rates():
    return jsonify(load_rates())
