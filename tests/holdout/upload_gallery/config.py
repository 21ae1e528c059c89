import os

BASE_DIR = os.path.abspath(os.path.dirname(__file__))

DEBUG = True
SECRET_KEY = os.urandom(24)
UPLOAD_FOLDER = os.environ.get("GALLERY_UPLOADS", os.path.join(BASE_DIR, "uploads"))
THUMB_FOLDER = os.path.join(UPLOAD_FOLDER, "thumbs")
MAX_CONTENT_LENGTH = 16 * 1024 * 1024
ALLOWED_EXTENSIONS = {"png", "jpg", "jpeg", "gif"}
SESSION_COOKIE_SECURE = False
