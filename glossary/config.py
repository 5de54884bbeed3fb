"""Settings that come from the environment: one ``GLOSSARY_`` variable each, read here.

    GLOSSARY_CHECK_INTERVAL=2.5 glossary ...   →   config.check_interval() == 2.5

Each function reads its variable when called, so a value set before the app or the
command starts takes effect; a value that is not valid is an error naming the variable.
The gunicorn settings (``GLOSSARY_BIND``, ``GLOSSARY_WORKERS``, ``GLOSSARY_THREADS``,
``GLOSSARY_LOG_LEVEL``) are read by ``gunicorn.conf.py``; the report limits by
``glossary.harvest``.
"""

from __future__ import annotations

import os
from pathlib import Path

from glossary.errors import GlossaryError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingError(GlossaryError):
    code = "invalid_setting"


def glossary_file() -> Path:
    """``$GLOSSARY_FILE``, else ``data/terms.yaml`` of this checkout."""
    return Path(os.environ.get("GLOSSARY_FILE") or PROJECT_ROOT / "data" / "terms.yaml")


def index_dir() -> Path:
    """``$GLOSSARY_INDEX_DIR``, else ``instance/index`` of this checkout."""
    return Path(os.environ.get("GLOSSARY_INDEX_DIR") or PROJECT_ROOT / "instance" / "index")


def instance_dir() -> Path:
    """``$GLOSSARY_INSTANCE_DIR``, else ``instance/`` of this checkout: curators, session key."""
    return Path(os.environ.get("GLOSSARY_INSTANCE_DIR") or PROJECT_ROOT / "instance")


def base_url() -> str | None:
    """``$GLOSSARY_BASE_URL``: the address the service is reached at, under which exports,
    feeds and RDF make their URIs; None: the web layer uses the address asked for."""
    return os.environ.get("GLOSSARY_BASE_URL", "").strip() or None


def secret_key() -> str | None:
    """``$GLOSSARY_SECRET_KEY``, or None: then ``glossary.accounts`` keeps one in the instance dir.

    Shorter keys are refused: whoever guesses the key can sign themselves a curator's session.
    """
    value = os.environ.get("GLOSSARY_SECRET_KEY", "").strip()
    if value and len(value) < 32:
        raise SettingError(
            f"GLOSSARY_SECRET_KEY: {len(value)} characters, must be at least 32 "
            "(python -c 'import secrets; print(secrets.token_hex(32))' makes one)"
        )
    return value or None


def cookie_secure() -> bool:
    """``$GLOSSARY_COOKIE_SECURE``: ``0``, ``false`` or ``no`` lets the session cookie go over http.

    On by default: a curator's session cookie then travels over https only. Turn it off
    only for a service on plain http (a LAN), where browsers would never send it back.
    """
    value = os.environ.get("GLOSSARY_COOKIE_SECURE", "")
    if value.strip().lower() in ("", "1", "true", "yes"):
        return True
    if value.strip().lower() in ("0", "false", "no"):
        return False
    raise SettingError(f"GLOSSARY_COOKIE_SECURE={value!r}: must be 1, true, yes, 0, false or no")


def check_interval() -> float:
    """``$GLOSSARY_CHECK_INTERVAL``: seconds between looks at the glossary file (1.0)."""
    return number("GLOSSARY_CHECK_INTERVAL", 1.0, float, minimum=0)


def cors_origins() -> str:
    """``$GLOSSARY_CORS_ORIGINS``: ``*`` or a comma-separated list of allowed origins."""
    return os.environ.get("GLOSSARY_CORS_ORIGINS", "").strip() or "*"


def cache_dir() -> Path:
    """``$GLOSSARY_CACHE_DIR``, else ``~/.cache/policy-glossary`` (jieba's dictionary cache)."""
    default = Path.home() / ".cache" / "policy-glossary"
    return Path(os.environ.get("GLOSSARY_CACHE_DIR") or default)


def answers_kept() -> int:
    """``$GLOSSARY_ANSWERS_KEPT``: how many answers each worker keeps per glossary version,
    of searches and of suggestions each (default 4096; 0 keeps none, to measure searches
    as a cold query costs)."""
    return number("GLOSSARY_ANSWERS_KEPT", 4096, minimum=0)


def number(name: str, default: float, kind: type = int, minimum: float = 1):
    """The variable ``name`` as a ``kind`` of at least ``minimum``; ``default`` if unset."""
    value = os.environ.get(name, "").strip().replace("_", "")
    if not value:
        return default
    try:
        parsed = kind(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed < minimum:
        raise SettingError(f"{name}={value!r}: must be a number of at least {minimum}")
    return parsed
