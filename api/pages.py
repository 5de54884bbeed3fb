"""The browser glossary: server-rendered pages over the same core as the REST API.

    /                       search box, A–Z pinyin index, counts by status and place
    /index/<letter>         the terms under one letter, in pinyin order
    /search?q=              ranked hits, why each matched, filters, "did you mean"
    /terms/<id>             one entry: ruby pinyin, senses, sources, how to cite it
    /documents/<id>         a report and the terms it defines and uses
    /localities/<name>      the terms scoped to a place
    /favicon.ico            the site's icon, for clients that ask the root for it

Every page works without JavaScript; ``static/suggest.js`` only adds suggestions
while typing. Glossary text reaches templates as plain strings (autoescaped) or as
markup built from escaped pieces (``api.highlight``), never marked safe as it is.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from markupsafe import Markup

from api import snapshot
from api.highlight import excerpt, highlighted
from api.linked import negotiated_rdf, varies
from api.rest import with_query
from glossary import pinyin
from glossary.catalog import Catalog, Entry
from glossary.errors import NotFound
from glossary.export import short
from glossary.model import STATUSES, Document, Glossary, Source, Term
from glossary.query import MAX_QUERY, EmptyQuery, QueryError, QueryTooLong
from glossary.search import Hit

blueprint = Blueprint("pages", __name__)

SITE = "政策术语表"
LETTERS = ["0-9", *string.ascii_uppercase]
RESULTS = 50
FUZZY = ("fuzzy pinyin", "similar")
# Why a hit matched, as the results page says it (the API's ``matched`` codes).
MATCHED = {
    "headword": "词目", "alias": "别名", "pinyin": "拼音", "initials": "拼音首字母",
    "prefix": "词目开头", "pinyin prefix": "拼音开头", "initials prefix": "首字母开头",
    "substring": "词目片段", "pinyin substring": "拼音片段", "definition": "释义",
    "fuzzy pinyin": "近似拼音", "similar": "近似",
}  # fmt: skip
STATUS_LABELS = {"reviewed": "已审核", "candidate": "待审核", "deprecated": "已弃用"}
# The core's query errors (English, for the API) as the search page says them.
QUERY_PROBLEMS = {
    QueryTooLong: f"搜索词太长：最多 {MAX_QUERY} 个字符。",
    EmptyQuery: "搜索词里没有可以查找的文字：请输入汉字、拼音或拼音首字母。",
}
SOURCE_KINDS = {"glossary": "名词解释", "inline": "文中释义", "usage": "用例"}


@blueprint.record_once
def labels(state) -> None:
    # Globals rather than a context processor: imported macros see globals only.
    globals_ = {"site": SITE, "status_labels": STATUS_LABELS, "source_kinds": SOURCE_KINDS}
    state.app.jinja_env.globals.update(globals_)


@blueprint.after_request
def page_headers(response: Response) -> Response:
    # The Content-Security-Policy of every page is set app-wide (api/security.py).
    response.headers.setdefault("Cache-Control", "public, max-age=60")
    return response


@blueprint.get("/favicon.ico")
def favicon():
    # Asked for at the root by browsers and feed readers, whatever the page links.
    return send_from_directory(
        current_app.static_folder, "favicon.ico", mimetype="image/x-icon", max_age=86400
    )


# --- home and the A–Z index ------------------------------------------------------------


@blueprint.get("/")
def home():
    state = snapshot()
    counts = state.catalog.counts()
    return render_template(
        "home.html",
        letters=letter_links(state.catalog.letters()),
        by_status=counts["status"],
        by_locality=counts["locality"],
        terms=len(state.glossary.terms),
        documents=len(state.glossary.documents),
    )


def letter_links(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Every index letter with its count (0 for letters no term starts with)."""
    extra = [letter for letter in counts if letter not in LETTERS]  # "#": unreadable
    return [(letter, counts.get(letter, 0)) for letter in [*LETTERS, *extra]]


@blueprint.get("/index/<letter>")
def letter(letter: str):
    catalog = snapshot().catalog
    if letter != letter.upper():
        return redirect(url_for("pages.letter", letter=letter.upper()), 301)
    counts = catalog.letters()
    if letter not in LETTERS and letter not in counts:
        raise NotFound(f"“{letter}”不是索引字母：请用 A–Z 或 0-9")
    entries = catalog.terms(letter=letter, per_page=max(1, len(catalog.entries))).entries
    return render_template(
        "letter.html", letter=letter, entries=listed(entries), letters=letter_links(counts)
    )


@dataclass(frozen=True)
class Listed:
    """One line of a term list: the entry and its one-line definition."""

    entry: Entry
    summary: str | None


def listed(entries: list[Entry]) -> list[Listed]:
    return [Listed(e, short(e.term.definition, 80)) for e in entries]


# --- search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    hit: Hit
    why: str
    excerpt: Markup | None


@blueprint.get("/search")
def search():
    q = request.args.get("q", "").strip()
    locality = request.args.get("locality") or None
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    if not q:
        return render_template("search.html", q="", results=[], problem=None)
    search = snapshot().search
    try:
        everything = search.search(q, 100)
        found = search.search(q, RESULTS, locality, status)
    except QueryError as error:
        problem = QUERY_PROBLEMS.get(type(error), "无法按这个搜索词查找。")
        page = render_template("search.html", q=q, results=[], problem=problem)
        return page, 400
    results = [result(hit) for hit in found.hits]
    guesses = [r for r in results if r.hit.matched in FUZZY]
    return render_template(
        "search.html",
        q=q,
        problem=None,
        total=found.total,
        results=[] if len(guesses) == len(results) else results,
        guesses=guesses if len(guesses) == len(results) else [],
        locality=locality,
        status=status,
        facets=facets(listed_hits(everything.hits)),
    )


