"""The curators' pages: a queue from candidate to reviewed, over ``glossary.curate``.

    /review/                          candidates, the best evidence first, filtered
    /review/terms/<id>                one term: usages in context, proposed definitions,
                                      similar terms; accept, reject, merge, split, skip
    /review/terms/<id>/edit           every editable field, and a new source
    /review/terms/<id>/history        its changes with their differences, and undo
    /review/changes                   recent changes, and undo

Every page needs a logged-in curator (``api.auth``), works without JavaScript (forms
post and redirect), and answers ``Cache-Control: no-store``. ``static/review.js`` adds
the single-key actions listed on each page. Pages read the glossary file as it is now
(``Desk.glossary``), not the served snapshot, so the version a form carries is the one
the next operation checks.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request
from flask import url_for as flask_url_for

from api.auth import current_curator, login_required, safe_next
from api.highlight import highlighted
from api.review_forms import edit_values, edited_fields, own_edits
from glossary import curate
from glossary.curate import Conflict, CurationError, Desk
from glossary.errors import GlossaryFileError, NotFound
from glossary.model import Term
from glossary.text import occurs

blueprint = Blueprint("review", __name__, url_prefix="/review")

FILTERS = ("place", "category", "document")
PER_PAGE = 50
FIELD_NAMES = {
    "term": "词目", "aliases": "别名", "pinyin": "拼音", "status": "状态", "reason": "弃用理由",
    "category": "类别", "senses": "释义", "related": "相关术语", "english": "英文",
    "definition": "释义", "scope": "适用地方", "parts": "组成", "sources": "出处",
    "redirect": "跳转到", "title": "标题", "locality": "地方", "date": "日期", "url": "原文地址",
    "publisher": "发布者", "file": "文件", "id": "id",
}  # fmt: skip
_SENSE_FIELD = re.compile(r"^senses\[(\d+)\]\.(\w+)$")


@blueprint.app_template_filter("field_label")
def field_label(path: str) -> str:
    """A changed field as a curator reads it: senses[0].definition -> 释义 1 · 释义."""
    sense = _SENSE_FIELD.match(path)
    if sense:
        return f"释义 {int(sense[1]) + 1} · {FIELD_NAMES.get(sense[2], sense[2])}"
    return FIELD_NAMES.get(path, path)


@blueprint.before_request
@login_required
def _curators_only() -> None:
    """Every page of the blueprint needs a curator; ``login_required`` answers otherwise."""


@blueprint.after_request
def _never_stored(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def desk() -> Desk:
    app = current_app
    if "desk" not in app.extensions:
        app.extensions["desk"] = Desk(app.config["GLOSSARY_FILE"])
    return app.extensions["desk"]


def filters() -> dict[str, str]:
    """The queue's filters, carried from page to page in the address (links and form
    actions) so a skip stays in the same queue. Never from a form's fields: the edit
    form's ``category`` is the term's, not the queue's."""
    return {name: value for name in FILTERS if (value := request.args.get(name, "").strip())}


def url_for(endpoint: str, **values) -> str:
    return flask_url_for(endpoint, **values, **filters())


# --- the queue -------------------------------------------------------------------------


