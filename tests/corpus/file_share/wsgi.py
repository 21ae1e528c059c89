"""WSGI entry point used by the staging server."""

from werkzeug.debug import DebuggedApplication

from share import app

application = DebuggedApplication(app, evalex=True)
