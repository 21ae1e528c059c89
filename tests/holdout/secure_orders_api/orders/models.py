from .extensions import db


class Order(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    customer = db.Column(db.String(80), nullable=False)
    sku = db.Column(db.String(40), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
