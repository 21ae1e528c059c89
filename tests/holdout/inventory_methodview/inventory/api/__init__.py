from .auth import bp as auth_bp
from .items import ItemAPI, ItemListAPI


def register_api(app):
    app.register_blueprint(auth_bp)
    item_list = ItemListAPI.as_view("items")
    item = ItemAPI.as_view("item")
    app.add_url_rule("/api/items", view_func=item_list, methods=["GET", "POST"])
    app.add_url_rule("/api/items/<int:item_id>", view_func=item, methods=["GET", "PUT", "DELETE"])
