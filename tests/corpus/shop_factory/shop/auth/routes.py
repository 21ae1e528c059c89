from flask import jsonify, redirect, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from . import bp

USERS = {"alice": generate_password_hash("wonderland")}


@bp.route("/login", methods=["POST"])
def login():
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    pw_hash = USERS.get(username)
    if pw_hash is None or not check_password_hash(pw_hash, password):
        return jsonify(error="invalid credentials"), 401
    session["user"] = username
    next_url = request.args.get("next")
    if next_url:
        return redirect(next_url)
    return redirect(url_for("catalog.list_products"))


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    return redirect(url_for("catalog.list_products"))
