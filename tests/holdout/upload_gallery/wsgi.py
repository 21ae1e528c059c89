from werkzeug.debug import DebuggedApplication

from gallery import create_app

app = create_app()
app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)
