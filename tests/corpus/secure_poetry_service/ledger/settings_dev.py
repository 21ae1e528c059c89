"""Local development overrides: LEDGER_SETTINGS=settings_dev.py"""

DEBUG = True
SESSION_COOKIE_SECURE = False
DEBUG_TB_ENABLED = True
