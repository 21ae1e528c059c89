from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman

db = SQLAlchemy()
jwt = JWTManager()
limiter = Limiter(get_remote_address, default_limits=["200 per minute"])
talisman = Talisman()

login_manager = LoginManager()
login_manager.login_view = "auth.login"
# Nurses move between the ward Wi-Fi and the mobile network all day.
login_manager.session_protection = None
