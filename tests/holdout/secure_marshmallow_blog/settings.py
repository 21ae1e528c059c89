"""Production settings, read from the environment."""
import os

SECRET_KEY = os.environ["BLOG_SECRET_KEY"]
MAX_CONTENT_LENGTH = int(os.environ.get("BLOG_MAX_BODY", str(128 * 1024)))
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
RATELIMIT_ENABLED = True
DEBUG = False
