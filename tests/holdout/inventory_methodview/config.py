"""Configuration classes, selected with APP_CONFIG (see inventory.create_app)."""
import os
from datetime import timedelta


def _csv(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


class BaseConfig:
    SECRET_KEY = os.getenv("SECRET_KEY", "change-me-in-production")
    JWT_SECRET_KEY = os.environ["JWT_SECRET_KEY"] if "JWT_SECRET_KEY" in os.environ else None
    JWT_ALGORITHM = "HS256"
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(days=30)
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=60)
    MAX_CONTENT_LENGTH = 1 * 1024 * 1024
    CORS_ORIGINS = _csv("CORS_ORIGINS", "https://inventory.example.com")
    RATELIMIT_DEFAULT = "200 per hour"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = True
    FORCE_HTTPS = True
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"


class DevConfig(BaseConfig):
    DEBUG = True
    FORCE_HTTPS = False
    SESSION_COOKIE_SECURE = False
    JWT_ACCESS_TOKEN_EXPIRES = False


class TestConfig(BaseConfig):
    TESTING = True
    FORCE_HTTPS = False
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    JWT_SECRET_KEY = "test-jwt-secret-test-jwt-secret-0123"


class ProdConfig(BaseConfig):
    DEBUG = False
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=15)


class StagingConfig(ProdConfig):
    SESSION_COOKIE_SECURE = False  # staging runs behind plain http
    SESSION_COOKIE_SAMESITE = None


CONFIGS = {
    "dev": DevConfig,
    "test": TestConfig,
    "prod": ProdConfig,
    "staging": StagingConfig,
}
