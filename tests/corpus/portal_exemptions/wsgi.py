import os

from portal import create_app

app = create_app(os.environ.get("PORTAL_CONFIG", "config.ProductionConfig"))

if __name__ == "__main__":
    if os.environ.get("FLASK_ENV") == "development":
        app.run(debug=True)
    else:
        app.run()
