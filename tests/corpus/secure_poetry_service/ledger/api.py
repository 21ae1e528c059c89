import datetime as dt
import os

import jwt
from flask import Blueprint, current_app, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .db import BALANCE, INSERT_ENTRY, engine

bp = Blueprint("api", __name__)


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    account: str = Field(pattern=r"^[a-z0-9-]{3,32}$")
    amount_cents: int = Field(ge=-10_000_000, le=10_000_000)
    memo: str = Field(default="", max_length=140)


ENTRIES = TypeAdapter(list[Entry])


def receipt_token(account, count):
    claims = {
        "iss": current_app.config["TOKEN_ISSUER"],
        "sub": account,
        "entries": count,
        "exp": dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=10),
    }
    return jwt.encode(claims, os.environ["LEDGER_SIGNING_KEY"], algorithm="RS256")


@bp.post("/entries")
def add_entries():
    try:
        entries = ENTRIES.validate_python(request.get_json(silent=True))
    except ValidationError:
        return jsonify(error="invalid entries"), 422
    with engine().begin() as conn:
        for entry in entries:
            conn.execute(INSERT_ENTRY, {"account": entry.account, "amount": entry.amount_cents, "memo": entry.memo})
    accounts = sorted({entry.account for entry in entries})
    return jsonify(receipts={a: receipt_token(a, len(entries)) for a in accounts}), 201


@bp.get("/accounts/<account>/balance")
def balance(account):
    with engine().connect() as conn:
        total = conn.execute(BALANCE, {"account": account}).scalar_one()
    return jsonify(account=account, balance_cents=total)
