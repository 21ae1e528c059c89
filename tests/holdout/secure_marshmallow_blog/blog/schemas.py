from marshmallow import Schema, fields, validate


class PostSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=120))
    body = fields.String(required=True, validate=validate.Length(max=20_000))
    tags = fields.List(fields.String(validate=validate.Length(max=30)), load_default=list)


class PageSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000))
    tag = fields.String(load_default=None, validate=validate.Length(max=30))


post_schema = PostSchema()
page_schema = PageSchema()
