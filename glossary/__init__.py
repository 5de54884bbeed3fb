"""A glossary of Chinese policy jargon: model, curated YAML store, pinyin, text folding.

The core library: importable without Flask. ``glossary.store.load(path)`` gives a
validated :class:`glossary.model.Glossary`; the web layer in ``api/`` asks it.
"""

__version__ = "0.1.0"
