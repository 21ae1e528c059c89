import os
from datetime import timedelta


class Config:
    SECRET_KEY = os.environ.get("PORTAL_SECRET_KEY")
    JWT_SECRET_KEY = os.environ.get("PORTAL_JWT_SECRET")
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=15)
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")


class DevelopmentConfig(Config):
    DEBUG = True
    SESSION_COOKIE_SECURE = False
    DEBUG_TB_ENABLED = True
    DEBUG_TB_INTERCEPT_REDIRECTS = False


class LocalConfig(DevelopmentConfig):
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_CHECK_DEFAULT = False
    JWT_ACCESS_TOKEN_EXPIRES = False


class TestingConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    SESSION_COOKIE_SECURE = False
    RATELIMIT_ENABLED = False


class ProductionConfig(Config):
    # Partners asked for tokens that survive a long weekend.
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(hours=36)
