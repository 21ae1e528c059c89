from flask import Flask
from flask_moment import Moment

moment = Moment()


def create_app(config_object="config.Config"):
    app = Flask(__name__)
    app.config.from_object(config_object)

    moment.init_app(app)

    from .views import bp

    app.register_blueprint(bp)
    return app
