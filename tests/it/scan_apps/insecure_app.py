"""A deliberately insecure Flask app for the scan tests: run with `flask run --debug`,
CORS open to any origin with credentials, no security headers, the default session cookie,
and a view that fails on a malformed query parameter."""
from flask import Flask, request, session, jsonify
from flask_cors import CORS

app = Flask(__name__)
app.secret_key = "insecure-test-key"
CORS(app, supports_credentials=True)

@app.get("/")
def index():
    session["visits"] = session.get("visits", 0) + 1
    page = int(request.args.get("page", "1"))
    return jsonify(page=page, visits=session["visits"])
