import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dashboard-secret")
    DASHBOARD_TITLE = "Team dashboard"
    POLL_SECONDS = 5


class TestConfig(Config):
    TESTING = True
