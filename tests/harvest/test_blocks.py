"""A report as blocks: kinds, numbering schemes and sequence, English lines."""

from __future__ import annotations

from glossary.harvest.blocks import blocks


def kinds(text: str) -> list[tuple]:
    return [(b.kind, b.scheme, b.number) for b in blocks(text)]


def test_each_numbering_scheme_is_named_with_its_number():
    text = "1. 甲:一。\n(2) 乙:二。\n③ 丙:三。\n⑷ 丁:四。\n［5］戊:五。\n六、己\n(七) 庚\n"
    assert kinds(text) == [
        ("item", "arabic", 1), ("item", "paren", 2), ("note", "circled", 3),
        ("note", "parenthesized", 4), ("note", "note", 5), ("item", "chinese", 6),
        ("item", "chinese_paren", 7),
    ]  # fmt: skip


def test_a_number_followed_by_a_digit_is_the_next_item_of_its_list():
    text = "11.两新:设备更新。\n12.2026年十件民生实事:办好实事。\n13.3+2工作机制:三加二。\n"
    assert kinds(text) == [("item", "arabic", 11), ("item", "arabic", 12), ("item", "arabic", 13)]


def test_a_decimal_at_the_start_of_a_line_is_no_item():
    text = "全年增长\n5.5%左右,好于预期。\n"
    assert [k for k, _, _ in kinds(text)] == ["headword", "paragraph"]


def test_headings_headwords_english_and_paragraphs_are_told_apart():
    text = (
        "名词解释\n\n新质生产力\n\n以科技创新为主导的先进生产力质态。\n"
        "New quality productive forces are driven by innovation.\n"
    )
    assert [k for k, _, _ in kinds(text)] == ["heading", "headword", "paragraph", "english"]


def test_blank_lines_are_no_blocks_but_are_remembered():
    found = blocks("甲:一。\n\n乙:二。\n丙:三。\n")
    assert [b.gap_before for b in found] == [True, True, False]


def test_offsets_point_into_the_text_as_printed():
    text = "　　１．“两重”：是指……。\n"
    (block,) = blocks(text)
    assert text[block.start : block.end] == "“两重”：是指……。"
    assert block.describe() == "item arabic 1, line 1"
