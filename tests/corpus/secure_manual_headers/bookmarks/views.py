import yaml
from flask import Blueprint, current_app, jsonify, make_response
from flask import request as req
from marshmallow import Schema, ValidationError, fields, validate

bp = Blueprint("bookmarks", __name__)

BOOKMARKS = []


class BookmarkSchema(Schema):
    url = fields.Url(required=True, schemes={"http", "https"})
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    tags = fields.List(fields.String(validate=validate.Length(max=30)), load_default=list)


@bp.get("/bookmarks")
def list_bookmarks():
    return jsonify(BOOKMARKS)


@bp.post("/bookmarks")
def add_bookmark():
    try:
        bookmark = BookmarkSchema().load(req.get_json(silent=True) or {})
    except ValidationError as err:
        return jsonify(errors=err.messages), 422
    BOOKMARKS.append(bookmark)
    resp = make_response(jsonify(bookmark), 201)
    resp.set_cookie("last_added", str(len(BOOKMARKS)), secure=True, httponly=True, samesite="Lax")
    return resp


@bp.post("/bookmarks/import")
def import_bookmarks():
    upload = req.files.get("file")
    if upload is None:
        return jsonify(error="missing file"), 400
    try:
        data = yaml.load(upload.read(), Loader=yaml.SafeLoader)
        imported = BookmarkSchema(many=True).load(data)
    except (yaml.YAMLError, ValidationError):
        current_app.logger.info("rejected bookmark import")
        return jsonify(error="invalid import file"), 422
    BOOKMARKS.extend(imported)
    return jsonify(imported=len(imported)), 201


@bp.app_errorhandler(500)
def internal_error(error):
    current_app.logger.error("internal error", exc_info=error)
    return jsonify(error="internal server error"), 500
