import os
from datetime import timedelta


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    JWT_SECRET_KEY = "tasks-jwt-signing-key-2024-please-rotate"
    JWT_ALGORITHM = "HS256"
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(days=7)
    JWT_REFRESH_TOKEN_EXPIRES = False
    MAX_CONTENT_LENGTH = 1024 * 1024
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")


class ProductionConfig(Config):
    PREFERRED_URL_SCHEME = "https"


class TestingConfig(Config):
    TESTING = True
    RATELIMIT_ENABLED = False
    JWT_ACCESS_TOKEN_EXPIRES = False
