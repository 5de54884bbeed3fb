"""Inline definitions: lists, brackets, glosses, 即/是指/所谓 and back-references, checked
against the count a term announces, with English kept apart from the definition."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from glossary import frames
from glossary.harvest import inline
from glossary.text import fold_chars, key

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS = SHARED / "seeds"
PROVINCES = SHARED / "provinces-2026"
XISHAN = SEEDS / "001_e78dfe01e84b3daf.txt"
JIANGAN = SEEDS / "002_63741cc1e03311a7.txt"
LABELLED = Path(__file__).parent / "fixtures" / "inline_labelled.yaml"
ENGLISH_PROSE = re.compile(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}")  # three Latin words in a row


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


def labelled_cases() -> list[dict]:
    return yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["cases"]


def found(text: str) -> set[tuple[str, str]]:
    return {(e.term, e.definition) for e in inline.inline_definitions(text)}


def test_the_labelled_sample_is_found_with_high_recall_and_precision():
    cases = labelled_cases()
    assert len(cases) >= 40
    right = wrong = missed = 0
    for case in cases:
        expected = {(d["term"], d["definition"]) for d in case["defines"]}
        got = found(case["text"])
        right += len(got & expected)
        wrong += len(got - expected)
        missed += len(expected - got)
    recall, precision = right / (right + missed), right / max(1, right + wrong)
    print(f"inline sample: recall {recall:.2f}, precision {precision:.2f} ({right} right)")
    assert recall >= 0.8
    assert precision >= 0.9


@pytest.mark.parametrize("case", labelled_cases(), ids=lambda c: f"{c['family']}:{c['text'][:12]}")
def test_every_sample_definition_is_quoted_from_the_text_and_never_english(case):
    text = case["text"]
    english = {(d["term"], d["definition"]): d.get("english") for d in case["defines"]}
    for entry in inline.inline_definitions(text):
        assert text[entry.start : entry.end] == entry.quote
        assert entry.term in entry.quote and entry.definition in text
        assert not ENGLISH_PROSE.search(entry.definition)
        if (entry.term, entry.definition) in english:
            assert entry.english == english[entry.term, entry.definition]


@pytest.mark.parametrize(
    "text",
    [
        "践行“四下基层”——“宣传党的路线方针政策下基层、调查研究下基层、信访接待下基层、"
        "现场办公下基层”。",
        "弘扬“四千精神”——“走遍千山万水、说尽千言万语、想尽千方百计、吃尽千辛万苦”。",
        "传承“浦江经验”——“变群众上访为领导下访”，是指领导干部下基层接待群众。",
    ],
)
def test_a_quotation_after_a_dash_defines_nothing(text):
    assert inline.inline_definitions(text) == []


@pytest.mark.parametrize(
    ("text", "term", "definition"),
    [
        ("所谓“两重”，就是国家重大战略实施和重点领域安全能力建设。", "“两重”",
         "国家重大战略实施和重点领域安全能力建设"),
        ("所谓链长制，是指由党政主要负责同志担任产业链链长的工作机制。", "链长制",
         "由党政主要负责同志担任产业链链长的工作机制"),
        ("所谓“标准地”，就是指带控制性指标出让的国有建设用地。", "“标准地”",
         "带控制性指标出让的国有建设用地"),
    ],
)  # fmt: skip
def test_suowei_introduces_a_definition(text, term, definition):
    assert found(text) == {(term, definition)}


def test_jiushi_defines_only_after_suowei():
    assert found("发展就是硬道理，“实干”就是最好的答卷。") == set()


@pytest.mark.parametrize(
    ("text", "term", "definition"),
    [
        ("“首贷户”，指的是首次获得银行贷款的市场主体。", "“首贷户”", "首次获得银行贷款的市场主体"),
        ("专精特新是指专业化、精细化、特色化、新颖化。", "专精特新",
         "专业化、精细化、特色化、新颖化"),
        ("“新三样”，指电动汽车、锂电池、光伏产品。", "“新三样”", "电动汽车、锂电池、光伏产品"),
        ("新型农村集体经济，即以集体资产为纽带的经济形态。", "新型农村集体经济",
         "以集体资产为纽带的经济形态"),
        ("“两重”主要是指国家重大战略实施和重点领域安全能力建设。", "“两重”",
         "国家重大战略实施和重点领域安全能力建设"),
        ("巩固“四个不摘”[1]，即摘帽不摘责任、摘帽不摘政策、摘帽不摘帮扶、摘帽不摘监管。",
         "“四个不摘”", "摘帽不摘责任、摘帽不摘政策、摘帽不摘帮扶、摘帽不摘监管"),
    ],
)  # fmt: skip
def test_copulas_define_the_name_before_them(text, term, definition):
    assert found(text) == {(term, definition)}


@pytest.mark.parametrize(
    "text",
    [
        "完善“2115”接诉即办等机制。",  # 即 inside a word after the quote
        "“天河”则指银河，“踔厉”形容精神奋发。",
        "“两新”“两重”，分别是指设备更新和消费品以旧换新、重大战略实施和安全能力建设。",
        "我们每做一件实事，就是在为党“培根”。",
        "坚持稳中求进，即稳字当头、以进促稳。",  # a verb before the name: a usage
        "他指出，要持续深化改革，指导各项工作开展。",
    ],
)
def test_copulas_in_ordinary_prose_define_nothing(text):
    assert inline.inline_definitions(text) == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("“飞地”模式是指：在行政上互不隶属的地区之间合作共建园区。", "“飞地”模式"),
        ("揭榜挂帅是指，把需要的关键核心技术项目张榜公布。", "揭榜挂帅"),
        ("“标准地”是指： 带控制性指标出让的国有建设用地。", "“标准地”"),
    ],
)
def test_a_colon_or_comma_after_the_verb_is_not_part_of_the_definition(text, term):
    entry = define(text)[term]
    assert entry.definition[0] not in ",，:： "
    assert entry.definition in text


@pytest.mark.parametrize(
    ("text", "term", "definition"),
    [
        ("全面推行“林长制”改革。该项改革是指在各级设立林长，统筹森林资源保护。", "“林长制”改革",
         "在各级设立林长，统筹森林资源保护"),
        ("我市建立“吹哨报到”机制。这一机制是指街道发现问题后“吹哨”，部门“报到”处理。",
         "“吹哨报到”机制", "街道发现问题后“吹哨”，部门“报到”处理"),
        ("今年全面实施“亩均论英雄”。此举是指按照单位面积产出对企业分类评价。", "“亩均论英雄”",
         "按照单位面积产出对企业分类评价"),
        ("深化“放管服”改革，推行“一件事一次办”。这项改革是指简政放权、放管结合、优化服务。",
         "“放管服”改革", "简政放权、放管结合、优化服务"),
    ],
)  # fmt: skip
def test_a_back_reference_defines_the_name_it_points_to(text, term, definition):
    [entry] = inline.inline_definitions(text)
    assert (entry.term, entry.definition) == (term, definition)
    assert entry.quote == text  # both sentences: the name and what it means


@pytest.mark.parametrize(
    "text",
    [
        "统筹推进“两个健康”和“三个转变”。这一工作是指引导民营经济健康发展。",  # which one?
        "践行“绿水青山就是金山银山，冰天雪地也是金山银山”的理念。该理念是指保护生态。",
        "该项改革是指将审批事项集中到一个窗口办理。",  # nothing named before
        "推行“一窗受理”。\n[3]这一机制是指由企业提出需求、部门协同办理。",  # a note's own marker
    ],
)
def test_a_back_reference_with_no_single_name_before_it_defines_nothing(text):
    assert inline.inline_definitions(text) == []


@pytest.mark.parametrize(
    ("text", "term", "definition"),
    [
        ("统筹推进“两重”（国家重大战略实施和重点领域安全能力建设）项目。", "“两重”",
         "国家重大战略实施和重点领域安全能力建设"),
        ("加快推进新型工业化（以科技创新为动力、以数字化转型为特征的工业化）。", "新型工业化",
         "以科技创新为动力、以数字化转型为特征的工业化"),
        ("做好“一老一小”（老年人和婴幼儿）服务保障。", "“一老一小”", "老年人和婴幼儿"),
        ("做强“链主”企业（在产业链中居于主导地位的龙头企业）。", "“链主”企业",
         "在产业链中居于主导地位的龙头企业"),
        ("深化“放管服”改革（简政放权、放管结合、优化服务）。", "“放管服”改革",
         "简政放权、放管结合、优化服务"),
    ],
)  # fmt: skip
def test_a_bracketed_gloss_defines_the_term_before_it(text, term, definition):
    assert found(text) == {(term, definition)}


@pytest.mark.parametrize(
    "text",
    [
        "办好全国“村BA”（南部赛区）比赛。",  # a place
        "为在校小学生每天提供“一杯奶”（牵头单位：教育厅）。",  # a note
        "落实“菜篮子”（省农业农村厅、省商务厅按职责分工负责）工程。",
        "主动对接全面与进步跨太平洋伙伴关系协定（CPTPP）等规则。",  # a Latin abbreviation
        "推进“两重”（Two Priorities）建设。",  # English
        "编制“十五五”规划（2026—2030年）。",  # dates
        "推动长江经济带（含11个省市）发展。",
        "大规模设备更新和消费品以旧换新（以下简称“两新”）成效明显。",
        "布局一批“数据特区”（北京、上海、广州、深圳）。",  # a list of places
        "新增住宅小区业主委员会（物业管理委员会）1000个。",  # another name
        "新增学前普惠学位16万个，11个县（市、区）通过国家评估。",
    ],
)
def test_brackets_that_are_no_gloss_define_nothing(text):
    assert inline.inline_definitions(text) == []


@pytest.mark.parametrize(
    ("text", "term", "english"),
    [
        ("“两重”（国家重大战略实施和重点领域安全能力建设）\n“Two Priorities”: major national "
         "strategies and security capacity in key areas\n", "“两重”",
         "“Two Priorities”: major national strategies and security capacity in key areas"),
        ("新质生产力（New Quality Productive Forces），是指由技术革命性突破催生的先进生产力。",
         "新质生产力", "New Quality Productive Forces"),
        ("“两新”是指大规模设备更新和消费品以旧换新 Large-scale equipment renewals\n", "“两新”",
         "Large-scale equipment renewals"),
        ("“两重”是指重大战略实施和安全能力建设（major strategies and security capacity）。",
         "“两重”", "major strategies and security capacity"),
        ("推动“数实融合”（数字经济和实体经济深度融合，integration of the digital and real "
         "economies）。", "“数实融合”", "integration of the digital and real economies"),
    ],
)  # fmt: skip
def test_english_beside_a_definition_is_its_english_not_its_definition(text, term, english):
    entry = define(text)[term]
    assert entry.english == english
    assert not re.search("[A-Za-z]", entry.definition)
    assert entry.definition in text


@pytest.mark.parametrize(
    "text",
    [
        "“两重”，即 the implementation of major national strategies。",
        "New quality productive forces, that is, advanced productivity driven by innovation.",
    ],
)
def test_english_alone_is_never_a_definition(text):
    assert inline.inline_definitions(text) == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("“‘两免一补三保障’救助政策”，是指对困难家庭学生免学费、免住宿费、补助生活费的政策。",
         "“‘两免一补三保障’救助政策”"),
        ("落实‘两免一补三保障’救助政策，即对困难家庭学生免学费、免住宿费、补助生活费。",
         "‘两免一补三保障’救助政策"),
        ("全面落实“‘两免一补三保障’救助政策”（对困难家庭学生免学费并补助生活费的救助政策）。",
         "“‘两免一补三保障’救助政策”"),
        ("推行“‘一件事’集成改革”。该项改革是指把多个相关事项整合为一件事一次办。",
         "“‘一件事’集成改革”"),
    ],
)  # fmt: skip
def test_a_name_quoted_inside_quotes_is_one_term(text, term):
    assert [e.term for e in inline.inline_definitions(text)] == [term]


# Checked by hand against the reports: each says what its term means, as printed. Names
# without the head that may follow them (“五健”促进行动计划): where a name ends is mining's
# call (``head_after``), what it means is ours.
PROVINCIAL = {
    "guangdong": {"“供应链改造”", "“产业链改造”"},
    "hunan": {"四算一体"},
    "ningxia": {"“五健”"},
    "shandong": {"“八个显著提升”", "“十大工程”"},
    "sichuan": {"“六横”", "“六纵”", "科技英才领航工程", "“双千”计划"},
    "xinjiang": {"“九个坚持”"},
}


def test_the_provincial_reports_give_only_the_definitions_checked_by_hand():
    for path in sorted(PROVINCES.glob("2026_*.txt")):
        text = path.read_text(encoding="utf-8")
        entries = inline.inline_definitions(text)
        checked = PROVINCIAL.get(path.name.split("_")[1], set())
        named = {n for e in entries for n in checked if key(e.term).startswith(key(n))}
        assert len(entries) == len(checked) and named == checked, path.name
        for entry in entries:
            assert entry.definition in text and not ENGLISH_PROSE.search(entry.definition)


def test_a_clause_before_the_list_is_not_its_first_part():
    entries = {
        e.term: e
        for e in inline.inline_definitions(
            (PROVINCES / "2026_shandong_gov-report.txt").read_text(encoding="utf-8")
        )
    }
    assert entries["“十大工程”"].parts[0] == "产业能级跃升"  # not 我们将聚力实施产业能级跃升
    assert entries["“八个显著提升”"].parts[0] == "高质量发展水平"  # not 推动实现…
