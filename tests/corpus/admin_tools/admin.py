"""Internal admin dashboard backend (ops team)."""

import os
import subprocess

import jinja2
from flask import Flask, jsonify, request
from markupsafe import Markup

app = Flask(__name__)
app.debug = True
app.config["SECRET_KEY"] = "ops-dashboard-secret"

TEMPLATES = {
    "disk.html": "<h2>Disk usage</h2><pre>{{ out }}</pre>",
}
reports = jinja2.Environment(
    loader=jinja2.DictLoader(TEMPLATES),
    autoescape=False,
)


@app.after_request
def allow_dashboard(resp):
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


@app.get("/disk")
def disk_usage():
    path = request.args.get("path", "/")
    out = subprocess.check_output(f"du -sh {path}", shell=True, text=True)
    return reports.get_template("disk.html").render(out=out)


@app.post("/ping")
def ping():
    host = request.form["host"]
    code = os.system("ping -c 1 -W 1 " + host)
    return jsonify(reachable=code == 0)


@app.get("/logs")
def tail_logs():
    service = request.args.get("service", "app")
    stream = os.popen("journalctl -n 50 -u %s" % service)
    return jsonify(lines=stream.read().splitlines())


@app.post("/calc")
def calc():
    expr = request.json["expr"]
    return jsonify(result=eval(expr))


@app.post("/hooks/run")
def run_hook():
    source = request.data.decode()
    exec(source, {"__builtins__": {}})
    return jsonify(ok=True)


@app.get("/uptime")
def uptime():
    out = subprocess.run("uptime", shell=True, capture_output=True, text=True)
    return jsonify(uptime=out.stdout.strip())


@app.get("/version")
def version():
    out = subprocess.run(["git", "--version"], capture_output=True, text=True)
    return jsonify(git=out.stdout.strip())


@app.get("/banner")
def banner():
    title = request.args.get("title", "Admin")
    return Markup(f"<h1>{title}</h1>")


if __name__ == "__main__":
    app.run(
        port=5001,
        use_debugger=True,
        use_evalex=True,
    )
