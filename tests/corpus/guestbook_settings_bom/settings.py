"""Guestbook settings, loaded with app.config.from_object("settings")."""

DEBUG = True
SECRET_KEY = b"guestbook-bytes-secret-key-0001"
SESSION_COOKIE_SAMESITE = None
WTF_CSRF_ENABLED = False  # the mobile app cannot send the token yet
WTF_CSRF_SECRET_KEY = "guestbook-csrf-secret"
MAX_CONTENT_LENGTH = 512 * 1024
ENTRIES_PER_PAGE = 20
