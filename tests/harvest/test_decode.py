"""Bytes -> text: every encoding reports come in gives the same text, and junk is refused."""

from __future__ import annotations

import codecs
import functools
import os
import pickle

import opencc
import pytest

from glossary.harvest.decode import UnreadableReport, declared_charset, decode
from tests.conftest import SHARED

SEEDS = sorted((SHARED / "seeds").glob("0*.txt"))


@functools.cache
def seed(name: str) -> str:
    return (SHARED / "seeds" / name).read_text(encoding="utf-8")


@functools.cache
def s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    """The text in traditional characters, as far as Big5 can write them.

    OpenCC's s2t gives a few forms outside Big5 (爲, 衆, 着); those are dropped.
    """
    converted = s2t().convert(text)
    return "".join(c for c in converted if c.encode("big5", "replace") != b"?" or c == "?")


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-16", "utf-16-le"])
def test_a_seed_decodes_to_the_same_text_in_every_encoding(path, encoding):
    text = seed(path.name)
    if encoding == "gbk":  # the seeds have a few symbols (•, ©) that are GB18030, not GBK
        text = "".join(c for c in text if c.encode("gbk", "replace") != b"?" or c == "?")
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_a_traditional_copy_in_big5_decodes_as_big5_not_as_gb18030_garbage(path):
    text = traditional(seed(path.name))
    raw = text.encode("big5")
    assert raw.decode("gb18030") != text  # GB18030 would "succeed" with garbage
    assert decode(raw) == text


def test_slices_of_the_seeds_pick_gb18030_or_big5_right_from_32_characters():
    misses = []
    for path in SEEDS:
        text = seed(path.name)
        for start in range(0, len(text) - 32, 499):
            simplified = text[start : start + 32]
            trad = traditional(simplified)
            if decode(simplified.encode("gb18030")) != simplified:
                misses.append(("gb18030", simplified))
            if decode(trad.encode("big5")) != trad:
                misses.append(("big5", trad))
    assert misses == []


def test_a_short_traditional_phrase_in_big5_decodes():
    assert decode("三個區分開來".encode("big5")) == "三個區分開來"


def test_a_declared_gbk_label_reads_gb18030_only_characters_too():
    text = "“531”产业体系 € 𠮷"  # € and 𠮷 are outside GBK, inside GB18030
    assert decode(text.encode("gb18030"), declared="gbk") == text
    assert decode(text.encode("gb18030"), declared="GB2312") == text


def test_a_declared_charset_wins_over_detection_when_the_bytes_fit_it():
    raw = "江岸".encode("gbk")
    as_big5 = raw.decode("big5")  # these bytes are valid Big5 too
    assert decode(raw) == "江岸"
    assert decode(raw, declared="big5") == as_big5


def test_a_label_the_bytes_contradict_is_ignored():
    text = seed(SEEDS[2].name)[:2000]
    assert decode(text.encode("utf-8"), declared="gb2312") == text
    assert decode(text.encode("gb18030"), declared="utf-8") == text


def test_an_unknown_label_is_ignored():
    assert decode("名词解释".encode("gb18030"), declared="x-no-such-charset") == "名词解释"


def test_a_byte_order_mark_beats_a_wrong_label():
    assert decode("名词解释".encode("utf-8-sig"), declared="gbk") == "名词解释"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("encoding", ["gb18030", "big5"])
def test_a_utf8_bom_before_chinese_bytes_that_are_not_utf8_is_only_a_hint(path, encoding):
    # Editors and export scripts prefix a UTF-8 BOM to bytes they never re-encoded.
    text = seed(path.name) if encoding == "gb18030" else traditional(seed(path.name))
    assert decode(codecs.BOM_UTF8 + text.encode(encoding)) == text


def test_a_utf8_bom_before_gb18030_bytes_defers_to_a_gbk_label():
    text = seed(SEEDS[2].name)[:2000]
    assert decode(codecs.BOM_UTF8 + text.encode("gb18030"), declared="gbk") == text


def test_a_utf8_bom_still_wins_over_a_few_damaged_bytes():
    text = seed(SEEDS[2].name)
    raw = bytearray(codecs.BOM_UTF8 + text.encode("utf-8"))
    raw[len(raw) // 2] = 0xFF  # one byte lost in transit: still a UTF-8 file
    decoded = decode(bytes(raw))
    assert 1 <= decoded.count("\ufffd") <= 2  # the byte, and the character it broke
    assert decoded[:100] == text[:100] and decoded[-100:] == text[-100:]


def test_a_utf16_bom_is_proof_since_no_other_candidate_starts_with_its_bytes():
    # FF FE / FE FF cannot open UTF-8, GB18030 or Big5 text, so a damaged code unit
    # in a UTF-16 report is damage, not a sign of another encoding.
    raw = "名词解释:双减".encode("utf-16") + b"\x00\xd8" + "。".encode("utf-16-le")
    assert decode(raw) == "名词解释:双减\ufffd。"


def test_a_gb18030_file_cut_in_the_middle_of_a_character_still_decodes():
    text = seed(SEEDS[2].name)
    middle = next(i for i in range(len(text) // 2, len(text)) if "\u4e00" <= text[i] <= "\u9fff")
    raw = text.encode("gb18030")[: len(text[:middle].encode("gb18030")) + 1]
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb18030")  # strictly, the file is broken
    assert decode(raw) == text[:middle]  # the partial character is dropped


def test_a_utf8_file_cut_in_the_middle_of_a_character_still_decodes():
    assert decode("名词解释".encode()[:-1]) == "名词解"


def test_ascii_and_plain_text_pass_through():
    assert decode(b"Report 2024\n") == "Report 2024\n"


def test_an_empty_file_is_unreadable():
    with pytest.raises(UnreadableReport, match="empty file"):
        decode(b"", path="a.txt")


@pytest.mark.parametrize(
    "raw",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        bytes(range(256)) * 4,
        os.urandom(4096),
        os.urandom(4096).replace(b"\x00", b"\x01"),
        b"\x01\x02\x03\x04" * 100,
    ],
    ids=["png", "all-bytes", "random", "random-without-nul", "control-bytes"],
)
def test_binary_data_is_unreadable(raw):
    with pytest.raises(UnreadableReport, match="binary data"):
        decode(raw, path="x.txt")


def test_the_error_names_the_file_and_the_reason_and_survives_pickling():
    error = UnreadableReport("reports/a.txt", "empty file")
    assert str(error) == "reports/a.txt: empty file"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.reason, str(copy)) == (error.path, error.reason, str(error))


@pytest.mark.parametrize(
    ("head", "label"),
    [
        (b'<meta charset="gbk">', "gbk"),
        (b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=GB2312'>", "gb2312"),
        (b'<?xml version="1.0" encoding="big5"?>', "big5"),
        (b"<html><body>no label</body></html>", None),
    ],
)
def test_the_declared_charset_is_found_in_the_page_head(head, label):
    assert declared_charset(head) == label


def test_a_western_label_on_chinese_bytes_is_a_server_default_and_ignored():
    text = "锚定“531”产业体系,加快创建国家级服务业标准化试点。"
    assert decode(text.encode("gbk"), declared="iso-8859-1") == text
    assert decode(text.encode("utf-8"), declared="windows-1252") == text


def test_a_western_label_on_western_bytes_is_believed():
    assert decode("Café au lait, café".encode("latin-1"), declared="iso-8859-1") == (
        "Café au lait, café"
    )
    assert decode(b"Caf\xe9", declared="iso-8859-1") == "Café"  # not a cut-off character
