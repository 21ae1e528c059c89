from flask import Blueprint, jsonify, request
from flask_jwt_extended import get_jwt_identity, jwt_required

bp = Blueprint("tasks", __name__)

TASKS = {}


@bp.post("/tasks")
@jwt_required()
def create_task():
    data = request.get_json()
    task = {
        "id": len(TASKS) + 1,
        "title": data["title"],
        "done": bool(data.get("done", False)),
        "owner": get_jwt_identity(),
    }
    TASKS[task["id"]] = task
    return jsonify(task), 201


@bp.get("/tasks")
@jwt_required()
def list_tasks():
    limit = request.args.get("limit", 50, type=int)
    owner = get_jwt_identity()
    mine = [t for t in TASKS.values() if t["owner"] == owner]
    return jsonify(mine[:limit])


@bp.get("/tasks/<int:task_id>")
@jwt_required()
def get_task(task_id):
    task = TASKS.get(task_id)
    if task is None or task["owner"] != get_jwt_identity():
        return jsonify(msg="not found"), 404
    return jsonify(task)
