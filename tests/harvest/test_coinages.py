"""Coinages: recurring unquoted four-character runs, counted as numbers or as strings."""

from __future__ import annotations

import doctest

import pytest

from glossary.harvest import coinages
from glossary.text import fold_chars
from tests.conftest import SHARED

REPORTS = sorted(SHARED.glob("provinces-2026/*.txt")) + sorted(SHARED.glob("seeds/*.txt"))


def test_the_examples_in_the_docstring_hold():
    assert doctest.testmod(coinages).failed == 0


def test_a_coinage_is_found_where_it_is_first_clear():
    assert coinages.find("坚持接诉即办,推行接诉即办改革。") == [("接诉即办", 2)]


def test_a_run_used_once_is_no_coinage():
    assert coinages.find("坚持接诉即办,推行改革。") == []


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_counting_as_numbers_keeps_every_coined_window_of_a_report(path):
    folded = fold_chars(path.read_text(encoding="utf-8"))
    by_strings = [word for word in coinages._counted(folded) if coinages.coined(word)]
    assert [word for word in coinages.recurring(folded) if coinages.coined(word)] == by_strings


def test_a_text_beyond_the_basic_plane_is_counted_as_strings():
    folded = "坚持接诉即办😀,推行接诉即办改革。"
    assert coinages.recurring(folded) == ["接诉即办"]
    assert coinages.find(folded) == [("接诉即办", 2)]


def test_windows_with_a_repeated_character_or_a_common_pair_may_be_left_out():
    folded = "提振消费,提振消费。专精特新,专精特新。"
    assert "提振消费" not in coinages.recurring(folded)  # 提振, 消费: common words
    assert "专精特新" in coinages.recurring(folded)
