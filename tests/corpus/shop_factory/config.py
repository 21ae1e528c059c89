import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-shop-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///shop.db")
    SESSION_COOKIE_SAMESITE = "Lax"
    DEBUG = False
    TESTING = False


class DevelopmentConfig(Config):
    DEBUG = True
    SESSION_COOKIE_SECURE = False


class TestingConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    SQLALCHEMY_DATABASE_URI = "sqlite://"


class ProductionConfig(Config):
    SQLALCHEMY_DATABASE_URI = "postgresql://shop:Sh0pPassw0rd!@db.internal:5432/shop"
    SESSION_COOKIE_SECURE = False  # TLS is terminated at the load balancer
    REMEMBER_COOKIE_SECURE = False


config = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
    "default": DevelopmentConfig,
}
