"""jieba's dictionary as the miner's lexicon: words, their kind, and names that would
end inside one."""

from __future__ import annotations

import subprocess
import sys

import pytest

from glossary.harvest import lexicon


def test_the_dictionary_knows_places_words_and_not_coinages():
    assert lexicon.tag("三峡") == "ns"
    assert lexicon.tag("领头羊") == "n"
    assert lexicon.tag("八八战略") is None
    assert lexicon.common("名片") and not lexicon.common("专精")


@pytest.mark.parametrize(
    ("text", "at", "across"),
    [
        ("推进长三角一体化", 3, True),  # 长三角 runs across 长|三
        ("打好四大攻坚战", 6, True),  # 攻坚战
        ("保持开一备三强度", 7, True),  # 强度, and 度 opens no word
        ("加快构建四纵九横道路网", 8, False),  # 横道 is a word, but so is 道路
        ("开展四大比拼活动", 6, False),
        ("", 0, False),
    ],
)
def test_a_word_runs_across_a_position(text, at, across):
    assert lexicon.runs_across(text, at) is across


def test_only_common_words_count_when_asked():
    text = "“散乱污”企业动态清零"  # 企业动态 is a word, but a rare one
    assert lexicon.runs_across(text, 7) and not lexicon.runs_across(text, 7, only_common=True)
    assert lexicon.runs_across("“十五五”时期经济社会发展", 9, only_common=True)  # 经济社会


def test_importing_the_lexicon_reads_no_dictionary():
    code = "import glossary.harvest.lexicon as x; print(x.words.cache_info().currsize)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "0", result.stderr


def test_the_openings_are_those_of_the_words_of_three_characters_or_more():
    words = lexicon.words()
    assert words.openings == {w[:3] for w in words.tags if len(w) >= 3}
    assert words.common_openings == {w[:3] for w in words.common if len(w) >= 3}
