import os

from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = os.urandom(24)
app.config["JSON_AS_ASCII"] = False

import views  # noqa: E402,F401
