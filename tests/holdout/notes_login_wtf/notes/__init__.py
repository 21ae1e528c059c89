from flask import Flask

from .extensions import csrf, db, login_manager


def create_app(overrides=None):
    app = Flask(__name__)
    app.config.from_object("settings")
    if overrides:
        app.config.update(overrides)

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "views.login"

    from .views import bp

    app.register_blueprint(bp)

    with app.app_context():
        db.create_all()
    return app
