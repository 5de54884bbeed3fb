"""A glossary of Chinese policy jargon: model, curated YAML store, pinyin, text folding.

The core library: importable without Flask. ``glossary.store.load(path)`` gives a
validated :class:`glossary.model.Glossary`; the web layer in ``api/`` asks it.
"""

from __future__ import annotations

import functools


def __getattr__(name: str) -> str:
    # __version__ on first use: importlib.metadata costs every command 20 ms at start.
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _version() -> str:
    from importlib import metadata

    try:  # one version, the one pyproject.toml gives the installed package
        return metadata.version("policy-glossary")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"
