from flask import Blueprint, jsonify, request
from flask_login import login_required
from pydantic import ValidationError

from .decorators import staff_only
from .extensions import db
from .models import Note, Patient
from .schemas import NoteIn, PatientIn

bp = Blueprint("patients", __name__)


@bp.get("/")
@login_required
def list_patients():
    patients = db.session.execute(db.select(Patient).order_by(Patient.id)).scalars()
    return jsonify([{"id": p.id, "name": p.name, "ward": p.ward} for p in patients])


@bp.post("/")
@login_required
def create_patient():
    try:
        data = PatientIn.model_validate(request.get_json(silent=True) or {})
    except ValidationError as exc:
        return jsonify(errors=exc.errors(include_url=False, include_context=False)), 422
    patient = Patient(name=data.name, ward=data.ward)
    db.session.add(patient)
    db.session.commit()
    return jsonify(id=patient.id), 201


@bp.post("/<int:patient_id>/notes")
def add_note(patient_id):
    db.get_or_404(Patient, patient_id)
    try:
        data = NoteIn.model_validate(request.get_json(silent=True) or {})
    except ValidationError as exc:
        return jsonify(errors=exc.errors(include_url=False, include_context=False)), 422
    note = Note(patient_id=patient_id, text=data.text)
    db.session.add(note)
    db.session.commit()
    return jsonify(id=note.id), 201


@bp.delete("/<int:patient_id>")
@staff_only
def delete_patient(patient_id):
    patient = db.get_or_404(Patient, patient_id)
    db.session.delete(patient)
    db.session.commit()
    return "", 204
