# -*- coding: utf-8 -*-
"""
    Reports
    ~~~~~~~

    Renders usage reports; configured the old way, from this module's
    upper-case names (app.config.from_object(__name__)).
"""
import marshal
import os
import pickle
from urllib.parse import urljoin, urlparse

import jinja2
import requests
from flask import Flask, Response, abort, jsonify, redirect, render_template_string, request, url_for
from markupsafe import Markup, escape

# configuration
DATABASE = "/tmp/reports.db"
DEBUG = False
SECRET_KEY = "development key"
USERNAME = "admin"
PASSWORD = "default"
CACHE_FILE = os.path.join(os.path.dirname(__file__), "report-cache.pickle")
MAX_CONTENT_LENGTH = 1024 * 1024
SESSION_COOKIE_SAMESITE = "Lax"

app = Flask(__name__)
app.config.from_object(__name__)
app.config.from_envvar("REPORTS_SETTINGS", silent=True)

text_env = jinja2.Environment(autoescape=False, loader=jinja2.DictLoader({"plain.txt": "{{ title }}\n{{ body }}"}))
html_env = jinja2.Environment(autoescape=jinja2.select_autoescape(["html"]))

PAGE = "<h1>{{ title }}</h1><div>{{ body }}</div>"


def load_cache():
    if not os.path.exists(CACHE_FILE):
        return {}
    with open(CACHE_FILE, "rb") as fh:
        return pickle.load(fh)


def is_safe_url(target):
    ref_url = urlparse(request.host_url)
    test_url = urlparse(urljoin(request.host_url, target))
    return test_url.scheme in ("http", "https") and ref_url.netloc == test_url.netloc


@app.route("/report/<name>")
def report(name):
    cache = load_cache()
    body = cache.get(name, "no data yet")
    return render_template_string(PAGE, title=name, body=body)


@app.route("/report/<name>.txt")
def report_text(name):
    body = text_env.get_template("plain.txt").render(title=name, body="...")
    return Response(body, mimetype="text/plain")


@app.route("/preview", methods=["POST"])
def preview():
    template = request.form["template"]
    return render_template_string(template, user=USERNAME)


@app.route("/note")
def note():
    msg = request.args.get("msg", "")
    safe = Markup("<em>{}</em>").format(msg)
    unsafe = Markup("<em>" + msg + "</em>")
    return f"{safe}{unsafe}{escape(msg)}"


@app.route("/go")
def go():
    target = request.args.get("next", "")
    if not is_safe_url(target):
        abort(400)
    return redirect(target)


@app.route("/out")
def out():
    return redirect(request.args["to"])


@app.route("/compiled", methods=["POST"])
def compiled():
    code = marshal.loads(request.get_data())
    return jsonify(kind=type(code).__name__)


@app.route("/weather")
def weather():
    city = request.args.get("city", "Paris")
    resp = requests.get("https://api.weather.example.com/v1/current", params={"q": city}, timeout=3)
    return jsonify(status=resp.status_code)


@app.route("/mirror")
def mirror():
    base = request.args.get("base", "https://api.weather.example.com")
    resp = requests.get(base + "/v1/health", timeout=3)
    return jsonify(status=resp.status_code)


@app.route("/")
def index():
    return redirect(url_for("report", name="daily"))
