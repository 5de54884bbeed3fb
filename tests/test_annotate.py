from __future__ import annotations

import doctest
import gc
import itertools
import json
import threading
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary import annotate, spans, store, text
from glossary.annotate import MAX_SPANS, Annotator, Found, Span
from glossary.model import Glossary, Sense, Term
from glossary.spans import json_objects

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def make_term(
    term_id: str,
    headword: str,
    *aliases: str,
    status: str = "reviewed",
    scope: str | None = None,
    definition: str | None = None,
) -> Term:
    senses = [Sense(definition=definition, scope=scope)] if scope or definition else []
    return Term(term_id, headword, status, aliases=list(aliases), senses=senses)


def annotator_of(*terms: Term) -> Annotator:
    return Annotator(Glossary(terms=list(terms)))


def found(annotator: Annotator, written: str, locality: str | None = None) -> list[tuple]:
    """(id, matched_text) of every span, after checking the span's offsets are true."""
    spans = annotator.annotate(written, locality)
    for span in spans:
        assert written[span.start : span.end] == span.matched_text
    return [(s.id, s.matched_text) for s in spans]


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return store.load(REPO / "data" / "terms.yaml")


@pytest.fixture(scope="module")
def shipped_annotator(shipped: Glossary) -> Annotator:
    return Annotator(shipped)


def test_module_examples_are_true():
    assert doctest.testmod(annotate).failed == 0
    assert doctest.testmod(spans).failed == 0


# Longest match, no overlaps


def test_a_whole_term_beats_a_shorter_form_at_the_same_place():
    annotator = annotator_of(
        make_term("san-ge-qu-fen-kai-lai", "三个区分开来"),
        make_term("san-ge-qu-fen", "三个区分"),
    )
    assert found(annotator, "坚持三个区分开来。") == [("san-ge-qu-fen-kai-lai", "三个区分开来")]


def test_a_whole_term_beats_a_shorter_alias_inside_it():
    annotator = annotator_of(
        make_term("san-ge-qu-fen-kai-lai", "三个区分开来"),
        make_term("qu-fen-kai-lai", "“区分开来”", "区分", "开来"),
    )
    assert found(annotator, "坚持三个区分开来。") == [("san-ge-qu-fen-kai-lai", "三个区分开来")]
    assert found(annotator, "要区分开来") == [("qu-fen-kai-lai", "区分开来")]


def test_the_leftmost_term_wins_an_overlap_and_the_next_one_starts_after_it():
    annotator = annotator_of(make_term("shuang-jian", "双减"), make_term("jian-shui", "减税"))
    assert found(annotator, "双减税") == [("shuang-jian", "双减")]
    assert found(annotator, "双减减税") == [("shuang-jian", "双减"), ("jian-shui", "减税")]


def test_spans_in_every_seed_report_come_in_order_and_never_overlap(shipped_annotator):
    for path in SEED_FILES:
        spans = shipped_annotator.annotate(path.read_text(encoding="utf-8"))
        assert spans, path.name
        for before, after in itertools.pairwise(spans):
            assert before.end <= after.start, (path.name, before, after)


# Quotes, width and script


def test_a_traditional_term_in_corner_quotes_maps_to_its_exact_original_span():
    annotator = annotator_of(make_term("san-ge-qu-fen-kai-lai", "三个区分开来"))
    written = "他說：「堅持三個區分開來」。"
    [span] = annotator.annotate(written)
    assert (span.start, span.end) == (6, 12)
    assert span.matched_text == "三個區分開來"
    assert span.term == "三个区分开来"


def test_full_width_characters_and_quotes_are_matched_and_kept_as_written():
    annotator = annotator_of(make_term("1-3-n", "“1+3+N”招商工作机制", "1+3+N招商工作机制"))
    written = "（一）构建“１＋３＋Ｎ”招商工作机制，"
    [span] = annotator.annotate(written)
    assert span.matched_text == "“１＋３＋Ｎ”招商工作机制"
    assert (span.start, span.end) == (5, 18)


def test_quotes_that_only_surround_a_term_stay_outside_the_span():
    annotator = annotator_of(make_term("shuang-jian", "“双减”"))
    assert found(annotator, "落实“双减”政策") == [("shuang-jian", "双减")]
    assert found(annotator, "落实『双减』政策") == [("shuang-jian", "双减")]


