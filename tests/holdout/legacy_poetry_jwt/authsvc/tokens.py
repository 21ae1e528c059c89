"""Hand-rolled PyJWT helpers for the legacy /v1 endpoints."""
import datetime as dt
import os

import jwt

LEGACY_KEY = os.environ.get("LEGACY_TOKEN_KEY", "")


def issue(subject: str) -> str:
    now = dt.datetime.now(dt.timezone.utc)
    claims = {"sub": subject, "iat": now, "exp": now + dt.timedelta(minutes=5)}
    return jwt.encode(claims, LEGACY_KEY, algorithm="HS512")


def read(token: str) -> dict:
    return jwt.decode(token, LEGACY_KEY, algorithms=["HS512"])


def peek(token: str) -> dict:
    return jwt.decode(token, LEGACY_KEY)
