from flask import jsonify, make_response, redirect, request
from flask_cors import cross_origin

from survey import app

ANSWERS = {}


@app.route("/api/surveys/<int:survey_id>/answers", methods=["POST"])
@cross_origin()
def submit_answer(survey_id):
    answer = request.values.get("answer", "")
    ANSWERS.setdefault(survey_id, []).append(answer)
    return jsonify(count=len(ANSWERS[survey_id])), 201


@app.route("/api/surveys/<int:survey_id>/results")
@cross_origin(origins="*", supports_credentials=True)
def results(survey_id):
    answers = ANSWERS.get(survey_id, [])
    return jsonify({a: answers.count(a) for a in set(answers)})


@app.post("/api/surveys/<int:survey_id>/share")
def share(survey_id):
    email = request.form["email"]
    resp = make_response(jsonify(shared_with=email, survey=survey_id))
    resp.set_cookie(
        "last_shared",
        email,
        httponly=True,
        max_age=86400,
    )
    return resp


@app.get("/done")
def done():
    return redirect(request.values["next"])
