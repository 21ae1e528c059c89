from flask import Blueprint, redirect, request, session, url_for

web = Blueprint("web", __name__)


@web.route("/")
def home():
    return {"events": url_for("api.list_events")}


@web.route("/login", methods=["POST"])
def login():
    session["user"] = request.form["user"]
    return redirect(request.form.get("next") or url_for("web.home"))


@web.route("/logout")
def logout():
    session.pop("user", None)
    return redirect(url_for("web.home"))