def test_a_quote_inside_a_term_brings_its_partner_into_the_span():
    annotator = annotator_of(
        make_term("531", "“531”产业体系", "531产业体系"),
        make_term("san-zhang-qing-dan", "社区治理“三张清单”", "社区治理三张清单"),
    )
    assert found(annotator, "锚定“531”产业体系，") == [("531", "“531”产业体系")]
    assert found(annotator, '锚定"531"产业体系') == [("531", '"531"产业体系')]
    assert found(annotator, "完善社区治理“三张清单”。") == [
        ("san-zhang-qing-dan", "社区治理“三张清单”")
    ]


def test_a_term_written_without_its_quotes_is_found_too():
    annotator = annotator_of(make_term("531", "“531”产业体系"))
    assert found(annotator, "锚定531产业体系") == [("531", "531产业体系")]


# Offsets


def test_offsets_point_into_the_original_text_past_quotes_and_full_width_text():
    annotator = annotator_of(make_term("shuang-jian", "双减"), make_term("yi-biao", "一标三实"))
    written = "“全面”落实（双减），夯实「一標三實」工作基礎"
    spans = annotator.annotate(written)
    assert [(s.start, s.end, s.matched_text) for s in spans] == [
        (7, 9, "双减"),
        (14, 18, "一標三實"),
    ]


def test_utf16_offsets_count_an_emoji_before_a_term_as_two_code_units():
    annotator = annotator_of(make_term("shuang-jian", "双减"), make_term("yi-biao", "一标三实"))
    written = "👍 落实双减，🇨🇳𠀀夯实一标三实"
    spans = annotator.annotate(written)
    assert [(s.start, s.start16, s.end16) for s in spans] == [(4, 5, 7), (12, 16, 20)]
    utf16 = written.encode("utf-16-le")
    for span in spans:
        assert utf16[2 * span.start16 : 2 * span.end16].decode("utf-16-le") == span.matched_text


def test_utf16_offsets_equal_code_point_offsets_in_basic_plane_text():
    annotator = annotator_of(make_term("shuang-jian", "双减"))
    [span] = annotator.annotate("落实双减")
    assert (span.start16, span.end16) == (span.start, span.end) == (2, 4)


def test_hostile_characters_do_not_shift_offsets_or_crash():
    annotator = annotator_of(make_term("shuang-jian", "双减"))
    # "İ".lower() is two characters; a lone surrogate is valid JSON but not UTF-8.
    written = "İstanbul双减\ud800双减"
    assert found(annotator, written) == [("shuang-jian", "双减")] * 2
    assert [s.start16 for s in annotator.annotate(written)] == [8, 11]


# Whitespace


def test_a_line_break_inside_a_term_is_skipped():
    annotator = annotator_of(make_term("san-ge-qu-fen-kai-lai", "三个区分开来"))
    assert found(annotator, "坚持三个区分\n开来，为担当者担当") == [
        ("san-ge-qu-fen-kai-lai", "三个区分\n开来")
    ]
    assert found(annotator, "三个\r\n区分 开来") == [("san-ge-qu-fen-kai-lai", "三个\r\n区分 开来")]


def test_a_match_never_starts_or_ends_on_whitespace():
    annotator = annotator_of(make_term("shuang-jian", "双减"))
    [span] = annotator.annotate("落实 \n 双减 \n 政策")
    assert span.matched_text == "双减"


def test_a_term_never_spans_a_blank_line():
    annotator = annotator_of(make_term("san-ge-qu-fen-kai-lai", "三个区分开来"))
    assert found(annotator, "三个区分\n\n开来") == []
    assert found(annotator, "三个区分\r\n  \r\n开来") == []


def test_a_space_between_two_ascii_digits_splits_a_code():
    annotator = annotator_of(make_term("531", "“531”产业体系", "531"))
    assert found(annotator, "5 31产业体系") == []
    assert found(annotator, "“53 1”") == []
    assert found(annotator, "“531” 产业体系") == [("531", "“531” 产业体系")]


# Boundary rules


