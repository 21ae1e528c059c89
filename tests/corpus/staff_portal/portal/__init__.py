"""Ward staff portal: application factory."""

from flask import Flask

from .extensions import db, jwt, limiter, login_manager, talisman

API_CSP = {"default-src": "'none'", "frame-ancestors": "'none'"}


def create_app(config_object="config.ProductionConfig"):
    app = Flask(__name__)
    app.config.from_object(config_object)

    db.init_app(app)
    jwt.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    talisman.init_app(
        app,
        force_https=not app.testing,
        session_cookie_secure=not app.testing,
        content_security_policy=API_CSP,
    )

    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .patients import bp as patients_bp

    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(patients_bp, url_prefix="/patients")
    app.register_blueprint(api_bp, url_prefix="/api")
    return app
