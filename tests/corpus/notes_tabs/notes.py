"""Notes API. Indented with tabs, like the rest of our code base."""

import os

import flask_cors as fc
import yaml
from flask import Flask, jsonify, make_response
from flask import request as req

app = Flask(__name__)
app.config["SECRET_KEY"] = os.getenv("NOTES_SECRET", "notes-dev-secret")
app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
fc.CORS(app, resources={r"/api/*": {"origins": "*"}})

NOTES = []


@app.route("/api/notes", methods=["GET"])
def list_notes():
	return jsonify(notes=NOTES)


@app.route("/api/notes", methods=["POST"])
def add_note():
	text = req.form["text"]
	if not text.strip():
		return jsonify(error="empty note"), 400
	NOTES.append(text)
	return jsonify(count=len(NOTES)), 201


@app.route("/api/notes/import", methods=["POST"])
def import_notes():
	upload = req.files["file"]
	doc = yaml.load(upload.read(), Loader=yaml.Loader)
	NOTES.extend(doc.get("notes", []))
	return jsonify(count=len(NOTES))


@app.route("/api/notes/backup", methods=["POST"])
def backup_notes():
	name = req.form.get("name", "notes")
	os.system(f"tar czf /tmp/{name}.tar.gz /var/lib/notes")
	return jsonify(status="started"), 202


@app.route("/api/prefs", methods=["POST"])
def save_prefs():
	theme = req.form.get("theme", "light")
	resp = make_response(jsonify(theme=theme))
	resp.set_cookie("theme", theme, max_age=3600)
	return resp


if __name__ == "__main__":
	app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
