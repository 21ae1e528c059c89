"""Configuration classes. Secrets and keys come from the environment only."""

import os
from datetime import timedelta


class Config:
    TESTING = False
    MAX_CONTENT_LENGTH = 1024 * 1024
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    JWT_ALGORITHM = "RS256"
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=10)
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(hours=12)
    JWT_DECODE_ISSUER = "inventory"
    JWT_ENCODE_ISSUER = "inventory"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    DATABASE = os.environ.get("INVENTORY_DB", "inventory.sqlite")


class ProductionConfig(Config):
    PREFERRED_URL_SCHEME = "https"


class TestingConfig(Config):
    TESTING = True
    RATELIMIT_ENABLED = False