def test_a_one_character_form_never_matches():
    annotator = annotator_of(make_term("shuang", "“双”", "双"), make_term("5", "5"))
    assert found(annotator, "双减双创“双”“5”") == []


def test_an_ascii_form_does_not_match_inside_a_longer_ascii_word_or_number():
    annotator = annotator_of(make_term("1-3-n", "“1+3+N”", "1+3+N"))
    assert found(annotator, "构建1+3+N机制") == [("1-3-n", "1+3+N")]
    assert found(annotator, "x1+3+N") == []
    assert found(annotator, "21+3+N") == []
    assert found(annotator, "1+3+Nx") == []
    assert found(annotator, "１＋３＋Ｎｘ") == []  # full width is still ASCII once folded
    assert found(annotator, "a “1+3+N” b") == [("1-3-n", "1+3+N")]


def test_a_term_with_an_ascii_edge_needs_that_edge_free():
    annotator = annotator_of(make_term("531", "“531”产业体系", "531产业体系"))
    assert found(annotator, "锚定2531产业体系") == []
    assert found(annotator, "锚定“531”产业体系") == [("531", "“531”产业体系")]


def test_a_number_code_matches_only_where_the_text_quotes_it():
    annotator = annotator_of(make_term("531", "“531”产业体系", "531"))
    assert found(annotator, "锚定“531”，") == [("531", "531")]
    assert found(annotator, "锚定「531」，") == [("531", "531")]
    assert found(annotator, "锚定'531'") == [("531", "531")]
    assert found(annotator, "“5312”") == []
    assert found(annotator, "a531b") == []
    assert found(annotator, "拆除违章建筑531处") == []  # a quantity, not the code


def test_deprecated_terms_are_never_found():
    annotator = annotator_of(
        make_term("shuang-jian", "双减", status="deprecated"),
        make_term("shuang-chuang", "双创", status="candidate"),
    )
    assert found(annotator, "双减双创") == [("shuang-chuang", "双创")]
    assert "双减" not in annotator.patterns


def test_an_empty_glossary_or_text_finds_nothing():
    assert Annotator(Glossary()).annotate("双减") == []
    assert annotator_of(make_term("shuang-jian", "双减")).annotate("") == []


# Terms that share a headword


def shared_headword() -> Annotator:
    return annotator_of(
        make_term("yi-biao-huarong", "一标三实", status="candidate", scope="湖北省鄂州市华容区"),
        make_term("yi-biao-jiangan", "一标三实", scope="湖北省武汉市江岸区", definition="江岸"),
        make_term("yi-biao-hongqiao", "“一标三实”", scope="浙江省温州市乐清市虹桥镇"),
    )


def test_locality_picks_the_term_whose_scope_contains_it():
    annotator = shared_headword()
    assert found(annotator, "一标三实", "江岸区") == [("yi-biao-jiangan", "一标三实")]
    assert found(annotator, "一标三实", "华容区") == [("yi-biao-huarong", "一标三实")]
    assert found(annotator, "一标三实", "湖北省鄂州市华容区") == [("yi-biao-huarong", "一标三实")]
    assert found(annotator, "一標三實", "江岸區") == [("yi-biao-jiangan", "一標三實")]


def test_without_a_matching_locality_the_reviewed_term_wins_then_the_first():
    assert found(shared_headword(), "一标三实") == [("yi-biao-jiangan", "一标三实")]
    assert found(shared_headword(), "一标三实", "北京") == [("yi-biao-jiangan", "一标三实")]
    assert found(shared_headword(), "一标三实", " ") == [("yi-biao-jiangan", "一标三实")]
    unreviewed = annotator_of(
        make_term("a", "一标三实", status="candidate"),
        make_term("b", "一标三实", status="candidate"),
    )
    assert found(unreviewed, "一标三实") == [("a", "一标三实")]


# Payload


