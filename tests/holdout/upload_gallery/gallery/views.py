import os
import subprocess

from flask import Blueprint, abort, current_app, jsonify, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

bp = Blueprint("gallery", __name__)


def allowed_file(filename):
    return "." in filename and filename.rsplit(".", 1)[1].lower() in current_app.config["ALLOWED_EXTENSIONS"]


@bp.post("/upload")
def upload():
    file = request.files.get("photo")
    if file is None or not allowed_file(file.filename):
        abort(400)
    name = secure_filename(file.filename)
    path = os.path.join(current_app.config["UPLOAD_FOLDER"], name)
    file.save(path)
    thumb = os.path.join(current_app.config["THUMB_FOLDER"], name)
    subprocess.run(["cp", path, thumb], check=True)
    return jsonify(name=name), 201


@bp.post("/convert")
def convert():
    file = request.files["photo"]
    target = os.path.join(current_app.config["UPLOAD_FOLDER"], file.filename)
    file.save(target)
    subprocess.call("cp '%s' '%s.bak'" % (target, target), shell=True)
    return jsonify(saved=os.path.basename(target))


@bp.get("/photos/<name>")
def photo(name):
    return send_from_directory(current_app.config["UPLOAD_FOLDER"], name)


@bp.get("/download")
def download():
    name = request.args.get("name", "")
    return send_file(os.path.join(current_app.config["UPLOAD_FOLDER"], name))


@bp.get("/captions/<name>")
def caption(name):
    with open(os.path.join(current_app.config["UPLOAD_FOLDER"], name + ".txt")) as fh:
        return jsonify(caption=fh.read())


@bp.get("/thumbs/<name>")
def thumb(name):
    safe = secure_filename(name)
    return send_file(os.path.join(current_app.config["THUMB_FOLDER"], safe))


@bp.get("/list")
def listing():
    names = sorted(os.listdir(current_app.config["UPLOAD_FOLDER"]))
    return jsonify([n for n in names if allowed_file(n)])