@blueprint.get("/")
def queue():
    queue = desk().queue()
    found = queue.candidates(**{k: filters().get(k) for k in FILTERS})
    page = max(1, request.args.get("page", 1, type=int) or 1)
    glossary = queue.glossary
    return render_template(
        "review_queue.html",
        candidates=found[(page - 1) * PER_PAGE : page * PER_PAGE],
        total=len(found), page=page, pages=max(1, -(-len(found) // PER_PAGE)),
        filters=filters(), curator=current_curator(),
        places=sorted({d.locality for d in glossary.documents if d.locality}),
        categories=sorted({t.category for t in glossary.terms if t.category}),
        documents=glossary.documents, done=_done(),
    )  # fmt: skip


# --- one term --------------------------------------------------------------------------


@blueprint.get("/terms/<term_id>")
def term(term_id: str):
    return term_page(find(term_id))


def find(term_id: str) -> Term:
    glossary = desk().glossary()
    term = glossary.term(term_id)
    if term is not None:
        return term
    moved = glossary.moved(term_id)
    if moved:
        abort(redirect(url_for(request.endpoint, term_id=moved), 301))
    raise NotFound(f"no term has id '{term_id}'")


def term_page(term: Term, problem: str | None = None, form: dict | None = None, status=200):
    queue = desk().queue()
    catalog = queue.catalog
    quotes = [
        (number, sense, source, highlighted(source.quote, catalog.mentions(term, source.quote)),
         _proposed_for(sense, source.quote))
        for number, (_, sense, source) in enumerate(queue.quotes(term), start=1)
    ]  # fmt: skip
    return render_template(
        "review_term.html",
        term=term, version=curate.version(term), entry=catalog.entry(term.id),
        reach=catalog.reach(term), quotes=quotes, similar=queue.similar(term),
        proposals=queue.proposals(term), documents=desk().glossary(),
        splittable=_splittable(term), next_id=queue.after(term.id, **_queue_filters()),
        done=_done(), problem=problem,
        form=form or {}, filters=filters(), curator=current_curator(),
    ), status  # fmt: skip


def _done():
    """The change just made (``?done=N``), shown with its undo button."""
    number = request.args.get("done", type=int)
    return desk().history.record(number) if number else None


def _proposed_for(sense, quote: str) -> str:
    """What the accept form of a quote starts with: the report's proposed definition if
    it is text of that quote, else the whole quote for the curator to trim."""
    if sense.definition and occurs(sense.definition, quote):
        return sense.definition
    return quote


def _splittable(term: Term) -> list[int]:
    glossary = desk().glossary()
    found = []
    for number, sense in enumerate(term.senses):
        where = {getattr(glossary.document(s.doc), "locality", None) for s in sense.sources}
        if len(where) > 1:
            found.append(number)
    return found


def _queue_filters() -> dict[str, str | None]:
    return {k: filters().get(k) for k in FILTERS}


# --- the operations --------------------------------------------------------------------


def operate(term_id: str, action, *, then: str = "next"):
    """Run ``action(desk, version, who)``; then the next candidate (or this term) with
    the change and its undo button, a conflict page, or this page with the problem."""
    form = request.form.to_dict()
    term = find(term_id)
    next_id = desk().queue().after(term_id, **_queue_filters()) if then == "next" else term_id
    try:
        record = action(desk(), form.get("version", ""), current_curator())
    except Conflict as conflict:
        return conflict_page(term_id, conflict, form)
    except (CurationError, GlossaryFileError) as error:
        return term_page(term, problem=str(error), form=form, status=400)
    if next_id is None or desk().glossary().term(next_id) is None:
        return redirect(url_for("review.queue", done=record.id), 303)
    return redirect(url_for("review.term", term_id=next_id, done=record.id), 303)


@blueprint.post("/terms/<term_id>/accept")
def accept(term_id: str):
    form = request.form
    return operate(term_id, lambda d, seen, who: d.accept(
        term_id, seen, quote=form.get("quote", ""), definition=form.get("definition"), who=who,
        why=form.get("why", "")))  # fmt: skip


@blueprint.post("/terms/<term_id>/reject")
def reject(term_id: str):
    reason = request.form.get("reason", "")
    return operate(term_id, lambda d, seen, who: d.reject(term_id, seen, reason=reason, who=who))


@blueprint.post("/terms/<term_id>/merge")
def merge(term_id: str):
    into = (request.form.get("into_other") or request.form.get("into") or "").strip()

    def action(d: Desk, seen: str, who: str):
        target = d.glossary().term(into)
        if target is None:
            raise CurationError(f"no term has id '{into}' to merge into")
        into_seen = request.form.get(f"into_version_{into}") or curate.version(target)
        return d.merge(term_id, seen, into=into, into_seen=into_seen, who=who,
                       why=request.form.get("why", ""))  # fmt: skip

    return operate(term_id, action)


@blueprint.post("/terms/<term_id>/split")
def split(term_id: str):
    sense = request.form.get("sense", 0, type=int)
    return operate(term_id, lambda d, seen, who: d.split(term_id, seen, sense=sense, who=who),
                   then="stay")  # fmt: skip


@blueprint.route("/terms/<term_id>/edit", methods=["GET", "POST"])
def edit(term_id: str):
    term = find(term_id)
    if request.method == "GET":
        return edit_page(term)
    try:
        fields = edited_fields(term, request.form)
        record = desk().edit(term_id, request.form.get("version", ""), who=current_curator(),
                             why=request.form.get("why", ""), **fields)  # fmt: skip
    except Conflict as conflict:
        return conflict_page(term_id, conflict, own_edits(conflict.base, request.form))
    except (CurationError, GlossaryFileError) as error:
        return edit_page(term, problem=str(error), form=request.form.to_dict(), status=400)
    return redirect(url_for("review.term", term_id=term_id, done=record.id), 303)


def edit_page(term: Term, problem: str | None = None, form: dict | None = None, status=200):
    glossary = desk().glossary()
    cited = list(dict.fromkeys(s.doc for sense in term.senses for s in sense.sources))
    return render_template(
        "review_edit.html", term=term, version=curate.version(term), problem=problem,
        form=form or {}, cited=[glossary.document(d) for d in cited if glossary.document(d)],
        documents=glossary.documents, filters=filters(), curator=current_curator(),
        shown=edit_values(term),
    ), status  # fmt: skip


@blueprint.post("/terms/<term_id>/sources")
def add_source(term_id: str):
    term = find(term_id)
    form = request.form
    new = form.get("doc") == "new"
    document = {k: form.get(f"new_{k}", "") for k in ("title", "locality", "date", "url",
                                                      "publisher")} if new else None  # fmt: skip
    try:
        record = desk().add_source(
            term_id, form.get("version", ""), kind=form.get("kind", "usage"),
            quote=form.get("quote", ""), doc=None if new else form.get("doc"),
            document=document, who=current_curator(), why=form.get("why", ""),
        )  # fmt: skip
    except Conflict as conflict:
        return conflict_page(term_id, conflict, form.to_dict())
    except (CurationError, GlossaryFileError) as error:
        return edit_page(term, problem=str(error), form=form.to_dict(), status=400)
    return redirect(url_for("review.term", term_id=term_id, done=record.id), 303)


def conflict_page(term_id: str, conflict: Conflict, form: dict):
    """409: what changed and by whom, beside what the curator sent, kept in a form that
    re-sends it on the new version: nothing typed is lost."""
    term = desk().glossary().term(term_id)
    kept = {k: v for k, v in form.items() if k not in ("csrf_token", "version")}
    return render_template(
        "review_conflict.html", conflict=conflict, term=term, kept=kept,
        action=request.full_path.rstrip("?"), version=curate.version(term) if term else "",
        curator=current_curator(),
    ), 409  # fmt: skip


# --- history and undo ------------------------------------------------------------------


@blueprint.get("/terms/<term_id>/history")
def history(term_id: str):
    glossary = desk().glossary()
    term = glossary.term(term_id)
    if term is None and glossary.moved(term_id) is None:
        records = desk().history.of_term(term_id)
        if not records:
            raise NotFound(f"no term has id '{term_id}'")
    return render_template(
        "review_history.html", term=term, term_id=term_id,
        records=[(r, record_differences(r)) for r in desk().history.of_term(term_id)],
        curator=current_curator(), done=_done(),
    )  # fmt: skip


@blueprint.get("/changes")
def changes():
    records = desk().history.recent(100)
    return render_template(
        "review_changes.html", records=[(r, record_differences(r)) for r in records],
        curator=current_curator(), done=_done(),
    )  # fmt: skip


@blueprint.post("/changes/<int:record_id>/undo")
def undo(record_id: str):
    back = safe_next(request.form.get("back") or url_for("review.changes"))
    try:
        record = desk().undo(record_id, who=current_curator(), why=request.form.get("why", ""))
    except (CurationError, GlossaryFileError) as error:
        return render_template("review_problem.html", problem=str(error), back=back,
                               curator=current_curator()), 409  # fmt: skip
    separator = "&" if "?" in back else "?"
    return redirect(f"{back}{separator}{urlencode({'done': record.id})}", 303)


def record_differences(record) -> list[tuple[str, str, list[curate.Difference]]]:
    """(kind, id, field differences) of each item a record changed."""
    return [
        (change.kind, change.id, curate.differences(change.before, change.after))
        for change in record.changes
    ]
