"""Finding 名词解释 entries: gold files, hand-made variants, fixtures and offsets."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import opencc
import pytest
import yaml

from glossary import text
from glossary.harvest import sections

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FIXTURES = Path(__file__).parent / "fixtures" / "sections"
SEEDS = SHARED / "seeds"
JIANGAN = SEEDS / "002_63741cc1e03311a7.txt"
LEAD = re.compile(r"^(?:是指|指|即)\s*:?")


def gold_cases() -> list[tuple[str, str, list[dict]]]:
    """``(stem, report, entries)`` for every gold file of the shared reports."""
    cases = []
    for folder in (SEEDS, SHARED / "corpus", SHARED / "provinces-2026"):
        for gold_path in sorted((folder / "gold").glob("*.yaml")):
            gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
            source = folder / gold.get("source", f"{gold_path.stem}.txt")
            report = source.read_text(encoding=gold.get("encoding", "utf-8"))
            cases.append((gold_path.stem, report, gold["entries"]))
    return cases


GOLD = gold_cases()
JIANGAN_GOLD = next(entries for stem, _, entries in GOLD if stem == JIANGAN.stem)
FIXTURE_NAMES = sorted(path.stem for path in FIXTURES.glob("*.txt"))


def pair(term: str, definition: str | None) -> tuple[str, str]:
    """(term, definition) compared as keys: spaces, width, quotes, script, 指 folded."""
    return text.key(term), text.key(LEAD.sub("", text.normalise(definition or "")))


def precision_recall(entries, gold: list[dict]) -> tuple[float, float]:
    found = {pair(e.term, e.definition) for e in entries}
    expected = {pair(g["term"], g["definition"]) for g in gold}
    hits = len(found & expected)
    precision = hits / len(found) if found else float(not expected)
    recall = hits / len(expected) if expected else float(not found)
    return precision, recall


def assert_matches(stem: str, report: str, gold: list[dict]):
    entries = sections.glossary_entries(report)
    precision, recall = precision_recall(entries, gold)
    print(f"{stem}: precision={precision:.3f} recall={recall:.3f}")
    found = [pair(e.term, e.definition) for e in entries]
    assert (precision, recall) == (1.0, 1.0), f"found {found}"
    assert_offsets(report, entries)
    return entries


def assert_offsets(report: str, entries) -> None:
    for entry in entries:
        assert report[entry.start : entry.end] == entry.quote
        assert entry.quote == entry.quote.strip()
        quote = text.key(entry.quote)
        assert text.key(entry.definition) in quote
        # A footnote that names no term takes it from the body, just before its marker.
        assert text.key(entry.term) in quote or entry.term in report[: entry.start]


# --- gold files --------------------------------------------------------------------


@pytest.mark.parametrize(("stem", "report", "gold"), GOLD, ids=[case[0] for case in GOLD])
def test_finds_exactly_the_gold_entries(stem, report, gold):
    assert_matches(stem, report, gold)


FULL_WIDTH = str.maketrans(":,;()!?.0123456789", "：，；（）！？．０１２３４５６７８９")


@pytest.mark.parametrize(("stem", "report", "gold"), GOLD, ids=[case[0] for case in GOLD])
def test_a_full_width_copy_gives_the_same_entries(stem, report, gold):
    report = report.translate(FULL_WIDTH)
    entries = assert_matches(f"{stem} (full width)", report, gold)
    assert all(e.term in report for e in entries)


@pytest.mark.parametrize(("stem", "report", "gold"), GOLD, ids=[case[0] for case in GOLD])
def test_a_traditional_copy_gives_terms_as_printed_with_the_gold_keys(stem, report, gold):
    report = opencc.OpenCC("s2t").convert(report)
    entries = assert_matches(f"{stem} (traditional)", report, gold)
    assert [text.key(e.term) for e in entries] == [text.key(g["term"]) for g in gold]
    assert all(e.term in report for e in entries)
    assert any(e.term != text.to_simplified(e.term) for e in entries)


# --- variants of the 江岸 glossary, rendered in other house styles ------------------

BODY, _, _ = JIANGAN.read_text(encoding="utf-8").partition("名词解释")
CHROME = "\n\n您需要登录后才可以回帖 登录 | 立即注册\n\n本版积分规则\n\n客服中心\n关闭\n"
CN = "一二三四五六七八九"


def chinese(n: int) -> str:
    """1 -> 一, 10 -> 十, 29 -> 二十九."""
    tens, ones = divmod(n, 10)
    head = (CN[tens - 1] if tens > 1 else "") + ("十" if tens else "")
    return head + (CN[ones - 1] if ones else "")


def render(numbering, heading="名词解释：", gap="\n\n", gold=JIANGAN_GOLD, wrap=0) -> str:
    lines = []
    for n, entry in enumerate(gold, 1):
        line = f"{numbering(n)}{entry['term']}：{entry['definition']}"
        if wrap:  # a PDF's line breaks: every `wrap` characters, indented
            line = "\n　　".join(line[i : i + wrap] for i in range(0, len(line), wrap))
        lines.append("　　" + line)
    return f"{BODY}\n{heading}\n\n" + gap.join(lines) + CHROME


NUMBERINGS = {
    "1、": lambda n: f"{n}、",
    "（1）": lambda n: f"（{n}）",
    "(1)": lambda n: f"({n}) ",
    "1．": lambda n: f"{n}．",
    "一、": lambda n: f"{chinese(n)}、",
    "（一）": lambda n: f"（{chinese(n)}）",
    "①": lambda n: chr(0x245F + n),
    "none": lambda n: "",
}


@pytest.mark.parametrize("numbering", NUMBERINGS, ids=list(NUMBERINGS))
@pytest.mark.parametrize("gap", ["\n\n", "\n"], ids=["blank lines", "no blank lines"])
def test_every_numbering_style_gives_every_entry(numbering, gap):
    gold = JIANGAN_GOLD[:20] if numbering == "①" else JIANGAN_GOLD  # ① stops at ⑳
    assert_matches(f"jiangan {numbering}", render(NUMBERINGS[numbering], gap=gap, gold=gold), gold)


HEADINGS = ["名词解释", "名词注释", "名词注解", "注释", "附：名词解释", "附件2 名词解释",
            "【名词解释】", "名词解释:", "　　　　名词解释：", "名詞解釋：",
            "2024年武汉市江岸区政府工作报告名词解释"]  # fmt: skip


@pytest.mark.parametrize("heading", HEADINGS)
def test_every_heading_style_opens_the_glossary(heading):
    report = render(NUMBERINGS["1、"], heading=heading)
    assert_matches(f"jiangan {heading}", report, JIANGAN_GOLD)
    start, end = sections.find_glossary_section(report)
    assert report[start:end].startswith(heading.strip())


@pytest.mark.parametrize("gap", ["\n\n", "\n"], ids=["blank lines", "no blank lines"])
@pytest.mark.parametrize("numbering", ["1．", "（1）", "none"])
def test_entries_wrapped_over_several_lines_are_joined(numbering, gap):
    report = render(NUMBERINGS[numbering], gap=gap, wrap=17)
    entries = assert_matches(f"jiangan wrapped {numbering}", report, JIANGAN_GOLD)
    assert all("\n" not in e.definition for e in entries)


def test_a_numbered_list_without_heading_is_a_glossary():
    report = render(NUMBERINGS["1、"], heading="以下24个名词解释方便大家读懂报告:")
    assert_matches("jiangan headless", report, JIANGAN_GOLD)


def test_a_chrome_line_ends_an_entry_even_when_the_entry_lacks_a_full_stop():
    report = "名词解释\n1. 双创：大众创业、万众创新\n上一篇：关于某某的通知\n"
    (entry,) = sections.glossary_entries(report)
    assert entry.definition == "大众创业、万众创新"


def test_a_numbered_line_without_its_colon_takes_the_term_wrapped_onto_the_next_line():
    report = "名词解释\n1. 一楼一业、一楼一特、\n一楼一品：一楼宇一个行业。\n2. 双创：万众创新。\n"
    first, second = sections.glossary_entries(report)
    assert (first.term, first.definition) == ("一楼一业、一楼一特、一楼一品", "一楼宇一个行业。")
    assert second.term == "双创"


def test_page_chrome_after_the_last_entry_ends_the_glossary():
    entries = sections.glossary_entries(JIANGAN.read_text(encoding="utf-8"))
    assert entries[0].quote.startswith("1.\u2002经济运行")  # the number and its en space
    assert entries[-1].term == "三个区分开来"
    assert entries[-1].quote.endswith("违纪违法行为区分开来。")


# --- hand-made fixtures -------------------------------------------------------------


@pytest.mark.parametrize("script", ["simplified", "traditional"])
@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_each_fixture_gives_its_expected_entries(name, script):
    report = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    if script == "traditional":
        report = opencc.OpenCC("s2t").convert(report)
    expected = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
    entries = assert_matches(f"{name} ({script})", report, expected["entries"])
    for entry, gold in zip(entries, expected["entries"], strict=True):
        assert len(entry.parts) == gold.get("parts", len(entry.parts))


def test_a_footnote_without_a_term_takes_the_quoted_term_marked_in_the_body():
    report = (FIXTURES / "footnotes.txt").read_text(encoding="utf-8")
    third = sections.glossary_entries(report)[2]
    assert third.term == "“三个区分开来”"
    assert third.quote.startswith("[3]指把干部")


def test_one_quoted_term_defined_with_zhi_is_enough_for_an_explainer():
    report = "　　本报讯 两会召开在即。\n\n　　“十个一”指一村一规划、一村一广场等十项建设。\n"
    (entry,) = sections.glossary_entries(report)
    assert (entry.term, entry.definition) == ("“十个一”", "一村一规划、一村一广场等十项建设。")


@pytest.mark.parametrize(
    "report",
    [
        "各位代表：\n\n　　现在，我代表区人民政府，向大会报告工作。\n",
        "　　着力打造“一个定位：先行区”的发展格局，名词解释：见附件。\n",
        "名词解释\n\n　　为方便阅读，本报告的名词解释附后。\n",
        "同志们：大家好。\n朋友们：欢迎你们。\n",
    ],
    ids=["address", "colons in prose", "heading then prose", "greetings"],
)
def test_prose_with_colons_gives_no_entries(report):
    assert sections.glossary_entries(report) == []


WITHOUT_GOLD = [
    s for s in sorted(SEEDS.glob("*.txt")) if not (SEEDS / "gold" / f"{s.stem}.yaml").exists()
]


@pytest.mark.parametrize("seed", WITHOUT_GOLD, ids=lambda p: p.stem)
def test_seeds_without_gold_have_no_glossary(seed):
    report = seed.read_text(encoding="utf-8")
    assert sections.glossary_entries(report) == []
    assert sections.find_glossary_section(report) is None


# --- definitions, parts and the module's own example --------------------------------


def test_a_leading_zhi_is_dropped_from_the_definition_but_kept_in_the_quote():
    entries = {e.term: e for e in sections.glossary_entries(JIANGAN.read_text(encoding="utf-8"))}
    gazelle, quality = entries["瞪羚企业"], entries["新质生产力"]
    assert gazelle.definition.startswith("创业后") and "指创业后" in gazelle.quote
    assert quality.definition.startswith("在科技创新驱动下") and "是指在" in quality.quote


def test_the_colon_after_the_term_splits_and_later_colons_stay_in_the_definition():
    definition = "一个定位：打造先行区；三个坚持：坚持党建引领。"
    assert sections.split_term(f"“1354”总体思路：{definition}") == ("“1354”总体思路", definition)


@pytest.mark.parametrize(
    ("term", "parts"),
    [("“五共”理念", 5), ("三个区分开来", 3), ("一标三实", 4), ("“三公”经费", 3),
     ("三个务必", 3), ("八项本领", 8), ("双减", 0), ("新质生产力", 0)],
)  # fmt: skip
def test_a_definition_is_split_into_as_many_parts_as_the_term_announces(term, parts):
    entries = {e.term: e for e in sections.glossary_entries(JIANGAN.read_text(encoding="utf-8"))}
    found = entries[term].parts
    assert len(found) == parts
    assert all(part in entries[term].definition and not part.endswith("。") for part in found)


def test_a_glossary_under_a_heading_scores_above_an_introduced_list_above_a_bare_one():
    headed = sections.glossary_entries(render(NUMBERINGS["1、"]))
    introduced = sections.glossary_entries(render(NUMBERINGS["1、"], heading="名词解释如下:"))
    bare = sections.glossary_entries(render(NUMBERINGS["1、"], heading="具体如下:"))
    assert headed[0].score > introduced[0].score > bare[0].score


def test_the_module_docstring_examples_hold():
    assert doctest.testmod(sections).failed == 0


# --- families of layout (lines of our own making, in the shapes real reports use) ---


def found(report: str) -> list[tuple[str, str]]:
    return [(e.term, e.definition) for e in sections.glossary_entries(report)]


def test_an_entry_number_followed_by_a_digit_opens_the_next_entry():
    report = (
        "名词解释\n"
        "11.两新：设备更新和消费品以旧换新。\n"
        "12.2026年十件民生实事：省政府确定办好的十件民生实事。\n"
        "13.3+2工作机制：三个专班加两个清单的工作机制。\n"
    )
    assert [term for term, _ in found(report)] == ["两新", "2026年十件民生实事", "3+2工作机制"]


def test_a_decimal_does_not_open_an_entry():
    report = "名词解释\n1.两新：设备更新，\n5.5%的部分由财政承担。\n2.双减：减轻负担。\n"
    assert found(report) == [
        ("两新", "设备更新，5.5%的部分由财政承担。"), ("双减", "减轻负担。"),
    ]  # fmt: skip


def test_headwords_in_latin_letters_or_digits_are_taken_in_a_list():
    report = (
        "名词解释\n1. GEP：生态系统生产总值，指生态系统为人类提供的产品与服务价值的总和。\n"
        "2. 2+4+N：两大主导产业、四大新兴产业和若干特色产业。\n"
    )
    assert [term for term, _ in found(report)] == ["GEP", "2+4+N"]


def test_a_latin_label_outside_a_list_is_no_term():
    assert found("联系我们\nTel：027-12345678。\nEmail：office@example.org。\n") == []


def test_a_note_with_its_own_headword_keeps_it_out_of_the_definition():
    report = (
        "坚持“两山”转化，核算GEP［8］，推进“三区一廊”［9］建设。\n\n注释：\n"
        "［8］GEP：生态系统生产总值。\n［9］三区一廊：三个功能区和一条生态廊道。\n"
    )
    assert found(report) == [
        ("GEP", "生态系统生产总值。"),
        ("三区一廊", "三个功能区和一条生态廊道。"),
    ]


def test_a_headword_on_its_own_line_is_defined_by_the_paragraphs_below_it():
    report = (
        "名词解释\n\n新质生产力\n\n以科技创新为主导的先进生产力质态。\n\n"
        "“两重”\n\n国家重大战略实施和重点领域安全能力建设。\n包括一批重大工程。\n\n"
        "责任编辑：某某\n"
    )
    assert found(report) == [
        ("新质生产力", "以科技创新为主导的先进生产力质态。"),
        ("“两重”", "国家重大战略实施和重点领域安全能力建设。包括一批重大工程。"),
    ]


def test_a_numbered_headword_is_defined_by_the_paragraph_below_it():
    report = (
        "名词解释\n1. 新质生产力\n\n以科技创新为主导的先进生产力质态。\n2. 双减\n\n减轻负担。\n"
    )
    assert found(report) == [
        ("新质生产力", "以科技创新为主导的先进生产力质态。"),
        ("双减", "减轻负担。"),
    ]


def test_note_markers_never_stay_inside_a_term():
    report = (
        "名词解释\n1.三区一廊〔2〕：三个功能区和一条生态廊道。\n2.“八项重点任务”⑴：八个方面。\n"
    )
    assert [term for term, _ in found(report)] == ["三区一廊", "“八项重点任务”"]


def test_endnotes_that_name_no_term_take_it_from_their_marker_in_the_body():
    report = (
        "全力推进“八项重点任务”〔1〕，深化《三年行动方案》〔2〕。\n\n注释：\n"
        "〔1〕指科技、产业、改革等八个方面的任务。\n〔2〕是指：省政府印发的三年行动方案。\n"
    )
    assert found(report) == [
        ("“八项重点任务”", "科技、产业、改革等八个方面的任务。"),
        ("《三年行动方案》", "省政府印发的三年行动方案。"),
    ]


def test_a_dash_introduces_a_quotation_not_a_definition():
    report = (
        "“四下基层”——“宣传党的路线方针政策下基层、调查研究下基层”。\n"
        "“两个维护”——“坚决维护核心地位、坚决维护集中统一领导”。\n"
    )
    assert found(report) == []


def test_english_printed_beside_an_entry_is_its_english_rendering_never_its_definition():
    report = (
        "名词解释\n"
        "1. 新质生产力（New Quality Productive Forces）：以科技创新为主导的先进生产力质态。\n"
        "2. 两重：国家重大战略实施和重点领域安全能力建设。\n"
        "Two Priorities: implementing major national strategies and building security.\n"
        "3. 双碳：碳达峰、碳中和。Carbon peaking and carbon neutrality goals of the country.\n"
        "4. 零碳园区：Zero-carbon industrial parks built for the green transition.\n"
    )
    entries = sections.glossary_entries(report)
    assert [(e.term, e.definition, e.english) for e in entries] == [
        ("新质生产力", "以科技创新为主导的先进生产力质态。", "New Quality Productive Forces"),
        ("两重", "国家重大战略实施和重点领域安全能力建设。",
         "Two Priorities: implementing major national strategies and building security."),
        ("双碳", "碳达峰、碳中和。", "Carbon peaking and carbon neutrality goals of the country."),
    ]  # fmt: skip


def test_every_entry_says_which_rule_and_block_gave_it():
    entries = sections.glossary_entries("名词解释\n\n1. 两重：重大战略。\n2. 两新：设备更新。\n")
    assert [(e.rule, e.block) for e in entries] == [
        ("heading-list", "item arabic 1, line 3"), ("heading-list", "item arabic 2, line 4"),
    ]  # fmt: skip
