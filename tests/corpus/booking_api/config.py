import os
import uuid
from datetime import timedelta


class BaseConfig:
    DEBUG = True
    SECRET_KEY = str(uuid.uuid1())
    SECURITY_PASSWORD_SALT = "booking-salt-2023"
    JWT_SECRET_KEY = "booking-jwt-signing-key-0f9d8c7b6a5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c"  # noqa: S105
    JWT_ALGORITHM = "HS512"
    JWT_ACCESS_TOKEN_EXPIRES = False
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    FORCE_HTTPS = True
    RATELIMIT_ENABLED = True
    BOOKING_CACHE_DIR = os.environ.get("BOOKING_CACHE_DIR", "/var/cache/booking")


class DevelopmentConfig(BaseConfig):
    SECRET_KEY = "dev-not-secret"
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(days=30)
    FORCE_HTTPS = False


class TestingConfig(BaseConfig):
    TESTING = True
    FORCE_HTTPS = False
    RATELIMIT_ENABLED = False


class ProductionConfig(BaseConfig):
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=30)
