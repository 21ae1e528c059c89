# flask run picks these up (python-dotenv)
FLASK_APP=gallery
FLASK_DEBUG=1
FLASK_RUN_HOST=127.0.0.1
