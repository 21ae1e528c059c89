from pydantic import BaseModel, Field


class Credentials(BaseModel):
    email: str = Field(min_length=3, max_length=120)
    password: str = Field(min_length=1, max_length=200)


class PatientIn(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    ward: str = Field(min_length=1, max_length=40)


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000)


class AppointmentIn(BaseModel):
    patient_id: int
    slot: str = Field(min_length=1, max_length=40)
