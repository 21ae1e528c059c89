"""Quote of the day API. Tabs and CRLF; hardened, with near-misses on purpose."""

import hmac
import os
import random
import secrets
import sqlite3

from flask import Flask, abort, g, jsonify, make_response, render_template_string, request
from flask_cors import CORS
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from pydantic import BaseModel, Field, ValidationError

app = Flask(__name__)
app.config.update(
	SECRET_KEY=os.environ["SECRET_KEY"],
	DEBUG=False,
	SESSION_COOKIE_SECURE=True,
	SESSION_COOKIE_HTTPONLY=True,
	SESSION_COOKIE_SAMESITE="Lax",
	MAX_CONTENT_LENGTH=16 * 1024,
	RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
	DATABASE=os.environ.get("QUOTES_DB", ":memory:"),
)
Talisman(
	app,
	force_https=True,
	strict_transport_security=True,
	content_security_policy={
		"default-src": "'self'",
		"style-src": ["'self'", "'unsafe-inline'"],
		"img-src": ["'self'", "data:"],
	},
)
limiter = Limiter(get_remote_address, app=app, default_limits=["30 per minute"])
CORS(app, resources={r"/api/*": {"origins": ["https://quotes.example.com"]}})

QUOTES = ["Simple is better than complex.", "Readability counts."]
QUOTE_BY_ID = "SELECT id, text FROM quotes WHERE id = ?"
PAGE = "<blockquote>{{ text }}</blockquote><small>{{ nonce }}</small>"


class QuoteIn(BaseModel):
	text: str = Field(min_length=3, max_length=280)


def get_db():
	if "db" not in g:
		g.db = sqlite3.connect(app.config["DATABASE"])
		g.db.execute("CREATE TABLE IF NOT EXISTS quotes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
	return g.db


@app.teardown_appcontext
def close_db(exc):
	db = g.pop("db", None)
	if db is not None:
		db.close()


@app.get("/api/random")
def random_quote():
	return jsonify(quote=random.choice(QUOTES))


@app.get("/today")
def today():
	return render_template_string(PAGE, text=QUOTES[0], nonce=secrets.token_urlsafe(16))


@app.post("/api/quotes")
def add_quote():
	expected = os.environ.get("QUOTES_API_TOKEN", "")
	if not expected or not hmac.compare_digest(request.headers.get("X-Api-Token", ""), expected):
		abort(401)
	try:
		quote = QuoteIn.model_validate(request.get_json(silent=True) or {})
	except ValidationError:
		return jsonify(error="invalid quote"), 422
	db = get_db()
	cur = db.execute("INSERT INTO quotes (text) VALUES (?)", (quote.text,))
	db.commit()
	row = db.execute(QUOTE_BY_ID, (cur.lastrowid,)).fetchone()
	resp = make_response(jsonify(id=row[0], text=row[1]), 201)
	resp.set_cookie(
		"last_quote",
		str(row[0]),
		secure=True,
		httponly=True,
		samesite="Strict",
	)
	return resp


@app.errorhandler(500)
def server_error(error):
	app.logger.exception("server error")
	return jsonify(error="internal server error"), 500


if __name__ == "__main__":
	app.run(host="127.0.0.1", debug=False)
