import sqlite3
import threading

from flask import Blueprint, jsonify, request

from .schemas import page_schema, post_schema

bp = Blueprint("posts", __name__, url_prefix="/posts")

_lock = threading.Lock()
_conn = sqlite3.connect(":memory:", check_same_thread=False)
_conn.executescript(
    """
    CREATE TABLE post (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL);
    CREATE TABLE tag (post_id INTEGER, name TEXT);
    """
)
PAGE_SIZE = 10


@bp.get("")
def list_posts():
    args = page_schema.load(request.args)
    offset = (args["page"] - 1) * PAGE_SIZE
    with _lock:
        if args["tag"]:
            rows = _conn.execute(
                "SELECT p.id, p.title FROM post p JOIN tag t ON t.post_id = p.id"
                " WHERE t.name = ? ORDER BY p.id LIMIT ? OFFSET ?",
                (args["tag"], PAGE_SIZE, offset),
            ).fetchall()
        else:
            rows = _conn.execute(
                "SELECT id, title FROM post ORDER BY id LIMIT ? OFFSET ?", (PAGE_SIZE, offset)
            ).fetchall()
    return jsonify([{"id": r[0], "title": r[1]} for r in rows])


@bp.post("")
def create_post():
    data = post_schema.load(request.get_json(force=True))
    with _lock:
        cur = _conn.execute("INSERT INTO post (title, body) VALUES (?, ?)", (data["title"], data["body"]))
        _conn.executemany(
            "INSERT INTO tag (post_id, name) VALUES (?, ?)", [(cur.lastrowid, t) for t in data["tags"]]
        )
        _conn.commit()
    return jsonify(id=cur.lastrowid), 201


@bp.get("/<int:post_id>")
def get_post(post_id):
    with _lock:
        row = _conn.execute("SELECT id, title, body FROM post WHERE id = ?", (post_id,)).fetchone()
    if row is None:
        return jsonify(error="not found"), 404
    return jsonify(id=row[0], title=row[1], body=row[2])
