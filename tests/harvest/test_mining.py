"""Mining jargon from its surface marks: the labelled seed sample, rules, offsets, folds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import opencc
import pytest
import yaml

from glossary.harvest import mining
from glossary.text import fold_chars, key

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
SAMPLE = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "mining_sample.yaml").read_text(encoding="utf-8")
)["seeds"]
WIDE = str.maketrans(
    {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "+": "＋"}
    | {str(d): chr(0xFF10 + d) for d in range(10)}  # ５３１
)


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def proposed(text: str) -> set[str]:
    return {key(e.term) for e in mining.mine(text) if e.score >= mining.PROPOSE}


@pytest.fixture(scope="module")
def proposals() -> dict[str, set[str]]:
    return {name: proposed(seed(name)) for name in SAMPLE}


def test_every_proposal_in_the_seeds_is_labelled(proposals):
    for name, labels in SAMPLE.items():
        known = {*labels["jargon"], *labels.get("unmarked", []), *labels["not_jargon"]}
        assert proposals[name] <= known, f"{name}: label {sorted(proposals[name] - known)}"


def test_labels_do_not_contradict_each_other():
    for name, labels in SAMPLE.items():
        jargon = {*labels["jargon"], *labels.get("unmarked", [])}
        assert not jargon & set(labels["not_jargon"]), name
        assert all(label == key(label) for label in [*jargon, *labels["not_jargon"]]), name


def test_precision_and_recall_on_the_labelled_seeds(proposals):
    counts = {"proposed": 0, "right": 0, "jargon": 0, "found": 0, "unmarked": 0, "seen": 0}
    for name, labels in SAMPLE.items():
        jargon, unmarked = set(labels["jargon"]), set(labels.get("unmarked", []))
        counts["proposed"] += len(proposals[name])
        counts["right"] += len(proposals[name] & (jargon | unmarked))
        counts["jargon"] += len(jargon)
        counts["found"] += len(proposals[name] & jargon)
        counts["unmarked"] += len(unmarked)
        counts["seen"] += len(proposals[name] & unmarked)
    precision = counts["right"] / counts["proposed"]
    recall = counts["found"] / counts["jargon"]
    overall = (counts["found"] + counts["seen"]) / (counts["jargon"] + counts["unmarked"])
    print(
        f"\nmining, score >= {mining.PROPOSE}: precision {precision:.3f} "
        f"({counts['right']}/{counts['proposed']}), recall {recall:.3f} "
        f"({counts['found']}/{counts['jargon']} marked jargon), "
        f"recall with unmarked jargon {overall:.3f}"
    )
    assert precision >= 0.8
    assert recall >= 0.8


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("000_3ab887b74c3e4ee3.txt", "“沉湖臻品”"),
        ("000_3ab887b74c3e4ee3.txt", "“家里去”"),
        ("001_e78dfe01e84b3daf.txt", "“先进集体”"),
        ("002_63741cc1e03311a7.txt", "“中国百强区”"),
        ("002_63741cc1e03311a7.txt", "“40条”"),
        ("002_63741cc1e03311a7.txt", "“绿水青山就是金山银山”"),
        ("003_8a051dd645e0b453.txt", "“全国综合实力千强镇”"),
        ("004_5f942f7b6bb8bd03.txt", "“政务+商会”"),
    ],
)
def test_honours_brands_amounts_and_sayings_stay_out(name, quoted):
    assert quoted in seed(name)
    scores = [e.score for e in mining.mine(seed(name)) if key(e.term) == key(quoted)]
    assert all(score < 0.3 for score in scores), scores


@pytest.mark.parametrize(
    ("name", "term"),
    [
        ("004_5f942f7b6bb8bd03.txt", "“1310”工作体系"),
        ("004_5f942f7b6bb8bd03.txt", "“八八战略”"),
        ("003_8a051dd645e0b453.txt", "“125”产业体系"),
        ("003_8a051dd645e0b453.txt", "“两区一枢纽”"),
        ("000_3ab887b74c3e4ee3.txt", "“四大比拼”"),
        ("000_3ab887b74c3e4ee3.txt", "“十大工程”"),
        ("001_e78dfe01e84b3daf.txt", "“一村一品”"),
        ("001_e78dfe01e84b3daf.txt", "“三学”机制"),
        ("002_63741cc1e03311a7.txt", "“三张清单”"),
        ("002_63741cc1e03311a7.txt", "“1+3+N”招商工作机制"),
    ],
)
def test_known_jargon_comes_out_of_its_seed(name, term):
    entries = {e.term: e for e in mining.mine(seed(name))}
    assert term in entries
    assert entries[term].score >= mining.PROPOSE


@pytest.mark.parametrize("name", sorted(SAMPLE))
def test_each_entry_quotes_the_sentence_that_uses_it(name):
    text = seed(name)
    entries = mining.mine(text)
    assert len({key(e.term) for e in entries}) == len(entries)  # one entry per term
    assert [e.score for e in entries] == sorted((e.score for e in entries), reverse=True)
    for entry in entries:
        assert text[entry.start : entry.end] == entry.quote
        assert fold_chars(entry.term) in fold_chars(entry.quote)
        assert entry.kind == "usage" and entry.definition is None
        assert 0 <= entry.score <= 1
        assert not entry.quote[0].isspace() and "\n" not in entry.quote


@pytest.mark.parametrize("name", sorted(SAMPLE))
def test_full_width_and_traditional_copies_give_the_same_terms(name):
    narrow = {key(e.term): e.score for e in mining.mine(seed(name))}
    wide = {key(e.term): e.score for e in mining.mine(seed(name).translate(WIDE))}
    traditional = opencc.OpenCC("s2t").convert(seed(name))
    assert wide == narrow
    assert {key(e.term): e.score for e in mining.mine(traditional)} == narrow


def test_traditional_characters_and_corner_quotes_give_the_same_terms():
    text = "深入踐行「八八戰略」,持續奮戰「1310」;在「1310」工作體系指揮下推進一村一品。"
    assert [key(e.term) for e in mining.mine(text)] == ["1310工作体系", "八八战略", "一村一品"]


def test_the_quote_runs_from_sentence_end_to_sentence_end():
    text = "一、总体要求\n    2024年,深入践行“八八战略”;持续奋战“1310”。\n"
    quotes = {e.term: e.quote for e in mining.mine(text)}
    assert quotes == {"“八八战略”": "2024年,深入践行“八八战略”;", "“1310”": "持续奋战“1310”。"}


@pytest.mark.parametrize(
    ("text", "term", "score"),
    [
        ("在“1310”工作体系指挥下", "“1310”工作体系", 0.95),  # digit code + head
        ("构建“1+3+N”招商工作机制", "“1+3+N”招商工作机制", 0.95),
        ("长江大保护“双十工程”和", "“双十工程”", 0.9),  # head inside the quotes, no prefix
        ("推广“全科社工”模式", "“全科社工”模式", 0.6),  # plain name lifted by its head
        ("强化“红色物业”建设", "“红色物业”", 0.2),  # a plain name: kept for review only
        ("推动一村一品、一楼一业发展", "一村一品", 0.75),  # alternation, unquoted
        ("加快构建四纵九横道路网", "四纵九横", 0.75),  # halves of equal length
        ("大力发展四首经济", "四首经济", 0.55),  # numeral + name + head
        ("开展四大比拼活动", "四大比拼", 0.35),  # count + name, no head: for review
        ("对村、社区两委179辆私家车登记", "两委", 0.55),  # closed off; the dictionary: j
    ],
)
def test_marks_and_their_scores(text, term, score):
    entries = {e.term: e.score for e in mining.mine(text)}
    assert entries.get(term) == score, entries


@pytest.mark.parametrize(
    "text",
    [
        "五湖四海的朋友来自四面八方",  # idioms shaped like alternations
        "建立一级抓一级的责任链条",
        "学习党的二十届三中全会精神",
        "深入推进预算管理一体化改革",  # 一体化 is a word, not a count
        "下一步计划是三年行动计划",
        "“三峡系”企业13家",  # company family
        "一、聚焦产业振兴 (一)奋力完成全年目标。二要优化营商环境",  # section numbers
        "完成“百日整治”,建成“15分钟便民生活圈”,出台“40条”",  # amounts and times
        "坚持“一张蓝图绘到底、一茬接着一茬干”",  # slogan
        "用“生态+产业”的模式",  # a combination spelled out
        "第1名3次、第2名3次,1-9月完成2024年目标的7%",
    ],
)
def test_shapes_that_are_not_jargon_are_not_proposed(text):
    assert proposed(text) == set()


def test_importing_the_miner_reads_no_dictionary():
    code = "import glossary.harvest.mining as m; print(m.numeral_lexicon.cache_info().currsize)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "0", result.stderr


def test_the_dictionary_is_read_without_building_a_tokenizer_or_logging(capfd):
    mining.numeral_lexicon.cache_clear()
    assert mining.numeral_lexicon()["三峡"] == "ns"
    import jieba

    assert not jieba.dt.initialized  # no prefix dictionary, so no cache file written
    assert capfd.readouterr().err == ""
