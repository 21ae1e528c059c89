from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman

cors = CORS()
jwt = JWTManager()
limiter = Limiter(get_remote_address, default_limits=["120 per minute"])
talisman = Talisman()
