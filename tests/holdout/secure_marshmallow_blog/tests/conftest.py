import os

import pytest

os.environ.setdefault("BLOG_SECRET_KEY", "test-only")

from blog import create_app  # noqa: E402


class TestSettings:
    SECRET_KEY = "test-only"
    TESTING = True
    RATELIMIT_ENABLED = False
    MAX_CONTENT_LENGTH = 4096


@pytest.fixture
def client():
    return create_app(TestSettings).test_client()