def test_terms_payload_gives_headword_reading_and_the_local_definition():
    annotator = annotator_of(
        Term(
            "yi-biao-san-shi",
            "一标三实",
            "reviewed",
            senses=[
                Sense(definition=None, scope="湖北省鄂州市华容区"),
                Sense(
                    definition="标准地址、实有人口、实有房屋、实有单位。",
                    scope="湖北省武汉市江岸区",
                ),
                Sense(definition="华容的说法。", scope="湖北省鄂州市华容区"),
            ],
        ),
        make_term("1310", "“1310”工作体系", status="candidate"),
    )
    spans = annotator.annotate("夯实一标三实，深化“1310”工作体系，一标三实")
    assert annotator.terms_payload(spans) == {
        "yi-biao-san-shi": {
            "term": "一标三实",
            "pinyin": "yī biāo sān shí",
            "definition": "标准地址、实有人口、实有房屋、实有单位。",
        },
        "1310": {
            "term": "“1310”工作体系",
            "pinyin": "yī sān yī líng gōng zuò tǐ xì",
            "definition": None,
        },
    }
    local = annotator.terms_payload(spans, "华容区")
    assert local["yi-biao-san-shi"]["definition"] == "华容的说法。"
    assert annotator.terms_payload([]) == {}


def test_terms_payload_uses_the_curated_reading():
    annotator = annotator_of(
        Term("huan-jian", "还建", "reviewed", pinyin="huán jiàn"),
    )
    spans = annotator.annotate("推进还建")
    assert annotator.terms_payload(spans)["huan-jian"]["pinyin"] == "huán jiàn"


def test_terms_payload_refuses_spans_of_another_glossary():
    annotator = annotator_of(make_term("shuang-jian", "双减"))
    stranger = Span(0, 2, 0, 2, "not-here", "双创", "双创")
    with pytest.raises(ValueError, match="not-here"):
        annotator.terms_payload([stranger])


def test_one_annotator_serves_many_threads(shipped_annotator):
    report = SEED_FILES[2].read_text(encoding="utf-8")
    expected = shipped_annotator.annotate(report)
    results: list[list[Span]] = []

    def work() -> None:
        results.append(shipped_annotator.annotate(report))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 8


# Bounded work: a limit, and the same spans however they are computed


def test_a_limit_keeps_the_first_spans_and_says_there_were_more():
    annotator = annotator_of(make_term("531", "“531”产业体系", "531"), make_term("sj", "双减"))
    # Refused bare codes come first: the limit counts spans kept, not matches found.
    written = "531处" * 5 + "双减“531”" * 3
    every = annotator.annotate(written)
    assert len(every) == 6
    for limit in range(8):
        first = annotator.find(written, limit=limit)
        assert first.spans() == every[:limit] == annotator.annotate(written, limit=limit)
        assert first.truncated == (limit < 6)
    assert annotator.find(written).truncated is False


def test_max_spans_is_far_above_what_a_report_holds(shipped_annotator):
    most = max(len(shipped_annotator.annotate(p.read_text(encoding="utf-8"))) for p in SEED_FILES)
    assert MAX_SPANS >= 50_000
    assert 100 * most < MAX_SPANS


def test_found_lists_are_the_spans_of_annotate(shipped_annotator):
    for path in SEED_FILES:
        report = path.read_text(encoding="utf-8")
        found = shipped_annotator.find(report, "江岸区")
        spans = shipped_annotator.annotate(report, "江岸区")
        assert isinstance(found, Found) and found.spans() == spans and not found.truncated
        assert found.ids == list(dict.fromkeys(s.id for s in spans))
        assert shipped_annotator.terms_payload(found, "江岸区") == (
            shipped_annotator.terms_payload(spans, "江岸区")
        )


def test_a_straight_quote_between_two_terms_goes_to_the_first():
    annotator = annotator_of(make_term("sj", "双减"), make_term("cx", "创新"))
    assert found(annotator, '双"减"创"新') == [("sj", '双"减"'), ("cx", '创"新')]


def test_a_term_with_many_quotes_inside_takes_in_all_their_partners():
    annotator = annotator_of(make_term("sj", "双减"))
    written = "双" + "“" * 7 + "减" + "”" * 9
    assert found(annotator, written) == [("sj", written[:-2])]


