from urllib.parse import urlparse

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup, escape
from sqlalchemy import select, text

from .extensions import csrf, db
from .forms import LoginForm, NoteForm
from .models import Note, User

bp = Blueprint("views", __name__)


def _is_local(target):
    parts = urlparse(target)
    return not parts.scheme and not parts.netloc and target.startswith("/")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.execute(select(User).filter_by(email=form.email.data)).scalar_one_or_none()
        if user is None or not user.check_password(form.password.data):
            flash("Invalid email or password")
            return render_template("login.html", form=form), 401
        login_user(user)
        next_page = request.args.get("next")
        if next_page is None or not _is_local(next_page):
            next_page = url_for("views.index")
        return redirect(next_page)
    return render_template("login.html", form=form)


@bp.route("/logout")
def logout():
    logout_user()
    return redirect(request.args.get("next") or url_for("views.login"))


@bp.route("/")
@login_required
def index():
    notes = db.session.execute(select(Note).filter_by(owner_id=current_user.id)).scalars().all()
    banner = request.args.get("banner")
    message = Markup(f"<p class='banner'>{banner}</p>") if banner else Markup("")
    return render_template("index.html", notes=notes, message=message)


@bp.route("/notes/new", methods=["GET", "POST"])
@login_required
def new_note():
    form = NoteForm()
    if form.validate_on_submit():
        db.session.add(Note(owner_id=current_user.id, title=form.title.data, body=form.body.data))
        db.session.commit()
        return redirect(url_for("views.index"))
    return render_template("note_form.html", form=form)


@bp.route("/notes/<int:note_id>/title")
@login_required
def note_title(note_id):
    note = db.session.get(Note, note_id)
    if note is None or note.owner_id != current_user.id:
        abort(404)
    return Markup("<h2>%s</h2>") % escape(note.title)


@bp.get("/api/notes/search")
@login_required
def search_notes():
    q = request.args.get("q", "")
    rows = db.session.execute(
        text(f"SELECT id, title FROM note WHERE owner_id = {current_user.id} AND title LIKE '%{q}%'")
    ).all()
    return jsonify([{"id": r.id, "title": r.title} for r in rows])


@bp.post("/api/notes")
@csrf.exempt
@login_required
def api_create_note():
    data = request.get_json()
    note = Note(owner_id=current_user.id, title=data["title"], body=data.get("body", ""))
    db.session.add(note)
    db.session.commit()
    return jsonify(id=note.id), 201


@bp.get("/api/notes/<int:note_id>")
@login_required
def api_get_note(note_id):
    row = db.session.execute(
        text("SELECT id, title, body FROM note WHERE id = :id AND owner_id = :owner"),
        {"id": note_id, "owner": current_user.id},
    ).first()
    if row is None:
        abort(404)
    return jsonify(id=row.id, title=row.title, body=row.body)
