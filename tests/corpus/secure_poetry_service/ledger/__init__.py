import os

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman

limiter = Limiter(get_remote_address, default_limits=["60 per minute"])


def create_app(overrides=None):
    app = Flask(__name__)
    app.config.from_object("ledger.settings")
    if os.environ.get("LEDGER_SETTINGS"):
        app.config.from_pyfile(os.environ["LEDGER_SETTINGS"])
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set")

    Talisman(
        app,
        force_https=not app.testing,
        session_cookie_secure=not app.testing,
        content_security_policy={"default-src": "'none'", "frame-ancestors": "'none'"},
        referrer_policy="no-referrer",
    )
    limiter.init_app(app)

    if app.debug:
        from flask_debugtoolbar import DebugToolbarExtension

        DebugToolbarExtension(app)

    from . import api, db

    db.init_app(app)
    app.register_blueprint(api.bp)
    return app