def listed_hits(hits: list[Hit]) -> list[Hit]:
    """The hits the page lists as results: none when all are "did you mean" guesses,
    which the page offers as other spellings, not as results to filter."""
    return [] if all(hit.matched in FUZZY for hit in hits) else hits


def result(hit: Hit) -> Result:
    if hit.definition and hit.highlights:
        shown = excerpt(hit.definition, hit.highlights)
    else:
        shown = highlighted(short(hit.definition, 90), []) if hit.definition else None
    return Result(hit, MATCHED.get(hit.matched, hit.matched), shown)


def facets(hits: list[Hit]) -> dict[str, dict[str, int]]:
    """Hits by status and by place, counted over the unfiltered results."""
    glossary = snapshot().glossary
    by_status: dict[str, int] = {}
    by_place: dict[str, int] = {}
    for hit in hits:
        by_status[hit.status] = by_status.get(hit.status, 0) + 1
        for place in dict.fromkeys(glossary.term(hit.id).scopes):
            by_place[place] = by_place.get(place, 0) + 1
    return {"status": by_status, "locality": dict(sorted(by_place.items(), key=lambda i: -i[1]))}


# --- one entry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Cited:
    """A source as the entry shows it: the document and the quote with the term marked."""

    source: Source
    document: Document
    quote: Markup


@blueprint.get("/terms/<term_id>")
def term(term_id: str):
    state = snapshot()
    entry = state.catalog.entry(term_id)
    if entry is None:
        # A term merged into another: the address people shared leads to where it went.
        if (new_id := state.glossary.moved(term_id)) is not None:
            return redirect(with_query(url_for("pages.term", term_id=new_id)), 301)
        raise NotFound(f"没有编号为“{term_id}”的术语")
    rdf = negotiated_rdf(term_id, "text/html")
    if rdf is not None:
        return rdf
    term = entry.term
    reading = pinyin.read(term.term, term.pinyin)
    permalink = url_for("pages.term", term_id=term.id, _external=True)
    senses = [(sense, cited(state.catalog, term, sense.sources)) for sense in term.senses]
    related = [e for e in map(state.catalog.entry, term.related) if e is not None]
    description = describe(term, reading.marks, state.glossary)
    page = render_template(
        "term.html",
        entry=entry,
        term=term,
        ruby=reading.ruby,
        reading=reading.marks,
        senses=senses,
        reach=state.catalog.reach(term),
        related=listed(related),
        permalink=permalink,
        description=description,
        citation=citation(term, permalink, state.glossary),
        linked_data=linked_data(term, description, permalink),
    )
    return varies(make_response(page))


def cited(catalog: Catalog, term: Term, sources: list[Source]) -> list[Cited]:
    glossary = catalog.glossary
    return [
        Cited(s, glossary.document(s.doc), highlighted(s.quote, catalog.mentions(term, s.quote)))
        for s in sources
    ]


def describe(term: Term, reading: str, glossary: Glossary) -> str:
    """The meta description and link preview: the reading and the definition, or where
    the pending term was seen."""
    if term.definition:
        return f"{term.term}（{reading}）：{short(term.definition, 140)}"
    documents = [glossary.document(s.doc) for s in Catalog.usages(term)]
    seen = f"，见于《{documents[0].title}》" if documents else ""
    return f"{term.term}（{reading}）：释义待补{seen}。"


def citation(term: Term, permalink: str, glossary: Glossary) -> str:
    """One line to paste into a paper or an article, naming the defining report."""
    defining = next((s for sense in term.senses for s in sense.sources if s.kind != "usage"), None)
    line = f"《{SITE}》{quoted(term.term)}条，{permalink}"
    if defining:
        document = glossary.document(defining.doc)
        when = f"，{document.date}" if document.date else ""
        line += f"；释义出自《{document.title}》（{document.locality or '地点不详'}{when}）"
    return line + "。"


def quoted(words: str) -> str:
    """“words”, with quotes already in them turned single as Chinese nesting wants:
    “‘1310’工作体系”."""
    return "“" + words.replace("“", "‘").replace("”", "’") + "”"


def linked_data(term: Term, description: str, permalink: str) -> dict:
    """schema.org DefinedTerm, so search engines know what the page defines."""
    data = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "name": term.term,
        "termCode": term.id,
        "url": permalink,
        "description": term.definition or description,
        "inDefinedTermSet": {
            "@type": "DefinedTermSet",
            "name": SITE,
            "url": url_for("pages.home", _external=True),
        },
    }
    if term.aliases:
        data["alternateName"] = term.aliases
    return data


# --- documents and places ------------------------------------------------------------------


@blueprint.get("/documents/<doc_id>")
def document(doc_id: str):
    state = snapshot()
    found = state.glossary.document(doc_id)
    if found is None:
        raise NotFound(f"没有编号为“{doc_id}”的报告")
    citing = state.catalog.citing(doc_id)
    # Only what a reader may see reaches the template: the file name is bookkeeping.
    shown = found.public()
    return render_template(
        "document.html",
        document=shown,
        original_site=urlsplit(shown["url"]).hostname if shown["url"] else None,
        defines=listed([state.catalog.entry(t.id) for t in citing.defines]),
        uses=listed([state.catalog.entry(t.id) for t in citing.uses]),
    )


@blueprint.get("/localities/<name>")
def locality(name: str):
    catalog = snapshot().catalog
    entries, documents = catalog.in_locality(name), catalog.documents_in(name)
    if not entries and not documents:
        raise NotFound(f"没有属于“{name}”的术语或报告")
    return render_template("locality.html", name=name, entries=listed(entries), documents=documents)
