"""A tiny in-memory store standing in for the real database layer."""
import itertools

_ids = itertools.count(1)
ITEMS = {}


def add(name, quantity):
    item_id = next(_ids)
    ITEMS[item_id] = {"id": item_id, "name": name, "quantity": quantity}
    return ITEMS[item_id]
