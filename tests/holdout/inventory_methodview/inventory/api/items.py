from flask import abort, jsonify, request
from flask.views import MethodView
from flask_jwt_extended import jwt_required
from pydantic import BaseModel, Field, ValidationError

from . import store


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    quantity: int = Field(ge=0, le=100_000)


class ItemListAPI(MethodView):
    decorators = [jwt_required()]

    def get(self):
        limit = request.args.get("limit", 50, type=int)
        items = list(store.ITEMS.values())[:limit]
        return jsonify(items)

    def post(self):
        try:
            payload = ItemIn.model_validate(request.get_json())
        except ValidationError as exc:
            return jsonify(errors=exc.errors(include_input=False, include_url=False)), 422
        item = store.add(payload.name, payload.quantity)
        return jsonify(item), 201


class ItemAPI(MethodView):
    decorators = [jwt_required()]

    def _get_item(self, item_id):
        item = store.ITEMS.get(item_id)
        if item is None:
            abort(404)
        return item

    def get(self, item_id):
        return jsonify(self._get_item(item_id))

    def put(self, item_id):
        item = self._get_item(item_id)
        item["name"] = request.json["name"]
        item["quantity"] = int(request.json.get("quantity", item["quantity"]))
        return jsonify(item)

    def delete(self, item_id):
        self._get_item(item_id)
        store.ITEMS.pop(item_id)
        return "", 204