def test_the_class_table_agrees_with_the_rules_one_character_at_a_time():
    table = annotate._class_table()
    for code in range(0x10000):
        char = chr(code)
        bits = int(table[code])
        assert bool(bits & annotate._ALNUM) == annotate._is_ascii_alnum(char), hex(code)
        assert bool(bits & annotate._QUOTE) == (char in text.QUOTES), hex(code)
        assert bool(bits & annotate._OPENS) == (char in annotate._OPENING), hex(code)
        assert bool(bits & annotate._CLOSES) == (char in annotate._CLOSING), hex(code)
        assert bool(bits & annotate._EITHER_WAY) == (char in annotate._EITHER), hex(code)
        assert bool(bits & annotate._SPACE) == char.isspace(), hex(code)


TERMS_AND_QUOTES = [
    *("三个区分开来", "“531”产业体系", "531", "双减", "1+3+N", "“五共”理念", "社区治理“三张清单”"),
    *"“”‘’「」『』\"'＂ \n\t\u30005１ａX，",
    *("\n\n", "“531”", "'双减'", "三个“区分”开来"),
]
QUOTED_PIECES = st.lists(st.sampled_from(TERMS_AND_QUOTES), max_size=16).map("".join)


def one_by_one(text_, classes, starts, ends, wide, quotes):
    return annotate._widened_in_order(text_, starts.tolist(), ends.tolist(), wide.tolist())


@given(written=QUOTED_PIECES)
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
def test_spans_widened_all_at_once_are_those_widened_one_after_another(written):
    annotator = annotator_of(
        make_term("531", "“531”产业体系", "531"), make_term("sj", "双减"),
        make_term("sg", "三个区分开来"), make_term("n", "“1+3+N”", "1+3+N"),
        make_term("wg", "“五共”理念"), make_term("qd", "社区治理“三张清单”"),
    )  # fmt: skip
    at_once = annotator.annotate(written)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(annotate, "_widened", one_by_one)
        assert at_once == annotator.annotate(written)
    for span in at_once:
        assert written[span.start : span.end] == span.matched_text


@given(
    written=QUOTED_PIECES,
    cuts=st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40)), min_size=1, max_size=8),
)
@settings(max_examples=300, deadline=None)
def test_quotes_counted_all_at_once_are_those_counted_one_span_at_a_time(written, cuts):
    written += "双减"  # never empty
    starts = np.array([min(s, len(written) - 1) for s, _ in cuts])
    ends = np.minimum(starts + [n for _, n in cuts], len(written))
    at_once = annotate._gap_verdicts(written, annotate._Classes(written), starts, ends)
    one_by_one = [annotate._gap(written[s:e]) for s, e in zip(starts, ends, strict=True)]
    assert at_once.tolist() == [list(v) for v in one_by_one]


def test_finding_leaves_garbage_collection_as_it_was(shipped_annotator):
    report = SEED_FILES[0].read_text(encoding="utf-8")
    assert shipped_annotator.find(report) and gc.isenabled()
    gc.disable()
    try:
        assert shipped_annotator.find(report) and not gc.isenabled()
    finally:
        gc.enable()


# Columns, and their JSON


def test_json_objects_write_every_number_as_json_does():
    numbers = [0, 7, 9, 10, 99, 100, 531, 9_999, 10_000, 10_001, 1_234_567, 99_999_999]
    columns = {"a": np.array(numbers), "start16": np.array(numbers[::-1])}
    tails = [b'"id":"x"}', b'"t":"\\u3000"}']
    which = np.arange(len(numbers)) % 2
    expected = [
        {"a": a, "start16": b, **json.loads(b"{" + tails[w])}
        for a, b, w in zip(numbers, numbers[::-1], which.tolist(), strict=True)
    ]
    written = json_objects(columns, tails, which)
    assert written == json.dumps(expected, separators=(",", ":")).encode()[1:-1]
    assert json_objects({"a": np.array([5])}, [b'"b":1}'], np.array([0])) == b'{"a":5,"b":1}'
    assert json_objects(columns, tails, np.zeros(0, dtype=np.int64)) == b""


@pytest.mark.parametrize("number", [-1, 100_000_000])
def test_json_objects_refuse_numbers_they_cannot_write(number):
    with pytest.raises(ValueError, match="'end': the values must be from 0 to 99,999,999"):
        json_objects({"start": np.array([0]), "end": np.array([number])}, [b"}"], np.array([0]))


