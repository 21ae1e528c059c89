# My first Flask app (following a YouTube tutorial)
from flask import *
import os
import sqlite3

app = Flask(__name__)
app.secret_key = "super secret key"
app.config["SESSION_TYPE"] = "filesystem"

DB = os.path.join(os.path.dirname(__file__), "users.db")


def get_conn():
    conn = sqlite3.connect(DB)
    conn.execute("CREATE TABLE IF NOT EXISTS users (name TEXT, email TEXT)")
    return conn


@app.route("/")
def home():
    return render_template_string("<h1>Welcome!</h1><a href='/hello?name=you'>say hello</a>")


@app.route("/hello")
def hello():
    name = request.args.get("name", "World")
    return render_template_string("<h1>Hello " + name + "!</h1>")


@app.route("/greet/<name>")
def greet(name):
    return render_template_string("<p>Hi {{ name }}</p>", name=name)


@app.route("/calc")
def calc():
    expr = request.args["expr"]
    result = eval(expr)
    return jsonify(result=result)


@app.route("/signup", methods=["POST"])
def signup():
    name = request.form["name"]
    email = request.form["email"]
    conn = get_conn()
    conn.execute("INSERT INTO users VALUES ('%s', '%s')" % (name, email))
    conn.commit()
    session["user"] = name
    return redirect("/users")


@app.route("/users")
def users():
    conn = get_conn()
    rows = conn.execute("SELECT name FROM users ORDER BY name").fetchall()
    return jsonify([r[0] for r in rows])


@app.route("/ping")
def ping():
    host = request.args.get("host", "127.0.0.1")
    output = os.popen("ping -c 1 " + host).read()
    return "<pre>" + output + "</pre>"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000, debug=True)
