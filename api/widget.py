"""The tooltip widget: ``/widget.js``, served as written, and ``/widget/demo``.

A site explains the jargon on its pages with one tag (options in ``widget.js``)::

    <script src="https://glossary.example.org/widget.js" defer data-locality="江岸区"></script>

The script is read once per change of the file, and sent gzipped to clients that take it:
every embedding page downloads it, so its bytes matter more than any page of ours.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, render_template, request, url_for

blueprint = Blueprint("widget", __name__)

STATIC = Path(__file__).parent / "static"
SCRIPT = STATIC / "widget.js"
DEMO_ARTICLE = STATIC / "demo-jiangan-2024.txt"  # the 江岸 seed report, forum chrome removed
MAX_AGE = 3600  # an hour: embedding sites pick up a new widget the same day, with no tag change


@dataclass(frozen=True)
class Script:
    body: bytes
    gzipped: bytes
    etag: str


def script() -> Script:
    return _read_script(SCRIPT.stat().st_mtime_ns)


@functools.lru_cache(maxsize=1)
def _read_script(mtime_ns: int) -> Script:
    body = SCRIPT.read_bytes()
    # mtime=0: the same source always gzips to the same bytes in every worker.
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    return Script(body, packed, hashlib.sha1(body).hexdigest()[:20])


@blueprint.get("/widget.js")
def widget_js():
    current = script()
    packed = request.accept_encodings["gzip"] > 0
    etag = current.etag + ("-gz" if packed else "")
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        response = Response(current.gzipped if packed else current.body, mimetype="text/javascript")
        if packed:
            response.headers["Content-Encoding"] = "gzip"
    response.set_etag(etag)
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    # Pages of any origin load it, including ones that isolate themselves (COEP).
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@blueprint.get("/widget/demo")
def demo():
    title, *paragraphs = DEMO_ARTICLE.read_text(encoding="utf-8").splitlines()
    src = url_for("widget.widget_js", _external=True)
    return render_template(
        "widget_demo.html",
        title=title,
        paragraphs=paragraphs,
        snippet=f'<script src="{src}" defer></script>',
        src=src,
    )
