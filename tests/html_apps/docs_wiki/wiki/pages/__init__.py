from flask import Blueprint, abort, render_template, request

pages = Blueprint("pages", __name__, template_folder="templates", url_prefix="/wiki")

PAGES = {
    "deploying": {
        "slug": "deploying",
        "title": "Deploying the service",
        "body": "Build the image, push it, then roll the deployment.",
        "code": "docker build -t notes .\ndocker push registry.local/notes",
    },
    "on-call": {
        "slug": "on-call",
        "title": "On-call handbook",
        "body": "Acknowledge within five minutes; escalate after thirty.",
        "code": "def escalate(alert):\n    return alert.age_minutes > 30",
    },
    "style": {
        "slug": "style",
        "title": "Writing style",
        "body": "Short sentences. Active voice. One idea per paragraph.",
        "code": "",
    },
}


@pages.route("/")
def index():
    return render_template("pages/index.html", pages=sorted(PAGES.values(), key=lambda p: p["title"]))


@pages.route("/<slug>")
def page(slug):
    found = PAGES.get(slug)
    if found is None:
        abort(404)
    return render_template("pages/page.html", page=found)


@pages.route("/search")
def search():
    query = request.args.get("q", "").strip().lower()
    hits = [p for p in PAGES.values() if query and (query in p["title"].lower() or query in p["body"].lower())]
    return render_template("pages/search.html", query=query, hits=hits)
