import os

from portal import create_app

app = create_app(os.environ.get("PORTAL_CONFIG", "config.ProductionConfig"))
