"""Downloads, RDF by content negotiation, the change feed and the Atom feed over HTTP."""

from __future__ import annotations

import csv
import io
import json
import re

import feedparser
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from api import create_app
from glossary import downloads
from glossary.curate import Desk
from glossary.history import file_hash
from tests.conftest import SAMPLE
from tests.test_changes import NEW_TERM, accept, seen
from tests.test_curate import GLOSSARY

TYPES = {
    "ttl": "text/turtle", "rdf": "application/rdf+xml", "jsonld": "application/ld+json",
    "tbx": "application/x-tbx+xml", "csv": "text/csv", "jsonl": "application/jsonl",
}  # fmt: skip
RDF = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}


def app_of(tmp_path, source: str = SAMPLE, **config):
    path = tmp_path / "terms.yaml"
    path.write_text(source, encoding="utf-8")
    return create_app({
        "GLOSSARY_FILE": str(path), "GLOSSARY_INDEX_DIR": str(tmp_path / "index"),
        "GLOSSARY_INSTANCE_DIR": str(tmp_path / "instance"), "GLOSSARY_CHECK_INTERVAL": 0,
        **config,
    })  # fmt: skip


@pytest.fixture
def client(tmp_path):
    return app_of(tmp_path).test_client()


@pytest.fixture
def curated(tmp_path):
    """A client of a glossary curated while it is served, and its file."""
    return app_of(tmp_path, GLOSSARY).test_client(), tmp_path / "terms.yaml"


@pytest.mark.parametrize("extension", sorted(TYPES))
def test_every_download_is_the_export_with_its_type_name_and_etag(client, tmp_path, extension):
    response = client.get(f"/api/v1/export.{extension}")
    assert response.status_code == 200 and response.mimetype == TYPES[extension]
    assert response.headers["Content-Disposition"] == f'attachment; filename="glossary.{extension}"'
    from glossary import store

    expected = downloads.download(
        store.load(tmp_path / "terms.yaml"), extension, "http://localhost/"
    )
    assert response.data == expected
    etag = response.headers["ETag"]
    for sent in (etag, f"W/{etag}"):
        again = client.get(f"/api/v1/export.{extension}", headers={"If-None-Match": sent})
        assert again.status_code == 304 and again.data == b""


