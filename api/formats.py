"""The glossary in other tools' formats: downloads, RDF by content negotiation, Atom.

- ``GET /api/v1/export.{ttl,rdf,jsonld,tbx,csv,jsonl}[?status=reviewed]``: what
  ``glossary export`` writes, rendered once per glossary version (``Snapshot.download``),
  with an ETag of that version;
- ``/terms/<id>`` and ``/api/v1/terms/<id>`` answer RDF too (``api.linked``);
- ``GET /feed.atom``: the newly reviewed terms.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint

from api import snapshot
from api.linked import base_url
from api.params import ExportParams
from api.rest import params, revalidated
from glossary.downloads import DOWNLOADS
from glossary.errors import NotFound

blueprint = Blueprint("formats", __name__)


def _etag(*parts: str) -> str:
    return hashlib.sha1(" ".join((snapshot().fingerprint, *parts)).encode()).hexdigest()[:20]


@blueprint.get("/api/v1/export.<extension>")
def export(extension: str):
    kind = DOWNLOADS.get(extension)
    if kind is None:
        raise NotFound(f"no export is named export.{extension}: try {', '.join(DOWNLOADS)}")
    status = params(ExportParams)["status"]
    statuses = (status,) if status else ()
    base = base_url()
    response = revalidated(
        lambda: snapshot().download(extension, base, statuses),
        _etag("export", extension, base, *statuses),
        kind.media_type,
    )
    name = f"glossary{'-' + status if status else ''}.{extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _atom(state, base: str) -> bytes:
    from glossary import feed  # feedgen: loaded when the feed is first asked for

    changes = state.changes
    served = next((v.seen_at for v in changes.versions if v.file_hash == state.version), None)
    return feed.atom(state.glossary, changes.since(), base, since=served)


@blueprint.get("/feed.atom")
def atom_feed():
    base = base_url()
    state = snapshot()
    return revalidated(
        lambda: _atom(state, base),
        _etag("feed", base, str(len(state.changes.events))),
        "application/atom+xml; charset=utf-8",
    )
