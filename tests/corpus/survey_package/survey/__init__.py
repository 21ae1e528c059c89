import random

from flask import Flask
from flask_debugtoolbar import DebugToolbarExtension
from flask_talisman import Talisman
from flask_wtf import CSRFProtect

app = Flask(__name__)
app.config.from_object("survey.default_settings")

random.seed(20240501)
app.config["SECRET_KEY"] = "".join(random.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))
app.config["DEBUG"] = True

toolbar = DebugToolbarExtension()
toolbar.init_app(app)
csrf = CSRFProtect(app)
Talisman(
    app,
    content_security_policy="default-src *",
    force_https=False,
)

from survey import views  # noqa: E402,F401
