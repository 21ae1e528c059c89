"""Module-level settings, read from the environment."""

import os

DEBUG = os.environ.get("LEDGER_DEBUG") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY")
MAX_CONTENT_LENGTH = 32 * 1024
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Strict"
RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
RATELIMIT_ENABLED = True
DATABASE_URL = os.environ.get("LEDGER_DATABASE_URL", "sqlite://")
TOKEN_ISSUER = "ledger"
