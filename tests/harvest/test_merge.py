from __future__ import annotations

import dataclasses

import pytest

from glossary import store
from glossary.harvest.merge import merge, same_definition
from glossary.harvest.records import DocumentInfo, Entry, Finding
from tests.conftest import SAMPLE

JIANGAN = DocumentInfo(
    id="jiangan-2024", title="2024年武汉市江岸区政府工作报告", locality="湖北省武汉市江岸区",
    year=2024, path="/reports/002.txt",
)  # fmt: skip
HONGQIAO = DocumentInfo(
    id="hongqiao-2024", title="虹桥镇2024年工作总结和2025年工作思路",
    locality="浙江省温州市乐清市虹桥镇", year=2024, path="/reports/004.txt",
)  # fmt: skip


def finding(term, doc=JIANGAN, kind="usage", quote=None, definition=None, parts=(), score=0.9):
    quote = quote or f"深化{term}建设。"
    entry = Entry(term, kind, quote, 0, len(quote), definition, list(parts), score)
    return Finding.of(entry, doc)


def test_new_jargon_arrives_as_a_cited_candidate(sample_file):
    report = merge([finding("“四大比拼”", doc=HONGQIAO)], sample_file)
    glossary = store.load(sample_file)
    [term] = glossary.lookup("四大比拼")
    assert (term.id, term.status, term.definition) == ("si-da-bi-pin", "candidate", None)
    assert term.senses[0].scope == "浙江省温州市乐清市虹桥镇"
    assert term.senses[0].sources[0].doc == "hongqiao-2024"
    assert glossary.document("hongqiao-2024").title.startswith("虹桥镇")
    assert report.terms == ["si-da-bi-pin: “四大比拼”"]


def test_a_differently_quoted_headword_is_the_same_term(sample_file):
    merge([finding("“五共理念”"), finding("五共理念", quote="树牢五共理念。")], sample_file)
    glossary = store.load(sample_file)
    assert len(glossary.terms) == 3
    sources = glossary.term("wu-gong-li-nian").senses[0].sources
    assert [s.kind for s in sources] == ["glossary", "usage"]  # one usage quote per report


def test_reviewed_definition_survives_conflicting_harvest(sample_file):
    conflicting = finding("“五共”理念", kind="glossary", definition="共商、共建、共享。", score=1)
    report = merge([conflicting], sample_file)
    term = store.load(sample_file).term("wu-gong-li-nian")
    assert term.status == "reviewed"
    assert term.senses[0].definition == "决策共谋、发展共建、建设共管、效果共评、成果共享。"
    assert term.senses[1].definition == "共商、共建、共享。"
    assert report.review and "defines it differently" in report.review[0]


def test_same_definition_written_with_zhi_is_not_a_conflict(sample_file):
    printed = "指决策共谋、发展共建、建设共管、效果共评、成果共享"
    again = finding(
        "“五共”理念", kind="glossary", definition=printed, quote=f"5、“五共”理念：{printed}"
    )
    merge([again], sample_file)
    term = store.load(sample_file).term("wu-gong-li-nian")
    assert len(term.senses) == 1
    assert len(term.senses[0].sources) == 2


def test_candidate_gains_the_definition_a_report_gives(sample_file):
    defined = finding(
        "“1310”", doc=JIANGAN, kind="inline", definition="一个目标、三大体系、十项举措", score=0.8
    )
    sample_file.write_text(
        SAMPLE.replace("浙江省温州市乐清市虹桥镇", "湖北省武汉市江岸区"), "utf-8"
    )
    merge([defined], sample_file)
    term = store.load(sample_file).term("1310")
    assert term.status == "candidate"  # still for a curator to review
    assert term.definition == "一个目标、三大体系、十项举措"


def test_another_place_gets_its_own_sense(sample_file):
    merge([finding("五共理念", doc=HONGQIAO, quote="践行五共理念。")], sample_file)
    term = store.load(sample_file).term("wu-gong-li-nian")
    assert [s.scope for s in term.senses] == ["湖北省武汉市江岸区", "浙江省温州市乐清市虹桥镇"]


def test_low_scored_usage_is_not_merged(sample_file):
    report = merge([finding("“先进集体”", score=0.2)], sample_file)
    assert not report.changed
    assert sample_file.read_text("utf-8") == SAMPLE


def test_merging_twice_changes_nothing_the_second_time(sample_file):
    findings = [finding("“四大比拼”", doc=HONGQIAO), finding("“十大工程”", doc=HONGQIAO),
                finding("五共理念", doc=HONGQIAO)]  # fmt: skip
    assert merge(findings, sample_file).changed
    once = sample_file.read_bytes()
    second = merge(findings, sample_file)
    assert not second.changed
    assert sample_file.read_bytes() == once


def test_curator_comment_survives_a_merge(sample_file):
    merge([finding("“四大比拼”", doc=HONGQIAO)], sample_file)
    content = sample_file.read_text("utf-8")
    assert "# Sample glossary for tests." in content
    assert "status: reviewed   # checked against the report" in content


def test_dry_run_reports_and_writes_nothing(sample_file):
    report = merge([finding("“四大比拼”", doc=HONGQIAO)], sample_file, dry_run=True)
    assert report.terms and "+ term si-da-bi-pin" in report.summary()
    assert sample_file.read_text("utf-8") == SAMPLE


def test_new_ids_never_collide(sample_file):
    merge(
        [finding("五共理念 ", doc=HONGQIAO), finding("wu gong li nian", doc=HONGQIAO)], sample_file
    )
    ids = [t.id for t in store.load(sample_file).terms]
    assert len(ids) == len(set(ids))


