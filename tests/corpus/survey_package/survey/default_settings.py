# Default settings, loaded by survey/__init__.py.
SESSION_COOKIE_SECURE = False
WTF_CSRF_CHECK_DEFAULT = False  # forms opt in with csrf.protect()
DEBUG_TB_ENABLED = True
DEBUG_TB_INTERCEPT_REDIRECTS = False
MAX_CONTENT_LENGTH = 1 * 1024 * 1024
