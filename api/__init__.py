"""The web layer: a Flask app over the ``glossary`` core.

app = create_app({"GLOSSARY_FILE": "data/terms.yaml"})
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from glossary import config as defaults
from glossary import store


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(GLOSSARY_FILE=str(defaults.glossary_file()))
    app.config.from_prefixed_env("GLOSSARY")
    if config:
        app.config.from_mapping(config)
    app.json.ensure_ascii = False  # Chinese stays readable in every JSON response

    # Load (and validate) once at start: a broken file stops the app, not a request.
    app.extensions["glossary"] = store.load(app.config["GLOSSARY_FILE"])

    from api import errors, rest

    errors.register(app)
    app.register_blueprint(rest.blueprint)
    return app
