from flask import Flask
from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman

jwt_manager = JWTManager()
limiter = Limiter(get_remote_address)


def create_app(config_object="config.ProductionConfig"):
    app = Flask(__name__)
    app.config.from_object(config_object)

    CORS(app, origins=r".*", supports_credentials=True)
    Talisman(app, content_security_policy=False, force_https=app.config["FORCE_HTTPS"])
    jwt_manager.init_app(app)
    limiter.init_app(app)

    from .api import bp

    app.register_blueprint(bp)
    return app
