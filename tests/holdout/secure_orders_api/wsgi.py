import os

from orders import create_app
from orders.config import Config, DevelopmentConfig

app = create_app(DevelopmentConfig if os.environ.get("FLASK_ENV") == "development" else Config)

if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), debug=os.environ.get("FLASK_DEBUG") == "1")
