import pickle as pkl
import subprocess
from subprocess import run as sh_run

from flask import Blueprint, jsonify
from pydantic import BaseModel, Field

from ..compat import allow_cross_origin, current_request as rq
from ..decorators import require_api_key, validated

web = Blueprint("web", __name__, url_prefix="/v1")


class Job(BaseModel):
    name: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9-]+$")
    retries: int = Field(default=0, ge=0, le=5)


@web.post("/jobs")
@require_api_key
@validated(Job)
def create_job(body: Job):
    out = subprocess.run(["echo", body.name], capture_output=True, text=True, check=True)
    return jsonify(name=body.name, echoed=out.stdout.strip(), retries=body.retries), 201


@web.get("/public/info")
@allow_cross_origin()
def public_info():
    return jsonify(service="svc", version="1.4")


@web.get("/partners/info")
@allow_cross_origin(origins=["https://partner.example.com"])
def partner_info():
    return jsonify(partner=True)


@web.post("/grep")
@require_api_key
def grep_logs():
    pattern = rq.form["pattern"]
    result = sh_run(f"grep -c '{pattern}' /dev/null", shell=True, capture_output=True, text=True)
    return jsonify(count=result.stdout.strip())


@web.post("/state")
@require_api_key
def restore_state():
    state = pkl.loads(rq.get_data())
    return jsonify(keys=sorted(state))
