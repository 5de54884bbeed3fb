"""The web layer: a Flask app over the ``glossary`` core.

    app = create_app({"GLOSSARY_FILE": "data/terms.yaml", "GLOSSARY_INDEX_DIR": "/tmp/index"})

Settings come from the mapping given, else from their ``GLOSSARY_*`` environment
variables (``GLOSSARY_FILE``, ``GLOSSARY_INDEX_DIR``, ``GLOSSARY_CHECK_INTERVAL``,
``GLOSSARY_CORS_ORIGINS``: ``glossary.config`` reads each), else from the defaults.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from glossary import config as settings
from glossary.service import GlossaryService, Snapshot


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        GLOSSARY_FILE=str(settings.glossary_file()),
        GLOSSARY_INDEX_DIR=str(settings.index_dir()),
        GLOSSARY_CHECK_INTERVAL=settings.check_interval(),
        GLOSSARY_CORS_ORIGINS=settings.cors_origins(),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,  # /annotate bodies; larger ones get a 413
    )
    if config:
        app.config.from_mapping(config)
    app.json.ensure_ascii = False  # Chinese stays readable in every JSON response

    # Load, validate and index once at start: a broken file stops the app, not a request.
    app.extensions["glossary"] = GlossaryService(
        app.config["GLOSSARY_FILE"],
        app.config["GLOSSARY_INDEX_DIR"],
        float(app.config["GLOSSARY_CHECK_INTERVAL"]),
    )

    from api import cors, errors, openapi, pages, rest, security, widget

    errors.register(app)
    cors.register(app)
    security.register(app)
    app.register_blueprint(rest.blueprint)
    app.register_blueprint(openapi.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(widget.blueprint)
    return app


def snapshot() -> Snapshot:
    """The glossary and search this request works with (fresh if the file changed)."""
    return current_app.extensions["glossary"].current()
