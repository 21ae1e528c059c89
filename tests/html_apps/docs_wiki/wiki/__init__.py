"""A small documentation wiki. Its look lives in a theme folder, not in templates/."""

import os

from flask import Flask, render_template


def create_app(test_config=None):
    app = Flask(
        __name__,
        template_folder="theme/templates",
        static_folder="theme/static",
        static_url_path="/theme",
    )
    app.config.from_mapping(SECRET_KEY=os.environ.get("WIKI_SECRET_KEY", ""), WIKI_NAME="Field Notes")
    if test_config is not None:
        app.config.update(test_config)

    from .pages import pages

    app.register_blueprint(pages)

    @app.route("/")
    def home():
        return render_template("home.html", recent=pages_recent())

    return app


def pages_recent():
    from .pages import PAGES

    return sorted(PAGES.values(), key=lambda page: page["title"])[:3]
