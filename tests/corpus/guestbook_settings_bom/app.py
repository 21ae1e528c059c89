from flask import Flask, jsonify, render_template_string, request
from flask_wtf import CSRFProtect
from markupsafe import Markup

app = Flask(__name__)
app.config.from_object("settings")
app.config.from_envvar("GUESTBOOK_SETTINGS", silent=True)
csrf = CSRFProtect(app)

ENTRIES = []

PAGE = """<!doctype html>
<title>Guestbook</title>
<ul>{% for entry in entries %}<li>{{ entry }}</li>{% endfor %}</ul>
"""


@app.route("/")
def index():
    return render_template_string(PAGE, entries=ENTRIES)


@app.route("/sign", methods=["POST"])
def sign():
    name = request.form.get("name", "anonymous")
    message = request.form["message"]
    ENTRIES.append(Markup(f"<b>{name}</b>: {message}"))
    return jsonify(count=len(ENTRIES)), 201
