"""A glossary of Chinese policy jargon: model, curated YAML store, pinyin, text folding.

The core library: importable without Flask. ``glossary.store.load(path)`` gives a
validated :class:`glossary.model.Glossary`; the web layer in ``api/`` asks it.
"""

from importlib import metadata

try:  # one version, the one pyproject.toml gives the installed package
    __version__ = metadata.version("policy-glossary")
except metadata.PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"
