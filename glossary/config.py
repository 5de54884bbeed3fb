"""Where things live by default; every setting can be overridden with a GLOSSARY_ variable."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def glossary_file() -> Path:
    """``$GLOSSARY_FILE``, else ``data/terms.yaml`` of this checkout."""
    return Path(os.environ.get("GLOSSARY_FILE", PROJECT_ROOT / "data" / "terms.yaml"))


def index_dir() -> Path:
    """``$GLOSSARY_INDEX_DIR``, else ``instance/index`` of this checkout (the app's default)."""
    return Path(os.environ.get("GLOSSARY_INDEX_DIR", PROJECT_ROOT / "instance" / "index"))
