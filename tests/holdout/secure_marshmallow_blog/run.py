import os

from blog import create_app

app = create_app()

if __name__ == "__main__":
    app.run(
        host=os.environ.get("BLOG_HOST", "127.0.0.1"),
        port=int(os.environ.get("BLOG_PORT", "8000")),
        debug=os.environ.get("FLASK_DEBUG") == "1",
    )
