"""The web layer: a Flask app over the ``glossary`` core.

    app = create_app({"GLOSSARY_FILE": "data/terms.yaml", "GLOSSARY_INDEX_DIR": "/tmp/index"})

Settings come from the mapping given, else from their ``GLOSSARY_*`` environment
variables (``GLOSSARY_FILE``, ``GLOSSARY_INDEX_DIR``, ``GLOSSARY_CHECK_INTERVAL``,
``GLOSSARY_CORS_ORIGINS``, ``GLOSSARY_BASE_URL``, ``GLOSSARY_INSTANCE_DIR``,
``GLOSSARY_COOKIE_SECURE``, ``GLOSSARY_SECRET_KEY``: ``glossary.config`` reads each),
else from the defaults.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_wtf.csrf import CSRFProtect

from glossary import accounts
from glossary import config as settings
from glossary.service import GlossaryService, Snapshot


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        GLOSSARY_FILE=str(settings.glossary_file()),
        GLOSSARY_INDEX_DIR=str(settings.index_dir()),
        GLOSSARY_CHECK_INTERVAL=settings.check_interval(),
        GLOSSARY_CORS_ORIGINS=settings.cors_origins(),
        GLOSSARY_BASE_URL=settings.base_url(),
        GLOSSARY_INSTANCE_DIR=str(settings.instance_dir()),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,  # /annotate bodies; larger ones get a 413
        # Curators' sessions (api/auth.py); https only unless GLOSSARY_COOKIE_SECURE=0.
        SESSION_COOKIE_NAME="glossary_session",
        SESSION_COOKIE_SECURE=settings.cookie_secure(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Sent to the review pages only: public pages (cached for a minute) never get it.
        SESSION_COOKIE_PATH="/review",
        # Set at login and logout only, never again on a page a cache might keep.
        SESSION_REFRESH_EACH_REQUEST=False,
        PERMANENT_SESSION_LIFETIME=accounts.SESSION_LIFETIME,
        # A form stays good as long as the session (Flask-WTF's default: one hour).
        WTF_CSRF_TIME_LIMIT=int(accounts.SESSION_LIFETIME.total_seconds()),
    )
    if config:
        app.config.from_mapping(config)
    if not app.config["SECRET_KEY"]:  # after the mapping: it may name another instance dir
        app.config["SECRET_KEY"] = accounts.secret_key(app.config["GLOSSARY_INSTANCE_DIR"])
    app.json.ensure_ascii = False  # Chinese stays readable in every JSON response

    # Load, validate and index once at start: a broken file stops the app, not a request.
    app.extensions["glossary"] = GlossaryService(
        app.config["GLOSSARY_FILE"],
        app.config["GLOSSARY_INDEX_DIR"],
        float(app.config["GLOSSARY_CHECK_INTERVAL"]),
        Path(app.config["GLOSSARY_INSTANCE_DIR"]),
    )
    app.extensions["curators"] = accounts.Curators(app.config["GLOSSARY_INSTANCE_DIR"])

    from api import auth, cors, errors, formats, openapi, pages, rest, review, security, widget

    errors.register(app)
    cors.register(app)
    security.register(app)
    # Every form posts a CSRF token, except to the public API: cookieless, read-only.
    csrf = CSRFProtect(app)
    csrf.exempt(rest.blueprint)
    csrf.exempt(formats.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(review.blueprint)
    app.register_blueprint(rest.blueprint)
    app.register_blueprint(formats.blueprint)
    app.register_blueprint(openapi.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(widget.blueprint)
    return app


def snapshot() -> Snapshot:
    """The glossary and search this request works with (fresh if the file changed)."""
    return current_app.extensions["glossary"].current()
