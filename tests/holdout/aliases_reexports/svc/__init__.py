import os

import flask as fl

from .compat import RateLimiter, SecureHeaders, client_ip

limiter = RateLimiter(client_ip, default_limits=["60 per minute"])


def build():
    application = fl.Flask(__name__)
    application.config.from_prefixed_env()
    application.config.setdefault("MAX_CONTENT_LENGTH", 64 * 1024)
    application.config.setdefault("API_KEY", os.environ.get("SVC_API_KEY", ""))
    SecureHeaders(application, content_security_policy=None, force_https=False)
    limiter.init_app(application)

    @application.before_request
    def load_key():
        fl.g.api_key = application.config["API_KEY"]

    from .web.routes import web

    application.register_blueprint(web)
    return application