def test_a_term_longer_than_any_expected_form_is_cut_out_as_written():
    headword = "长江" * 10 + "“三张清单”" + "治理" * 10  # past spans._LONGEST_EXPECTED
    annotator = annotator_of(make_term("long", headword), make_term("sj", "双减"))
    corners = headword.replace("“", "「").replace("”", "」")
    spread = "长江" * 10 + "三张\n清单" + "治理" * 10
    written = f"{headword}，双减；{corners}。{spread}" * 2
    expected = [("long", headword), ("sj", "双减"), ("long", corners), ("long", spread)] * 2
    assert found(annotator, written) == expected
    assert annotator.find(written).texts == [headword, "双减", corners, spread]


# Terms whose matched texts JSON must escape (a backslash, a control character, a lone
# surrogate where U+FFFD is expected), astral characters, and one key written two ways.
ESCAPED_TERMS = [
    make_term("sg", "三个区分开来"), make_term("531", "“531”产业体系", "531"),
    make_term("n", "“1+3+N”招商工作机制", "1+3+N"), make_term("qd", "社区治理“三张清单”"),
    make_term("sj", "双减", scope="湖北省武汉市江岸区"), make_term("sj2", "雙減", scope="浙江省"),
    make_term("bs", "A\\B计划"), make_term("bell", "警\a报"), make_term("fffd", "替\ufffd换"),
    make_term("emoji", "双😀创"),
]  # fmt: skip
ESCAPED_PIECES = st.lists(
    st.sampled_from([
        "三个区分开来", "三個區分開來", "“531”产业体系", "「531」", "531", "双减", "雙減",
        "“１＋３＋Ｎ”招商工作机制", "1+3+N", "社区治理“三张清单”", "A\\B计划", "a\\b计划",
        "警\a报", "替\ud800换", "双😀创", "😀", "𠀀", *"“”\"‘’「」『』＂'\\", "\n\n",
        *" \n\t\r\x0b\x0c\x1c\x1f\x85\u3000\u2028", "\x00", "\x07", "ａ", "５", "，", "x", "5",
    ]),
    max_size=24,
).map("".join)  # fmt: skip


@given(written=ESCAPED_PIECES, locality=st.sampled_from([None, "江岸区", "浙江省"]))
@settings(max_examples=400, deadline=None)
def test_spans_written_from_columns_are_json_dumps_of_the_spans(written, locality):
    annotator = annotator_of(*ESCAPED_TERMS)
    found = annotator.find(written, locality)
    units = written.encode("utf-16-le", "surrogatepass")
    for span in found.spans():
        assert written[span.start : span.end] == span.matched_text
        cut = units[2 * span.start16 : 2 * span.end16].decode("utf-16-le", "surrogatepass")
        assert cut == span.matched_text
    assert found.spans() == annotator.annotate(written, locality)

    def encoded(value: object) -> bytes:
        dumped = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return dumped.encode("utf-8", "surrogatepass")

    tails = [
        encoded({"id": found.labels[owner][0], "term": found.labels[owner][1], "matched": m})[1:]
        for m, owner in zip(found.texts, found.owners, strict=True)
    ]
    columns = {"start": found.starts, "end": found.ends, "start16": found.starts16,
               "end16": found.ends16}  # fmt: skip
    expected = [
        {**{k: getattr(s, k) for k in ("start", "end", "start16", "end16", "id", "term")},
         "matched": s.matched_text}
        for s in found.spans()
    ]  # fmt: skip
    assert json_objects(columns, tails, found.cuts) == encoded(expected)[1:-1]


# Acceptance: the seed reports against an independent count

# Terms checked in every seed; between them they occur in each of the five reports.
COUNTED = [
    "san-ge-qu-fen-kai-lai",
    "531-chan-ye-ti-xi",
    "shuang-jian",
    "yi-biao-san-shi",
    "si-shang-qi-ye",
    "ba-ba-zhan-lve",
    "1-3-n-zhao-shang-gong-zuo-ji-zhi",
    "1310-gong-zuo-ti-xi",
    "125-chan-ye-ti-xi",
    "san-xue-ji-zhi",
    "si-da-bi-pin",
    "shi-da-gong-cheng",
    "shuang-bai",  # “双百” is always part of “双百”示范创建和达标整治 in the seeds
    "she-qu-zhi-li-san-zhang-qing-dan",
    "deng-ling-qi-ye",
]


