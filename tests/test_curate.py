"""Curation operations on a real glossary file: each re-reads, checks the version,
validates, writes atomically and records itself; each can be undone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossary import store
from glossary.curate import Conflict, CurationError, Desk, NothingChanged, version
from glossary.errors import GlossaryFileError, NotFound
from glossary.text import occurs

GLOSSARY = """\
# Curated by hand; this comment must survive every operation.
version: 1
documents:
  - id: jiangan-2024
    title: 2024年武汉市江岸区政府工作报告
    locality: 湖北省武汉市江岸区
    date: "2023-12-24"
  - id: hongqiao-2024
    title: 虹桥镇2024年工作总结
    locality: 浙江省温州市乐清市虹桥镇
    date: "2024"
terms:
  - id: wu-gong-li-nian
    term: “五共”理念
    aliases: [五共理念]
    status: reviewed   # checked against the report
    senses:
      - definition: 决策共谋、发展共建、建设共管、效果共评、成果共享。
        scope: 湖北省武汉市江岸区
        sources:
          - doc: jiangan-2024
            kind: glossary
            quote: "23. “五共”理念:决策共谋、发展共建、建设共管、效果共评、成果共享。"
    related: []
  - id: san-xue-ji-zhi
    term: “三学”机制
    status: candidate
    senses:
      - scope: 湖北省武汉市江岸区
        sources:
          - doc: jiangan-2024
            kind: usage
            quote: 实行“领导示范带学、端正学风促学、随机抽查督学”的“三学”机制,推动学习走深走实。
  - id: wu-gong
    term: “五共”
    status: candidate
    senses:
      - scope: 湖北省武汉市江岸区
        sources:
          - doc: jiangan-2024
            kind: usage
            quote: 坚持“五共”理念,共同缔造美好环境与幸福生活。
    related: [san-xue-ji-zhi]
  - id: "1310"
    term: “1310”
    status: candidate
    senses:
      - definition: 一个目标、三大行动、十项举措。
        sources:
          - doc: hongqiao-2024
            kind: inline
            quote: “1310”即一个目标、三大行动、十项举措。
          - doc: jiangan-2024
            kind: usage
            quote: 对标“1310”工作体系,抓好落实。
