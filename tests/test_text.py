from __future__ import annotations

import pytest

from glossary import text


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("“531”产业体系", "531产业体系"),
        ('"531"产业体系', "531产业体系"),
        ("「531」产业体系", "531产业体系"),
        ("‘531’产业体系", "531产业体系"),
        ("“５３１”产业体系", "531产业体系"),
        ("“1+3+N”招商工作机制", "1+3+n招商工作机制"),
        ("“１＋３＋Ｎ”招商工作机制", "1+3+n招商工作机制"),
        ("三個區分開來", "三个区分开来"),
        ("三个 区分\u3000开来", "三个区分开来"),
        ("雙創", "双创"),
    ],
)
def test_every_spelling_of_a_term_has_one_key(written, expected):
    assert text.key(written) == expected


def test_normalise_keeps_quotes_but_unifies_them_and_folds_width():
    assert text.normalise("「三個區分開來」：（１）") == '"三个区分开来":(1)'


def test_normalise_collapses_whitespace():
    assert text.normalise("  双减 \n\n 双创  ") == "双减 双创"


def test_chinese_punctuation_outside_the_fullwidth_block_is_kept():
    assert text.normalise("标准地址、实有人口。") == "标准地址、实有人口。"


def test_fold_chars_keeps_length_so_positions_carry_over():
    for sample in ("「頭髮」１＋３", "後來發現乾燥", "“531”产业体系"):
        assert len(text.fold_chars(sample)) == len(sample)


def test_offsets_map_a_folded_match_back_to_the_original_text():
    original = "坚持“三個區分開來”，为担当者担当"
    folded, origin = text.normalise_with_offsets(original)
    start = folded.index("三个区分开来")
    begin, end = text.original_span(origin, start, start + len("三个区分开来"))
    assert original[begin:end] == "三個區分開來"


def test_offsets_can_skip_line_breaks_inside_a_term():
    original = "深化“1310”\n工作体系"
    folded, origin = text.normalise_with_offsets(original, drop_spaces=True)
    assert folded == "深化1310工作体系"
    start = folded.index("1310工作")
    begin, end = text.original_span(origin, start, start + len("1310工作"))
    assert original[begin:end] == "1310”\n工作"


@pytest.mark.parametrize("tail", ["", "😀"])  # the 16-bit and the 32-bit path
def test_a_nul_in_the_text_is_kept_as_a_character_not_dropped(tail):
    original = "三个\x00“区分”" + tail
    folded, origin = text.normalise_with_offsets(original)
    assert folded == "三个\ufffd区分" + tail
    assert [origin[i] for i in range(len(folded))] == [0, 1, 2, 4, 5, *([7] if tail else [])]