def independent_counts(report: str, glossary: Glossary) -> Counter[str]:
    """How often each term occurs in ``report``, counted without the annotator.

    Plain ``str.find`` over ``text.key(report)`` (quotes, spaces and line breaks gone),
    every form of every live term, longest first; a find counts only if no longer
    form already claimed one of its characters (so the alias 531 inside 531产业体系,
    or 双百 inside 双百示范创建和达标整治, is not counted again). The annotator's
    boundary rules, in their simplest form: a form with an ASCII letter or digit at an
    edge needs no ASCII letter or digit beside it; a bare number code (531, 1310)
    counts only as printed in quotes, found in a second fold that keeps the quotes,
    and not when a longer form goes on after the closing quote (“531”产业体系).
    Longest-first and the annotator's leftmost-longest could disagree on a chain
    of overlapping terms; none of the counted terms is in one.
    """
    owners: dict[str, Term] = {}
    for term in sorted(glossary.terms, key=lambda t: t.status != "reviewed"):
        if term.status != "deprecated":
            for form in term.forms:
                owners.setdefault(text.key(form), term)
    keys = sorted((k for k in owners if len(k) >= 2), key=len, reverse=True)
    codes = [k for k in keys if k.replace("+", "").isdigit()]
    folded = text.key(report)
    claimed = [False] * len(folded)
    counts: Counter[str] = Counter()
    for form in keys:
        if form in codes:
            continue
        at = folded.find(form)
        while at != -1:
            end = at + len(form)
            if any(claimed[at:end]) or ascii_blocked(folded, at, end):
                at = folded.find(form, at + 1)
                continue
            claimed[at:end] = [True] * len(form)
            counts[owners[form].id] += 1
            at = folded.find(form, end)
    quoted = "".join(text.normalise(report).lower().split()).replace("'", '"')
    for code in codes:
        longer = [k[len(code) :] for k in keys if k.startswith(code) and k != code]
        at = quoted.find(f'"{code}"')
        while at != -1:
            after = at + len(code) + 2
            if not any(quoted.startswith(rest, after) for rest in longer):
                counts[owners[code].id] += 1
            at = quoted.find(f'"{code}"', after)
    return counts


def ascii_blocked(folded: str, start: int, end: int) -> bool:
    def word(char: str) -> bool:
        return char.isascii() and char.isalnum()

    return (word(folded[start]) and start > 0 and word(folded[start - 1])) or (
        word(folded[end - 1]) and end < len(folded) and word(folded[end])
    )


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_each_seed_report_has_as_many_spans_per_term_as_an_independent_count(
    path, shipped, shipped_annotator
):
    report = path.read_text(encoding="utf-8")
    spans = Counter(s.id for s in shipped_annotator.annotate(report))
    expected = independent_counts(report, shipped)
    assert {i: spans[i] for i in COUNTED} == {i: expected[i] for i in COUNTED}
    assert any(expected[i] for i in COUNTED), f"no counted term occurs in {path.name}"


def test_the_counted_terms_occur_in_the_seeds(shipped):
    total = sum(
        (independent_counts(p.read_text(encoding="utf-8"), shipped) for p in SEED_FILES), Counter()
    )
    assert len(SEED_FILES) == 5
    for term_id in COUNTED:
        if term_id != "shuang-bai":
            assert total[term_id] > 0, term_id
    assert total["san-ge-qu-fen-kai-lai"] == 2
    assert total["1310-gong-zuo-ti-xi"] == 2  # “1310”工作体系 and a bare quoted “1310”
    assert total["125-chan-ye-ti-xi"] == 1  # 违章建筑125处 is a quantity


def test_every_seed_report_span_is_a_glossary_form_as_written(shipped, shipped_annotator):
    for path in SEED_FILES:
        report = path.read_text(encoding="utf-8")
        for span in shipped_annotator.annotate(report):
            assert report[span.start : span.end] == span.matched_text
            assert text.key(span.matched_text) in {text.key(f) for f in shipped.term(span.id).forms}
