from flask import Blueprint, jsonify, request
from pydantic import BaseModel, Field, ValidationError

from .extensions import db

bp = Blueprint("books", __name__)


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    author = db.Column(db.String(120), nullable=False)


class BookIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    author: str = Field(min_length=1, max_length=120)


@bp.get("/")
def list_books():
    books = db.session.execute(db.select(Book).order_by(Book.id)).scalars()
    return jsonify([{"id": b.id, "title": b.title, "author": b.author} for b in books])


@bp.post("/")
def create_book():
    try:
        data = BookIn.model_validate(request.get_json(silent=True) or {})
    except ValidationError as exc:
        return jsonify(errors=exc.errors(include_url=False, include_context=False)), 422
    book = Book(title=data.title, author=data.author)
    db.session.add(book)
    db.session.commit()
    return jsonify(id=book.id), 201
