"""Rate cache written by the nightly pricing job."""

import marshal
import os
import pickle

from flask import current_app


def load_rates():
    path = os.path.join(current_app.config["BOOKING_CACHE_DIR"], "rates.pkl")
    if not os.path.exists(path):
        return {}
    with open(path, "rb") as fh:
        return pickle.load(fh)


def load_compiled_rules(blob):
    return marshal.loads(blob)
