"""Local development overrides: never deployed (see blog.create_app)."""
from settings import *  # noqa: F401,F403

DEBUG = True
SESSION_COOKIE_SECURE = False
DEBUG_TB_ENABLED = True
WTF_CSRF_ENABLED = False
