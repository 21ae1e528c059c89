"""Configuration classes, selected by PORTAL_CONFIG in wsgi.py."""

import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite://")
    # Slow-query report on the ops dashboard reads the recorded queries.
    SQLALCHEMY_RECORD_QUERIES = True
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    # The single-page front end keeps its tokens in cookies.
    JWT_TOKEN_LOCATION = ["cookies"]
    JWT_COOKIE_SAMESITE = "Lax"
    JWT_COOKIE_CSRF_PROTECT = False  # the SPA never sent the header
    JWT_ACCESS_TOKEN_EXPIRES = 900


class ProductionConfig(Config):
    JWT_COOKIE_SECURE = False  # TLS ends at the load balancer


class DevelopmentConfig(Config):
    SQLALCHEMY_ECHO = True
    JWT_COOKIE_SECURE = False


class TestingConfig(Config):
    TESTING = True
    JWT_COOKIE_CSRF_PROTECT = False
    JWT_COOKIE_SECURE = False
