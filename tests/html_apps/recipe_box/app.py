"""Recipe Box: a small server-rendered Flask site built on Bootstrap-Flask."""

import os

from flask import Flask, abort, jsonify, redirect, render_template, request, url_for
from flask_bootstrap import Bootstrap5

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "recipe-box-dev")
app.config["BOOTSTRAP_BOOTSWATCH_THEME"] = None

bootstrap = Bootstrap5(app)

RECIPES = [
    {
        "id": 1,
        "title": "Shakshuka",
        "minutes": 30,
        "photo": "https://images.unsplash.com/photo-1590412200988-a436970781fa?w=640",
        "steps": ["Soften onion and pepper", "Add tomatoes and spices", "Poach the eggs"],
    },
    {
        "id": 2,
        "title": "Lentil soup",
        "minutes": 45,
        "photo": "https://images.unsplash.com/photo-1547592166-23ac45744acd?w=640",
        "steps": ["Rinse the lentils", "Simmer with stock", "Blend half"],
    },
    {
        "id": 3,
        "title": "Focaccia",
        "minutes": 180,
        "photo": "https://images.unsplash.com/photo-1586444248902-2f64eddc13df?w=640",
        "steps": ["Mix and rest the dough", "Dimple with oil", "Bake hot"],
    },
]


def find_recipe(recipe_id):
    for recipe in RECIPES:
        if recipe["id"] == recipe_id:
            return recipe
    return None


@app.route("/")
def index():
    return render_template("index.html", recipes=RECIPES)


@app.route("/recipes/<int:recipe_id>")
def recipe(recipe_id):
    found = find_recipe(recipe_id)
    if found is None:
        abort(404)
    return render_template("recipe.html", recipe=found)


@app.route("/recipes/new", methods=["GET", "POST"])
def new_recipe():
    if request.method == "POST":
        title = request.form.get("title", "").strip()
        steps = request.form.get("steps", "").strip()
        if title and steps:
            RECIPES.append(
                {
                    "id": max(r["id"] for r in RECIPES) + 1,
                    "title": title,
                    "minutes": 0,
                    "photo": "",
                    "steps": [line for line in steps.splitlines() if line.strip()],
                }
            )
            return redirect(url_for("index"))
    return render_template("new_recipe.html")


@app.route("/about")
def about():
    return render_template("about.html")


@app.route("/api/recipes")
def api_recipes():
    return jsonify([{"id": r["id"], "title": r["title"]} for r in RECIPES])


if __name__ == "__main__":
    app.run()
