"""Inline definitions: lists, brackets, 即 and 是指, checked against the count a term announces."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary import frames
from glossary.harvest import inline
from glossary.text import fold_chars, key

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
XISHAN = SEEDS / "001_e78dfe01e84b3daf.txt"
JIANGAN = SEEDS / "002_63741cc1e03311a7.txt"


def define(text: str) -> dict[str, inline.Entry]:
    return {e.term: e for e in inline.inline_definitions(text)}


def test_the_sanxue_mechanism_of_xishan():
    text = XISHAN.read_text(encoding="utf-8")
    entry = define(text)["“三学”机制"]
    assert entry.kind == "inline"
    assert entry.definition == "领导示范带学、端正学风促学、随机抽查督学"
    assert entry.parts == ["领导示范带学", "端正学风促学", "随机抽查督学"]
    assert entry.quote.startswith("深入推进主题教育,构建“党工委(支委)会")
    assert entry.quote.endswith("的“三学”机制;")
    assert text[entry.start : entry.end] == entry.quote
    assert entry.score == 0.9


def test_a_quoted_list_before_an_unquoted_numbered_term():
    entries = define(JIANGAN.read_text(encoding="utf-8"))
    assert entries["四首经济"].parts == ["首店", "首发", "首秀", "首展"]
    assert "四种关系" not in entries  # “文、商、旅、居”四种关系: a bare count, no name


def test_a_numbered_term_may_carry_a_name_and_a_head():
    text = "强化“主要领导亲自调度、高点定位分解调度”两个精准调度机制。统筹“甲、乙”两项机制。"
    assert list(define(text)) == ["两个精准调度机制"]


def test_a_list_closed_by_deng_before_the_quoted_term():
    entry = define(JIANGAN.read_text(encoding="utf-8"))["“五大工程”"]
    assert entry.parts[0] == "高端楼宇打造"  # the verb 实施 opens the clause, not the list
    assert len(entry.parts) == 5


def test_two_definitions_in_one_news_sentence():
    text = (
        "两免一补,是指对农村义务教育阶段贫困家庭学生免书本费、免杂费、补助寄宿生生活费;"
        "“双高普九”,是指高标准、高质量普及九年义务教育。"
    )
    entries = define(text)
    assert list(entries) == ["两免一补", "“双高普九”"]
    first, second = entries.values()
    assert first.definition == "对农村义务教育阶段贫困家庭学生免书本费、免杂费、补助寄宿生生活费"
    assert first.parts[1:] == ["免杂费", "补助寄宿生生活费"]
    assert first.quote.endswith("生活费;")
    assert second.definition == "高标准、高质量普及九年义务教育"
    assert second.quote == "“双高普九”,是指高标准、高质量普及九年义务教育。"


def test_full_width_punctuation_reads_the_same():
    text = (
        "两免一补，是指对农村义务教育阶段贫困家庭学生免书本费、免杂费、补助寄宿生生活费；"
        "“双高普九”，是指高标准、高质量普及九年义务教育。"
    )
    assert list(define(text)) == ["两免一补", "“双高普九”"]
    for entry in define(text).values():
        assert text[entry.start : entry.end] == entry.quote


@pytest.mark.parametrize(
    ("text", "term", "parts"),
    [
        ("坚持“两个维护”,即坚决维护核心地位,坚决维护集中统一领导。", "“两个维护”", 2),
        ("坚持“两个维护”，即坚决维护核心地位，坚决维护集中统一领导。", "“两个维护”", 2),
        ("生产安全事故“双下降”即事故起数和死亡人数同时下降。", "“双下降”", 0),
        ("落实三农,即农业、农村、农民。", "三农", 3),
        ("坚持“三个区分开来”,即把A区分开来;把B区分开来;把C区分开来。", "“三个区分开来”", 3),
    ],
)
def test_ji_introduces_a_definition(text, term, parts):
    entry = define(text)[term]
    assert len(entry.parts) == parts
    assert fold_chars(entry.term) in fold_chars(entry.quote)


def test_shi_zhi_needs_no_number():
    entry = define("所谓新质生产力,是指在科技创新驱动下实现的一种生产力跃迁。")["新质生产力"]
    assert entry.definition == "在科技创新驱动下实现的一种生产力跃迁"
    assert entry.parts == []


@pytest.mark.parametrize(
    ("text", "term", "parts"),
    [
        ("着力解决三农(农业、农村、农民)问题。", "三农", ["农业", "农村", "农民"]),
        ("着力解决三农（农业、农村和农民）问题。", "三农", ["农业", "农村", "农民"]),
        (
            "增强“四个意识”（政治意识、大局意识、核心意识、看齐意识）。",
            "“四个意识”",
            ["政治意识", "大局意识", "核心意识", "看齐意识"],
        ),
        (
            "压减“三公”经费(因公出国(境)费、公务用车购置及运行费、公务接待费)。",
            "“三公”经费",
            ["因公出国(境)费", "公务用车购置及运行费", "公务接待费"],
        ),
    ],
)
def test_brackets_list_the_parts_of_the_term_before_them(text, term, parts):
    assert define(text)[term].parts == parts


@pytest.mark.parametrize(
    "text",
    [
        "实行“领导示范带学、端正学风促学”的“三学”机制;",  # two parts, three announced
        "着力解决三农(农业、农村)问题。",
        "压减“三公”经费(因公出国费、公务接待费)。",
        "新增创新街区(楼宇、园区)5.2万平方米,2023年(含)以来,以下简称(街区)。",
        "因公出国(境)费,分(子)公司。",  # ordinary parentheticals
        "坚持“招商为要、项目为王”的发展导向。",  # a list with no number to check
        "这项工作即将完成,请立即整改,即可上报。",  # 即 in ordinary words
        "我们要坚持稳中求进,即稳字当头。",  # 即 after an unmarked clause
        "这主要是指工作方法,这是指什么。",  # 是指 after an adverb or a demonstrative
    ],
)
def test_lists_whose_count_does_not_match_and_ordinary_prose_are_rejected(text):
    assert inline.inline_definitions(text) == []


def test_a_matching_count_scores_higher_than_a_missing_one():
    counted = define("坚持“两个维护”,即坚决维护核心地位,坚决维护集中统一领导。")["“两个维护”"]
    uncounted = define("坚持“两个维护”,即始终如一。")["“两个维护”"]
    assert counted.score > uncounted.score


def test_traditional_and_corner_quoted_copies_give_the_same_definition():
    entry = define("構建「領導示範帶學、端正學風促學、隨機抽查督學」的「三學」機制。")[
        "「三學」機制"
    ]
    assert key(entry.term) == "三学机制"
    assert entry.parts == ["領導示範帶學", "端正學風促學", "隨機抽查督學"]  # as printed


@pytest.mark.parametrize("path", sorted(SEEDS.glob("0*.txt")), ids=lambda p: p.name[:3])
def test_every_seed_definition_has_the_count_its_term_announces(path):
    text = path.read_text(encoding="utf-8")
    for entry in inline.inline_definitions(text):
        assert text[entry.start : entry.end] == entry.quote
        assert fold_chars(entry.term) in fold_chars(entry.quote)
        assert len(entry.parts) in frames.announced_counts(entry.term)
        assert 0 <= entry.score <= 1
