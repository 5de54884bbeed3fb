from __future__ import annotations

import pytest

from glossary.query import MAX_QUERY, QueryError, understand


@pytest.mark.parametrize(
    ("typed", "kind", "pinyin"),
    [
        ("三个区分开来", "hanzi", None),
        ("三個區分開來", "hanzi", None),
        ("sgqfkl", "pinyin", "sgqfkl"),
        ("San Ge Qu Fen", "pinyin", "sangequfen"),
        ("fàng guǎn fú", "pinyin", "fangguanfu"),
        ("shuang1 chuang4", "pinyin", "shuangchuang"),
        ("lü you", "pinyin", "lvyou"),
        ("531", "code", "531"),
        ("1+3+N", "code", "13n"),
        ("１＋３＋Ｎ", "code", "13n"),
        ("1310gongzuotixi", "code", "1310gongzuotixi"),
        ("531产业", "hanzi", None),
    ],
)
def test_what_was_typed_is_recognised(typed, kind, pinyin):
    query = understand(typed)
    assert (query.kind, query.pinyin) == (kind, pinyin)


def test_traditional_and_quotes_fold_to_the_headword_key():
    assert understand("「三個區分開來」").key == "三个区分开来"


@pytest.mark.parametrize(
    "typed", ["三个\u200b区分开来", "\x07三个区分开来\x1b", "三个区分\ufeff开来"]
)
def test_invisible_and_control_characters_are_not_part_of_the_query(typed):
    assert understand(typed).key == "三个区分开来"


@pytest.mark.parametrize("typed", ["𠮷a", "a𠮷", "ｓｈｕａｎｇ丨"])
def test_an_ideograph_anywhere_means_it_was_not_typed_as_pinyin(typed):
    assert understand(typed).pinyin is None


def test_definition_words_come_from_segmentation():
    assert understand("重要干部任免").words == ("重要", "干部", "任免")


@pytest.mark.parametrize("typed", ["", "   ", "“”", "\x00\x01", "\ud800"])
def test_nothing_to_search_is_a_query_error(typed):
    with pytest.raises(QueryError, match="empty"):
        understand(typed)


def test_an_overlong_query_is_refused():
    with pytest.raises(QueryError, match=f"longer than {MAX_QUERY}"):
        understand("三" * (MAX_QUERY + 1))
