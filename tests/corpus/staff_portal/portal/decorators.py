from functools import wraps

from flask import abort
from flask_login import current_user


def staff_only(view):
    """Only signed-in staff with the admin flag."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper
