"""Linked data: the addresses URIs are made under, and RDF by content negotiation.

``/terms/<id>`` and ``/api/v1/terms/<id>`` asked with ``Accept: text/turtle``,
``application/rdf+xml`` or ``application/ld+json`` answer that concept in SKOS
(``glossary.skos.concept_graph``); HTML and JSON stay their defaults.

URIs are made under ``GLOSSARY_BASE_URL`` where it is set, else under the address the
request came to, as the API's own links are.
"""

from __future__ import annotations

from flask import Response, current_app, request, url_for

from api import snapshot
from glossary.downloads import DOWNLOADS

# media type: rdflib's name of the syntax (rdflib itself is loaded when first asked).
RDF_TYPES = {d.media_type.split(";")[0]: d.rdf_format for d in DOWNLOADS.values() if d.rdf_format}


def base_url() -> str:
    return current_app.config.get("GLOSSARY_BASE_URL") or url_for("pages.home", _external=True)


def negotiated_rdf(term_id: str, default: str) -> Response | None:
    """The SKOS of ``term_id`` if the client prefers an RDF type to ``default``; None
    otherwise: the caller answers as usual, through :func:`varies`."""
    best = request.accept_mimetypes.best_match([default, *RDF_TYPES], default=default)
    if best not in RDF_TYPES:
        return None
    from glossary import skos

    graph = skos.concept_graph(snapshot().glossary, term_id, base_url())
    body = skos.serialise(graph, RDF_TYPES[best])
    response = varies(Response(body, content_type=f"{best}; charset=utf-8"))
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def varies(response: Response) -> Response:
    """Say that the answer depends on Accept, so that no cache gives HTML for Turtle."""
    response.vary.add("Accept")
    return response
