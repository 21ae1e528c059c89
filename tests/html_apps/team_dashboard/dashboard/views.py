import random
from datetime import datetime, timedelta, timezone

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.security import check_password_hash, generate_password_hash

bp = Blueprint("main", __name__)

USERS = {
    "ada": generate_password_hash("correct horse battery staple"),
    "grace": generate_password_hash("never stop debugging"),
}

DEPLOYED_AT = datetime.now(timezone.utc) - timedelta(hours=3)

REPORTS = [
    {"name": "Weekly signups", "rows": 1280, "owner": "ada"},
    {"name": "Churn by plan", "rows": 44, "owner": "grace"},
]


@bp.route("/")
def index():
    return render_template(
        "index.html",
        title=current_app.config["DASHBOARD_TITLE"],
        deployed_at=DEPLOYED_AT,
        poll_seconds=current_app.config["POLL_SECONDS"],
        user=session.get("user"),
    )


@bp.route("/reports")
def reports():
    return render_template("reports.html", reports=REPORTS, user=session.get("user"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        hashed = USERS.get(username)
        if hashed is not None and check_password_hash(hashed, password):
            session["user"] = username
            return redirect(url_for("main.index"))
        error = "Unknown user or wrong password."
    return render_template("login.html", error=error, user=None)


@bp.route("/logout")
def logout():
    session.pop("user", None)
    flash("Signed out.")
    return redirect(url_for("main.login"))


@bp.route("/api/stats")
def stats():
    return jsonify(
        active_users=random.randint(20, 40),
        errors_last_hour=random.randint(0, 3),
        series=[random.randint(5, 30) for _ in range(12)],
    )