def test_a_download_is_rendered_once_per_version(client, tmp_path, monkeypatch):
    calls = []
    real = downloads.download
    monkeypatch.setattr(downloads, "download", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    first = client.get("/api/v1/export.ttl")
    assert client.get("/api/v1/export.ttl").data == first.data and calls == ["ttl"]
    path = tmp_path / "terms.yaml"
    path.write_text(SAMPLE.replace("深化“1310”工作体系", "深化“1310”工作体系建设"), "utf-8")
    changed = client.get("/api/v1/export.ttl", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    assert "工作体系建设".encode() in changed.data and calls == ["ttl", "ttl"]


def test_a_download_of_one_status(client):
    response = client.get("/api/v1/export.jsonl?status=reviewed")
    statuses = {json.loads(line)["status"] for line in response.data.decode().splitlines()}
    assert statuses == {"reviewed"}
    assert 'filename="glossary-reviewed.jsonl"' in response.headers["Content-Disposition"]
    table = client.get("/api/v1/export.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert {r["id"] for r in rows} == {"san-ge-qu-fen-kai-lai", "wu-gong-li-nian", "1310"}


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/v1/export.ttl?status=approved", 400),
        ("/api/v1/export.xlsx", 404),
        ("/api/v1/export.", 404),
    ],
)
def test_bad_downloads_are_json_errors(client, url, status):
    response = client.get(url)
    assert response.status_code == status and response.json["error"]["status"] == status


def test_the_base_url_setting_makes_the_uris(tmp_path):
    client = app_of(tmp_path, GLOSSARY_BASE_URL="https://glossary.example/").test_client()
    graph = Graph().parse(data=client.get("/api/v1/export.ttl").data, format="turtle")
    concept = URIRef("https://glossary.example/terms/san-ge-qu-fen-kai-lai")
    assert (concept, SKOS.prefLabel, Literal("三个区分开来", lang="zh-Hans")) in graph


@pytest.mark.parametrize("media", sorted(RDF))
@pytest.mark.parametrize(
    "address", ["/terms/san-ge-qu-fen-kai-lai", "/api/v1/terms/san-ge-qu-fen-kai-lai"]
)
def test_a_term_answers_skos_when_asked_for_rdf(client, media, address):
    response = client.get(address, headers={"Accept": f"{media}, text/html;q=0.5"})
    assert response.status_code == 200 and response.mimetype == media
    assert "Accept" in response.headers["Vary"]
    graph = Graph().parse(data=response.data, format=RDF[media])
    concept = URIRef("http://localhost/terms/san-ge-qu-fen-kai-lai")
    assert (concept, SKOS.prefLabel, Literal("三个区分开来", lang="zh-Hans")) in graph
    assert len(list(graph.objects(concept, SKOS.definition))) == 1


def test_browsers_and_api_clients_keep_html_and_json(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = client.get("/terms/san-ge-qu-fen-kai-lai", headers={"Accept": browser})
    assert page.mimetype == "text/html" and "Accept" in page.headers["Vary"]
    for accept_header in ("*/*", "application/json", None):
        headers = {"Accept": accept_header} if accept_header else {}
        response = client.get("/api/v1/terms/san-ge-qu-fen-kai-lai", headers=headers)
        assert response.mimetype == "application/json" and response.json["id"]


def test_a_merged_id_still_redirects_when_rdf_is_asked_for(tmp_path):
    source = SAMPLE + "redirects:\n  san-ge-qu-fen: san-ge-qu-fen-kai-lai\n"
    client = app_of(tmp_path, source).test_client()
    response = client.get("/api/v1/terms/san-ge-qu-fen", headers={"Accept": "text/turtle"})
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/api/v1/terms/san-ge-qu-fen-kai-lai")


def test_changes_list_a_curation_operation_and_a_file_edit(curated):
    client, path = curated
    start = client.get("/api/v1/changes").json
    assert start["total"] == 0 and start["version"] == file_hash(path.read_bytes())[:16]
    record = accept(Desk(path))
    body = client.get("/api/v1/changes").json
    [change] = body["changes"]
    assert (change["id"], change["op"], change["kind"]) == ("san-xue-ji-zhi", "accept", "modified")
    assert (change["previous_status"], change["status"]) == ("candidate", "reviewed")
    assert change["version"] == body["version"] == record.file_after[:16]
    assert change["url"].endswith("/api/v1/terms/san-xue-ji-zhi") and "by" not in change
    path.write_text(path.read_text("utf-8") + NEW_TERM, "utf-8")  # an editor, a harvest
    body = client.get("/api/v1/changes").json
    assert [(c["id"], c["op"], c["kind"]) for c in body["changes"]] == [
        ("yi-biao-san-shi", "file", "new"), ("san-xue-ji-zhi", "accept", "modified"),
    ]  # fmt: skip
    since = client.get(f"/api/v1/changes?since={change['version']}").json
    assert [c["id"] for c in since["changes"]] == ["yi-biao-san-shi"]
    assert client.get(f"/api/v1/changes?since={body['version']}").json["changes"] == []


def test_changes_are_paged_newest_first(curated):
    client, path = curated
    desk = Desk(path)
    accept(desk)
    desk.reject("1310", seen(desk, "1310"), reason="只是编号", who="li")
    desk.reject("wu-gong", seen(desk, "wu-gong"), reason="简称", who="li")
    first = client.get("/api/v1/changes?per_page=2")
    assert first.json["total"] == 3 and first.json["pages"] == 2
    assert [c["id"] for c in first.json["changes"]] == ["wu-gong", "1310"]
    assert 'rel="next"' in first.headers["Link"]
    second = client.get(first.json["next"]).json
    assert [c["id"] for c in second["changes"]] == ["san-xue-ji-zhi"] and second["next"] is None
    assert client.get("/api/v1/changes?since=2000-01-01").json["total"] == 3
    assert client.get("/api/v1/changes?since=2999-01-01T00:00:00Z").json["total"] == 0


@pytest.mark.parametrize(
    "since, status", [("yesterday", 400), ("2026-13-01", 400), ("0123456789abcdef", 404)]
)
def test_a_bad_since_is_a_json_error(client, since, status):
    response = client.get(f"/api/v1/changes?since={since}")
    assert response.status_code == status and response.json["error"]["status"] == status


def test_the_atom_feed_lists_a_term_reviewed_while_served(curated):
    client, path = curated
    empty = client.get("/feed.atom")
    assert empty.mimetype == "application/atom+xml"
    assert feedparser.parse(empty.data).entries == []
    accept(Desk(path))
    response = client.get("/feed.atom", headers={"If-None-Match": empty.headers["ETag"]})
    assert response.status_code == 200
    parsed = feedparser.parse(response.data)
    assert parsed.version == "atom10" and not parsed.bozo
    assert [e.link for e in parsed.entries] == ["http://localhost/terms/san-xue-ji-zhi"]
    again = client.get("/feed.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_every_page_links_the_downloads_and_the_feed(client):
    page = client.get("/").data.decode()
    feed = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', page)
    assert feed and client.get(feed.group(1)).mimetype == "application/atom+xml"
    for extension in ("csv", "tbx", "ttl"):
        assert f'href="/api/v1/export.{extension}"' in page
        assert client.get(f"/api/v1/export.{extension}").status_code == 200
    term = client.get("/terms/san-ge-qu-fen-kai-lai").data.decode()
    turtle = '<link rel="alternate" type="text/turtle" href="http://localhost/terms/san-ge-qu-fen'
    assert turtle in term


def test_a_term_reviewed_by_editing_the_file_is_in_the_atom_feed(curated):
    client, path = curated
    client.get("/feed.atom")  # the version before the edit is served, and noted
    text = path.read_text("utf-8")
    at = text.index('  - id: "1310"')
    path.write_text(text[:at] + text[at:].replace("status: candidate", "status: reviewed", 1))
    parsed = feedparser.parse(client.get("/feed.atom").data)
    assert [e.title for e in parsed.entries] == ["“1310”"]
    assert parsed.entries[0].content[0].value == "一个目标、三大行动、十项举措。"
