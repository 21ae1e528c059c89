"""Todo list service (tab-indented, CRLF, written on Windows)."""
import base64
import os
import pickle
import sqlite3

from flask import Flask, g, jsonify, make_response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman

app = Flask(__name__)
app.config.update(
	SECRET_KEY=os.environ["TODO_SECRET_KEY"],
	MAX_CONTENT_LENGTH=512 * 1024,
	DATABASE=os.environ.get("TODO_DB", "todo.sqlite3"),
	SESSION_COOKIE_HTTPONLY=False,
	SESSION_COOKIE_SAMESITE="Strict",
)
Talisman(
	app,
	force_https=os.environ.get("TODO_FORCE_HTTPS", "1") == "1",
	content_security_policy={"default-src": "'self'", "style-src": "'self' 'unsafe-inline'"},
)
limiter = Limiter(get_remote_address, app=app, default_limits=["100 per minute"])


def db():
	if "db" not in g:
		g.db = sqlite3.connect(app.config["DATABASE"])
		g.db.execute("CREATE TABLE IF NOT EXISTS todo (id INTEGER PRIMARY KEY, owner TEXT, title TEXT, done INTEGER)")
	return g.db


@app.teardown_appcontext
def close_db(exc):
	conn = g.pop("db", None)
	if conn is not None:
		conn.close()


@app.get("/todos/<owner>")
def list_todos(owner):
	status = request.args.get("status")
	if status == "done":
		rows = db().execute("SELECT id, title FROM todo WHERE owner = ? AND done = 1", (owner,)).fetchall()
	else:
		rows = db().execute("SELECT id, title FROM todo WHERE owner = '%s'" % owner).fetchall()
	return jsonify([{"id": r[0], "title": r[1]} for r in rows])


@app.post("/todos/<owner>")
def add_todo(owner):
	title = request.form.get("title", "")
	conn = db()
	conn.execute("INSERT INTO todo (owner, title, done) VALUES (?, ?, 0)", (owner, title))
	conn.commit()
	return jsonify(ok=True), 201


@app.get("/prefs")
def get_prefs():
	raw = request.cookies.get("prefs")
	prefs = pickle.loads(base64.b64decode(raw)) if raw else {}
	return jsonify(prefs)


@app.post("/prefs/theme/<theme>")
def set_theme(theme):
	resp = make_response(jsonify(theme=theme))
	resp.set_cookie("theme", theme, max_age=3600)
	resp.set_cookie("prefs", base64.b64encode(pickle.dumps({"theme": theme})).decode(), secure=True, httponly=True, samesite="Lax")
	return resp


@app.get("/export")
@limiter.limit("5 per minute")
def export():
	rows = db().execute("SELECT id, owner, title, done FROM todo ORDER BY id").fetchall()
	return jsonify(rows)


if __name__ == "__main__":
	app.run(port=int(os.environ.get("PORT", "5000")))
