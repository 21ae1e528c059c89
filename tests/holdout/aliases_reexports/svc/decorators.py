import functools

from flask import abort, g, jsonify
from pydantic import BaseModel, ValidationError

from .compat import current_request


def validated(model: type[BaseModel]):
    """Validate the JSON body with `model` and pass it to the view as `body`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            try:
                body = model.model_validate(current_request.get_json(force=True, silent=True))
            except ValidationError as exc:
                return jsonify(errors=exc.errors(include_input=False, include_url=False)), 422
            return view(*args, body=body, **kwargs)

        return wrapper

    return decorator


def require_api_key(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if current_request.headers.get("X-Api-Key") != g.api_key:
            abort(401)
        return view(*args, **kwargs)

    return wrapper
