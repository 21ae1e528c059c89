"""JSON API for the front end; JWT in cookies."""

from flask import Blueprint, jsonify, request
from flask.views import MethodView
from flask_jwt_extended import get_jwt_identity, jwt_required
from pydantic import ValidationError

from .extensions import db
from .models import Appointment
from .schemas import AppointmentIn

bp = Blueprint("api", __name__)


class AppointmentList(MethodView):
    decorators = [jwt_required()]

    def get(self):
        rows = db.session.execute(db.select(Appointment).order_by(Appointment.id)).scalars()
        return jsonify([{"id": a.id, "patient_id": a.patient_id, "slot": a.slot} for a in rows])

    def post(self):
        try:
            data = AppointmentIn.model_validate(request.get_json(silent=True) or {})
        except ValidationError as exc:
            return jsonify(errors=exc.errors(include_url=False, include_context=False)), 422
        appointment = Appointment(patient_id=data.patient_id, slot=data.slot)
        db.session.add(appointment)
        db.session.commit()
        return jsonify(id=appointment.id, booked_by=get_jwt_identity()), 201


bp.add_url_rule("/appointments", view_func=AppointmentList.as_view("appointments"))


@bp.delete("/appointments/<int:appointment_id>")
def cancel_appointment(appointment_id):
    appointment = db.get_or_404(Appointment, appointment_id)
    db.session.delete(appointment)
    db.session.commit()
    return "", 204


@bp.get("/me")
@jwt_required()
def me():
    return jsonify(id=get_jwt_identity())