# --- documents ---------------------------------------------------------------------------

HONGQIAO_URL = "https://www.yueqing.gov.cn/art/2025/1/6/art_1229.html"


def test_a_new_document_arrives_with_its_address_and_publisher(sample_file):
    doc = dataclasses.replace(HONGQIAO, url=HONGQIAO_URL, publisher="乐清市人民政府")
    merge([finding("“四大比拼”", doc=doc)], sample_file)
    written = store.load(sample_file).document("hongqiao-2024")
    assert (written.url, written.publisher, written.file) == (
        HONGQIAO_URL,
        "乐清市人民政府",
        "004.txt",
    )


def test_a_curated_document_gains_the_address_it_lacks_before_its_file_name(sample_file):
    doc = dataclasses.replace(JIANGAN, url="https://example.gov.cn/a.html", publisher="江岸区政府")
    report = merge([finding("五共理念", doc=doc)], sample_file)
    assert report.completed == ["jiangan-2024: publisher, url"]
    assert "~ document jiangan-2024: publisher, url" in report.summary()
    lines = sample_file.read_text("utf-8").splitlines()
    at = lines.index("    publisher: 江岸区政府")
    assert lines[at + 1 : at + 3] == [
        "    url: https://example.gov.cn/a.html", "    file: 002_63741cc1e03311a7.txt"
    ]  # fmt: skip
    assert not merge([finding("五共理念", doc=doc)], sample_file).changed


def test_a_curated_address_and_publisher_are_never_replaced(sample_file):
    curated = "    file: 002_63741cc1e03311a7.txt\n"
    sample_file.write_text(
        SAMPLE.replace(
            curated, f"    publisher: 武汉市江岸区人民政府\n    url: https://a.cn/x\n{curated}"
        ),
        encoding="utf-8",
    )
    doc = dataclasses.replace(JIANGAN, url="https://b.cn/y", publisher="某论坛")
    assert merge([finding("五共理念", doc=doc)], sample_file).completed == []
    kept = store.load(sample_file).document("jiangan-2024")
    assert (kept.url, kept.publisher) == ("https://a.cn/x", "武汉市江岸区人民政府")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("指使用财政拨款。", "使用财政拨款", True),
        ("“双减”", '"双减"', True),
        ("甲、乙", "甲、丙", False),
    ],
)
def test_definitions_compare_without_lead_words_quotes_and_stops(a, b, same):
    assert same_definition(a, b) is same


def test_an_english_rendering_is_kept_with_its_report_and_never_as_a_definition(sample_file):
    entry = Entry("“两重”", "glossary", "“两重”：重大战略实施。Two Priorities", 0, 20,
                  "重大战略实施。", english="Two Priorities")  # fmt: skip
    other = Entry("“两重”", "glossary", "“两重”：x", 0, 5, "重大战略实施。", english="Dual")
    merge([Finding.of(entry, JIANGAN), Finding.of(other, HONGQIAO)], sample_file)
    [term] = store.load(sample_file).lookup("两重")
    assert (term.english.text, term.english.doc) == ("Two Priorities", "jiangan-2024")
    assert all("Two Priorities" not in (s.definition or "") for s in term.senses)


# --- rejected terms ----------------------------------------------------------------------

REJECTED = SAMPLE.replace("status: candidate", "status: deprecated").replace(
    "term: “1310”\n", "term: “1310”\n    aliases: [1310工作体系]\n"
)


def test_a_rejected_term_is_never_changed_nor_brought_back(sample_file):
    sample_file.write_text(REJECTED, encoding="utf-8")
    defining = finding("“1310”", doc=HONGQIAO, kind="glossary", definition="一个中心、三个体系。")
    findings = [
        dataclasses.replace(defining, english="1310 System"),
        finding("1310", doc=JIANGAN, quote="落实1310要求。"),  # another place: no new sense
        finding("“1310工作体系”", doc=HONGQIAO),  # an alias: no new candidate
    ]
    report = merge(findings, sample_file)
    assert sample_file.read_text("utf-8") == REJECTED  # not even the new report is added
    assert not report.changed
    assert report.skipped == ["1310"]
    assert report.summary().endswith("\n- deprecated 1310")


def test_a_live_term_of_the_same_headword_still_gains_what_it_is_found_with(sample_file):
    live_twin = (
        "  - id: 1310-jiangan\n    term: “1310”\n    status: candidate\n    senses:\n"
        "      - scope: 湖北省武汉市江岸区\n"
        "        sources:\n          - {doc: jiangan-2024, kind: usage, quote: 深化1310}\n"
    )
    sample_file.write_text(REJECTED + live_twin, encoding="utf-8")
    elsewhere = DocumentInfo(
        id="elsewhere-2024",
        title="某地报告",
        locality="湖北省鄂州市华容区",
        year=2024,
        path="/r/9.txt",
    )
    report = merge([finding("“1310”", doc=HONGQIAO), finding("“1310”", doc=elsewhere)], sample_file)
    glossary = store.load(sample_file)
    assert report.skipped == ["1310"]  # the rejected one, in its own place
    assert glossary.term("1310").senses[0].sources[0].quote == "深化“1310”工作体系"
    assert len(glossary.term("1310").senses[0].sources) == 1
    assert [s.scope for s in glossary.term("1310-jiangan").senses] == [
        "湖北省武汉市江岸区",
        "湖北省鄂州市华容区",
    ]
