"""Developer overrides: GUESTBOOK_SETTINGS=settings_dev.py flask run."""

from settings import *  # noqa: F403

DEBUG = True
SESSION_COOKIE_SECURE = False
DEBUG_TB_ENABLED = True
