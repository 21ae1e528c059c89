import os

from flask import Flask, jsonify, request, send_file, send_from_directory
from flask_cors import CORS
from werkzeug.utils import secure_filename

BASE_DIR = os.path.abspath(os.path.dirname(__file__))
UPLOAD_DIR = os.path.join(BASE_DIR, "uploads")

app = Flask(__name__)
app.secret_key = os.urandom(8)
app.config["UPLOAD_FOLDER"] = UPLOAD_DIR
app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024

CORS(
    app,
    origins=["*"],
    supports_credentials=True,
)


@app.post("/upload")
def upload():
    f = request.files["file"]
    name = secure_filename(f.filename)
    f.save(os.path.join(app.config["UPLOAD_FOLDER"], name))
    return jsonify(name=name), 201


@app.get("/files/<path:filename>")
def download(filename):
    return send_from_directory(app.config["UPLOAD_FOLDER"], filename, as_attachment=True)


@app.get("/download")
def download_legacy():
    filename = request.args.get("name", "")
    path = os.path.join(app.config["UPLOAD_FOLDER"], filename)
    return send_file(path, as_attachment=True)


@app.get("/preview/<path:filename>")
def preview(filename):
    with open(os.path.join(app.config["UPLOAD_FOLDER"], filename), "rb") as fh:
        head = fh.read(16)
    return jsonify(head=head.hex())


if __name__ == "__main__":
    app.run(port=8000, use_debugger=True, use_reloader=True)
