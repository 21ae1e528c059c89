"""Back-office site, served by its own gunicorn on the internal port."""

import os

from flask import redirect, request, url_for
from flask_admin import Admin, BaseView, expose
from flask_admin.contrib.fileadmin import FileAdmin
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user

from portal import create_app
from portal.extensions import db
from portal.models import Appointment, Patient, User

app = create_app(os.environ.get("PORTAL_CONFIG", "config.ProductionConfig"))
admin = Admin(app, name="Ward portal")


class StaffModelView(ModelView):
    def is_accessible(self):
        return current_user.is_authenticated and current_user.is_admin

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.url))


class UserAdmin(StaffModelView):
    column_exclude_list = ["password_hash"]


class PatientAdmin(ModelView):
    column_searchable_list = ["name"]


class WardReportView(BaseView):
    @expose("/")
    def index(self):
        return self.render("admin/ward_report.html")


admin.add_view(UserAdmin(User, db.session))
admin.add_view(PatientAdmin(Patient, db.session))
admin.add_view(ModelView(Appointment, db.session))
admin.add_view(WardReportView(name="Ward report"))
admin.add_view(FileAdmin(os.environ.get("UPLOAD_DIR", "uploads"), name="Uploads"))
