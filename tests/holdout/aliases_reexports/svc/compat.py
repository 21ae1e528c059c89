"""Re-exports so the rest of the code base imports third-party names from one place."""
from flask import request as current_request
from flask_cors import cross_origin as allow_cross_origin
from flask_limiter import Limiter as RateLimiter
from flask_limiter.util import get_remote_address as client_ip
from flask_talisman import Talisman as SecureHeaders

__all__ = ["RateLimiter", "SecureHeaders", "allow_cross_origin", "client_ip", "current_request"]