"""

QUOTE = "实行“领导示范带学、端正学风促学、随机抽查督学”的“三学”机制,推动学习走深走实。"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    file = tmp_path / "terms.yaml"
    file.write_text(GLOSSARY, encoding="utf-8")
    return file


@pytest.fixture
def desk(path: Path) -> Desk:
    return Desk(path)


def seen(desk: Desk, term_id: str) -> str:
    return version(desk.glossary().term(term_id))


def history_lines(path: Path) -> list[dict]:
    history = path.with_name("terms.history.jsonl")
    if not history.exists():
        return []
    return [json.loads(line) for line in history.read_text(encoding="utf-8").splitlines()]


def test_accept_takes_a_trimmed_definition_from_a_quote(desk, path):
    record = desk.accept(
        "san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), quote=QUOTE,
        definition="领导示范带学、端正学风促学、随机抽查督学", who="li", why="inline",
    )  # fmt: skip
    term = desk.glossary().term("san-xue-ji-zhi")
    assert term.status == "reviewed"
    assert term.definition == "领导示范带学、端正学风促学、随机抽查督学"
    # The quote now serves as the definition's source.
    assert term.senses[0].sources[0].kind == "inline"
    assert record.op == "accept" and record.who == "li" and record.terms == ["san-xue-ji-zhi"]
    [line] = history_lines(path)
    assert line["changes"][0]["before"]["status"] == "candidate"
    assert line["changes"][0]["after"]["status"] == "reviewed"


def test_an_operation_changes_only_its_own_lines(desk, path):
    desk.accept(
        "1310", seen(desk, "1310"), quote="“1310”即一个目标、三大行动、十项举措。", who="li"
    )
    before, after = GLOSSARY.splitlines(), path.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("    status: candidate", "    status: reviewed")]


def test_a_definition_that_is_not_in_the_quote_is_refused(desk, path):
    with pytest.raises(CurationError, match="never invent"):
        desk.accept(
            "san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), quote=QUOTE,
            definition="学习制度", who="li",
        )  # fmt: skip
    assert path.read_text(encoding="utf-8") == GLOSSARY
    assert history_lines(path) == []


def test_accept_needs_one_of_the_terms_own_quotes(desk):
    with pytest.raises(CurationError, match="cites no such quote"):
        desk.accept("san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), quote="别的话", who="li")


def test_only_candidates_are_accepted(desk):
    with pytest.raises(CurationError, match="not a candidate"):
        desk.accept(
            "wu-gong-li-nian", seen(desk, "wu-gong-li-nian"),
            quote="23. “五共”理念:决策共谋、发展共建、建设共管、效果共评、成果共享。", who="li",
        )  # fmt: skip


def test_a_stale_version_is_a_conflict_that_names_the_change(desk, path):
    stale = seen(desk, "san-xue-ji-zhi")
    desk.edit("san-xue-ji-zhi", stale, category="党建", who="wang")
    written = path.read_text(encoding="utf-8")
    with pytest.raises(Conflict) as caught:
        desk.edit("san-xue-ji-zhi", stale, category="学习", who="li")
    conflict = caught.value
    assert [d.field for d in conflict.differences] == ["category"]
    assert conflict.differences[0].now == "党建"
    assert [r.who for r in conflict.records] == ["wang"]
    assert path.read_text(encoding="utf-8") == written  # the second edit wrote nothing
    assert len(history_lines(path)) == 1


def test_a_hand_edit_made_in_between_is_kept(desk, path):
    version_seen = seen(desk, "san-xue-ji-zhi")
    edited = GLOSSARY.replace("# Curated by hand;", "# Curated by hand (and edited again);")
    path.write_text(edited, encoding="utf-8")
    desk.edit("san-xue-ji-zhi", version_seen, category="党建", who="li")
    assert "(and edited again)" in path.read_text(encoding="utf-8")


def test_a_hand_edit_of_the_same_term_is_a_conflict(desk, path):
    version_seen = seen(desk, "san-xue-ji-zhi")
    path.write_text(GLOSSARY.replace("term: “三学”机制", "term: “三学”制度"), encoding="utf-8")
    with pytest.raises(Conflict, match="edited by hand"):
        desk.edit("san-xue-ji-zhi", version_seen, category="党建", who="li")


def test_edit_fields(desk):
    desk.edit(
        "san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), who="li",
        category="党建", aliases=["三学机制", " 三学 ", "三学"], related=["wu-gong-li-nian"],
        english={"text": "Three Learnings mechanism", "doc": "jiangan-2024"},
        pinyin="sān xué jī zhì",
    )  # fmt: skip
    term = desk.glossary().term("san-xue-ji-zhi")
    assert term.category == "党建"
    assert term.aliases == ["三学机制", "三学"]
    assert term.related == ["wu-gong-li-nian"]
    assert term.english.text == "Three Learnings mechanism"
    assert term.pinyin == "sān xué jī zhì"


def test_an_edit_that_makes_the_file_invalid_is_refused_and_names_the_field(desk, path):
    with pytest.raises(GlossaryFileError, match=r"related\[0\]"):
        desk.edit("san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), related=["nobody"], who="li")
    with pytest.raises(GlossaryFileError, match="pinyin"):
        desk.edit("san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), pinyin="ma", who="li")
    assert path.read_text(encoding="utf-8") == GLOSSARY


def test_edited_definitions_come_from_the_senses_quotes(desk):
    with pytest.raises(CurationError, match="never invent"):
        desk.edit("1310", seen(desk, "1310"), definition="一个新的定义", who="li")
    desk.edit("1310", seen(desk, "1310"), definition="一个目标、三大行动", who="li")
    assert desk.glossary().term("1310").definition == "一个目标、三大行动"


def test_nothing_to_change_records_nothing(desk, path):
    with pytest.raises(NothingChanged):
        desk.edit("san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), category=None, who="li")
    assert history_lines(path) == []


def test_add_source_from_a_known_and_from_a_new_document(desk):
    desk.add_source(
        "san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), doc="hongqiao-2024",
        kind="usage", quote="推行“三学”机制。", who="li",
    )  # fmt: skip
    desk.add_source(
        "san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), kind="usage", quote="落实“三学”机制。",
        document={"title": "2024年武汉市江汉区政府工作报告", "locality": "湖北省武汉市江汉区",
                  "date": "2024", "url": "https://www.jianghan.gov.cn/report"},
        who="li",
    )  # fmt: skip
    glossary = desk.glossary()
    scopes = [s.scope for s in glossary.term("san-xue-ji-zhi").senses]
    assert scopes == ["湖北省武汉市江岸区", "浙江省温州市乐清市虹桥镇", "湖北省武汉市江汉区"]
    new = glossary.documents[-1]
    assert new.title == "2024年武汉市江汉区政府工作报告"
    assert new.url == "https://www.jianghan.gov.cn/report"


def test_a_new_document_with_a_bad_address_is_refused(desk, path):
    with pytest.raises(CurationError, match="url"):
        desk.add_source(
            "san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), kind="usage", quote="落实。",
            document={"title": "某报告", "url": "javascript:alert(1)"}, who="li",
        )  # fmt: skip
    assert path.read_text(encoding="utf-8") == GLOSSARY


def test_reject_deprecates_with_a_reason(desk, path):
    desk.reject("wu-gong", seen(desk, "wu-gong"), reason="“五共”理念的简称", who="li")
    term = desk.glossary().term("wu-gong")
    assert (term.status, term.reason) == ("deprecated", "“五共”理念的简称")
    assert history_lines(path)[0]["why"] == "“五共”理念的简称"
    with pytest.raises(CurationError, match="say why"):
        desk.reject("1310", seen(desk, "1310"), reason=" ", who="li")


def test_merge_moves_evidence_and_redirects_the_old_id(desk):
    desk.merge(
        "wu-gong", seen(desk, "wu-gong"), into="wu-gong-li-nian",
        into_seen=seen(desk, "wu-gong-li-nian"), who="li",
    )  # fmt: skip
    glossary = desk.glossary()
    assert glossary.term("wu-gong") is None
    assert glossary.moved("wu-gong") == "wu-gong-li-nian"
    target = glossary.term("wu-gong-li-nian")
    assert target.aliases == ["五共理念", "“五共”"]
    quotes = [s.quote for s in target.senses[0].sources]
    assert "坚持“五共”理念,共同缔造美好环境与幸福生活。" in quotes
    assert target.related == ["san-xue-ji-zhi"]


def test_merge_only_takes_candidates(desk):
    with pytest.raises(CurationError, match="only candidates"):
        desk.merge(
            "wu-gong-li-nian", seen(desk, "wu-gong-li-nian"), into="wu-gong",
            into_seen=seen(desk, "wu-gong"), who="li",
        )  # fmt: skip


def test_a_merged_id_answers_with_its_new_id_in_later_operations(desk):
    desk.merge(
        "wu-gong", seen(desk, "wu-gong"), into="wu-gong-li-nian",
        into_seen=seen(desk, "wu-gong-li-nian"), who="li",
    )  # fmt: skip
    with pytest.raises(CurationError, match="merged into wu-gong-li-nian"):
        desk.reject("wu-gong", "0" * 12, reason="x", who="li")


def test_split_a_sense_by_place(desk):
    desk.split("1310", seen(desk, "1310"), sense=0, who="li")
    senses = desk.glossary().term("1310").senses
    assert [s.scope for s in senses] == ["浙江省温州市乐清市虹桥镇", "湖北省武汉市江岸区"]
    # The definition stays with the report that gives it; the other place's is pending.
    assert [s.definition for s in senses] == ["一个目标、三大行动、十项举措。", None]
    assert [[x.doc for x in s.sources] for s in senses] == [["hongqiao-2024"], ["jiangan-2024"]]


def test_split_needs_several_places(desk):
    with pytest.raises(CurationError, match="one place"):
        desk.split("san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), who="li")


@pytest.mark.parametrize("operation", ["accept", "edit", "add-source", "reject", "merge", "split"])
def test_every_operation_can_be_undone_to_the_same_bytes(desk, path, operation):
    do = {
        "accept": lambda: desk.accept("san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"),
                                      quote=QUOTE, who="li"),
        "edit": lambda: desk.edit("wu-gong-li-nian", seen(desk, "wu-gong-li-nian"),
                                  aliases=["五共理念", "五共"], category="治理", who="li"),
        "add-source": lambda: desk.add_source(
            "1310", seen(desk, "1310"), kind="usage", quote="“1310”新篇。", who="li",
            document={"title": "乐清市2024年政府工作报告", "locality": "浙江省温州市乐清市"}),
        "reject": lambda: desk.reject("wu-gong", seen(desk, "wu-gong"), reason="简称", who="li"),
        "merge": lambda: desk.merge("wu-gong", seen(desk, "wu-gong"), into="wu-gong-li-nian",
                                    into_seen=seen(desk, "wu-gong-li-nian"), who="li"),
        "split": lambda: desk.split("1310", seen(desk, "1310"), who="li"),
    }[operation]  # fmt: skip
    record = do()
    assert path.read_text(encoding="utf-8") != GLOSSARY
    undo = desk.undo(record.id, who="wang", why="by mistake")
    assert path.read_text(encoding="utf-8") == GLOSSARY
    assert undo.undoes == record.id and undo.op == "undo"
    # An undo is an operation too: undoing it does the original again.
    desk.undo(undo.id, who="wang")
    assert store.load(path).term("wu-gong-li-nian") is not None
    assert path.read_text(encoding="utf-8") != GLOSSARY


def test_undo_refuses_when_a_later_change_touched_the_same_term(desk, path):
    first = desk.edit("san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), category="党建", who="li")
    desk.edit("san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), category="学习", who="wang")
    with pytest.raises(CurationError, match="changed since"):
        desk.undo(first.id, who="li")
    assert desk.glossary().term("san-xue-ji-zhi").category == "学习"


def test_undo_of_an_unknown_record(desk):
    with pytest.raises(NotFound):
        desk.undo(99, who="li")


def test_history_of_a_term_and_recent_changes(desk):
    desk.edit("san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), category="党建", who="li")
    desk.reject("wu-gong", seen(desk, "wu-gong"), reason="简称", who="wang")
    assert [r.op for r in desk.history.of_term("san-xue-ji-zhi")] == ["edit"]
    assert [(r.id, r.who) for r in desk.history.recent()] == [(2, "wang"), (1, "li")]


def test_every_change_needs_a_curator(desk):
    with pytest.raises(CurationError, match="name of the curator"):
        desk.edit("san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), category="党建", who="")


def test_occurs_folds_width_quotes_and_script():
    assert occurs("决策共谋,发展共建", "23. “五共”理念:决策共谋，发展共建。")
    assert occurs("“三学”機制", "实行“三学”机制")
    assert not occurs("决策共享", "决策共谋、发展共建")
    assert not occurs("", "决策共谋")
