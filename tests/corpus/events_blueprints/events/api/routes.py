import os

import requests
from flask import Blueprint, current_app, jsonify, request, send_file
from flask_jwt_extended import create_access_token, jwt_required

api = Blueprint("api", __name__)

EVENTS = [{"id": 1, "name": "PyCon", "city": "Pittsburgh"}]


@api.post("/token")
def token():
    user = request.json.get("user", "guest")
    return jsonify(token=create_access_token(identity=user))


@api.get("/events")
def list_events():
    return jsonify(EVENTS)


@api.post("/events")
@jwt_required()
def create_event():
    event = {"id": len(EVENTS) + 1, "name": request.json["name"], "city": request.json.get("city", "")}
    EVENTS.append(event)
    return jsonify(event), 201


@api.get("/events/<int:event_id>/weather")
def weather(event_id):
    provider = request.args.get("provider", "https://weather.example.com")
    resp = requests.get(f"{provider}/forecast", params={"event": event_id}, timeout=5)
    return jsonify(resp.json())


@api.get("/exports")
def download_export():
    return send_file(request.args["path"])


@api.get("/reports/<name>")
def report(name):
    reports_dir = current_app.config["REPORTS_DIR"]
    with open(f"{reports_dir}/{name}.csv", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split(",") for line in fh]
    return jsonify(rows=rows, exists=os.path.isdir(reports_dir))
