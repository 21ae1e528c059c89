"""Customer portal."""

import os

from flask import Flask

from .extensions import csrf, jwt, limiter, talisman

CSP = {
    "default-src": "'self'",
    "img-src": ["'self'", "data:"],
    "frame-ancestors": "'none'",
}


def create_app(config_object="config.ProductionConfig"):
    app = Flask(__name__)
    app.config.from_object(config_object)

    csrf.init_app(app)
    jwt.init_app(app)
    limiter.init_app(app)

    if os.environ.get("FLASK_ENV") == "development":
        talisman.init_app(app, force_https=False, content_security_policy=CSP)
    else:
        talisman.init_app(
            app,
            force_https=not app.testing,
            session_cookie_secure=not app.testing,
            content_security_policy=CSP,
            frame_options="DENY",
        )

    if app.debug:
        from flask_debugtoolbar import DebugToolbarExtension

        toolbar = DebugToolbarExtension()
        toolbar.init_app(app)

    if app.config["TESTING"]:
        app.config["SESSION_COOKIE_SECURE"] = False

    if os.environ.get("PORTAL_EMBEDDED") == "1":
        # Embedded in the partner's iframe; reviewed in SEC-142.
        app.config.update(  # flask-harden: ignore[FH105]
            SESSION_COOKIE_SAMESITE=None,
        )

    if os.environ.get("PORTAL_DEMO") == "1":
        app.config["SECRET_KEY"] = "public-demo-instance-key"  # noqa: FH102

    from .views import bp

    app.register_blueprint(bp)
    return app
