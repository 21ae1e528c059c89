from flask import Flask

from .extensions import cors, jwt, limiter, talisman


def create_app(config_object="app.config.ProductionConfig"):
    app = Flask(__name__)
    app.config.from_object(config_object)

    cors.init_app(app)
    jwt.init_app(app)
    limiter.init_app(app)
    talisman.init_app(
        app,
        force_https=False,
        content_security_policy=None,
    )

    from .auth import bp as auth_bp
    from .tasks import bp as tasks_bp

    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(tasks_bp, url_prefix="/api")
    return app
