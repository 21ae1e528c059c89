# -*- coding: latin-1 -*-
# Vues de la médiathèque municipale. Ce fichier est encodé en latin-1 (ISO-8859-1).
import os
import traceback

from flask import jsonify, request, send_file

from app import app

MEDIA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "medias")
TITRE = "Médiathèque de Saint-Étienne"


@app.route("/")
def accueil():
    return jsonify(titre=TITRE, fichiers=sorted(os.listdir(MEDIA_DIR)))


@app.route("/media/<path:nom>")
def media(nom):
    return send_file(os.path.join(MEDIA_DIR, nom))


@app.route("/notes")
def lire_note():
    nom = request.args.get("fichier", "lisez-moi.txt")
    try:
        with open(os.path.join(MEDIA_DIR, nom), encoding="utf-8") as fh:
            return jsonify(contenu=fh.read(), titre="Note éditée")
    except OSError as exc:
        return jsonify(erreur=str(exc)), 404


@app.errorhandler(500)
def erreur_interne(e):
    return jsonify({"erreur": "Erreur interne", "détail": traceback.format_exc()}), 500
