from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from glossary import pinyin
from glossary.errors import GlossaryError
from glossary.pinyin import first_letter, parse_marked, read, reading, search_keys, slug

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "seeds" / "gold" / "002_63741cc1e03311a7.yaml"
REPORT = SHARED / "seeds" / "002_63741cc1e03311a7.txt"

# Polyphones from the seed reports' vocabulary; the comment says which reading is meant.
POLYPHONES = [
    ("调度", "diào dù"),  # 调 = dispatch
    ("经济运行“五个精准调度”机制", "jīng jì yùn xíng wǔ gè jīng zhǔn diào dù jī zhì"),
    ("调解", "tiáo jiě"),  # 调 = mediate
    ("协调", "xié tiáo"),
    ("四级五调", "sì jí wǔ tiáo"),
    ("网格首调", "wǎng gé shǒu tiáo"),
    ("社区导调", "shè qū dǎo tiáo"),
    ("街道主调", "jiē dào zhǔ tiáo"),
    ("区级联调", "qū jí lián tiáo"),
    ("定期巡调", "dìng qī xún tiáo"),
    ("矛调中心", "máo tiáo zhōng xīn"),
    ("三重一大", "sān zhòng yī dà"),  # 重 = weighty
    ("重点", "zhòng diǎn"),
    ("重复", "chóng fù"),  # 重 = again
    ("行业", "háng yè"),
    ("银行业", "yín háng yè"),
    ("执行", "zhí xíng"),
    ("长江", "cháng jiāng"),  # 长 = long
    ("长效机制", "cháng xiào jī zhì"),
    ("长治久清", "cháng zhì jiǔ qīng"),
    ("长租房", "cháng zū fáng"),
    ("成长", "chéng zhǎng"),  # 长 = grow, head of
    ("双楼长制", "shuāng lóu zhǎng zhì"),
    ("河湖长制", "hé hú zhǎng zhì"),
    ("三长三员", "sān zhǎng sān yuán"),
    ("还是", "hái shì"),  # 还 = still
    ("还建", "huán jiàn"),  # 还 = give back
    ("就地拆除还建", "jiù dì chāi chú huán jiàn"),
    ("退桶还路", "tuì tǒng huán lù"),
    ("七种能力", "qī zhǒng néng lì"),  # 种 = kind
    ("一把手", "yī bǎ shǒu"),
    ("乐清", "yuè qīng"),
    ("散乱污", "sǎn luàn wū"),  # 散 = scattered
    ("小弱散", "xiǎo ruò sǎn"),
    ("应急处突", "yìng jí chǔ tū"),  # 处 = handle
    ("差旅费", "chāi lǚ fèi"),  # 差 = official trip
    ("看家产业", "kān jiā chǎn yè"),  # 看 = guard
    ("减税降费", "jiǎn shuì jiàng fèi"),
    ("瞪羚", "dèng líng"),
    ("放管服", "fàng guǎn fú"),
    ("八八战略", "bā bā zhàn lüè"),
    ("绿色", "lǜ sè"),
    ("一楼一业", "yī lóu yī yè"),
]

# Every headword of the 江岸 report's 名词解释, each character checked by hand.
GOLD_READINGS = {
    "经济运行“五个精准调度”机制": "jīng jì yùn xíng wǔ gè jīng zhǔn diào dù jī zhì",
    "“四上”企业": "sì shàng qǐ yè",
    "“531”产业体系": "wǔ sān yī chǎn yè tǐ xì",
    "“1+3+N”招商工作机制": "yī jiā sān jiā N zhāo shāng gōng zuò jī zhì",
    "“放管服”改革": "fàng guǎn fú gǎi gé",
    "退桶还路": "tuì tǒng huán lù",
    "双减": "shuāng jiǎn",
    "“精网实格”治理模式": "jīng wǎng shí gé zhì lǐ mó shì",
    "社区治理“三张清单”": "shè qū zhì lǐ sān zhāng qīng dān",
    "“三代”工作法": "sān dài gōng zuò fǎ",
    "“三重一大”集体决策制度": "sān zhòng yī dà jí tǐ jué cè zhì dù",
    "“三公”经费": "sān gōng jīng fèi",
    "新质生产力": "xīn zhì shēng chǎn lì",
    "瞪羚企业": "dèng líng qǐ yè",
    "双楼长制": "shuāng lóu zhǎng zhì",
    "一楼一业、一楼一特、一楼一品": "yī lóu yī yè yī lóu yī tè yī lóu yī pǐn",
    "“双提双扩”计划": "shuāng tí shuāng kuò jì huà",
    "双创": "shuāng chuàng",
    "“双百”示范创建和达标整治": "shuāng bǎi shì fàn chuàng jiàn hé dá biāo zhěng zhì",
    "长江大保护“双十工程”": "cháng jiāng dà bǎo hù shuāng shí gōng chéng",
    "长江大保护“双十行动”": "cháng jiāng dà bǎo hù shuāng shí xíng dòng",
    "五色旅游": "wǔ sè lǚ yóu",
    "“五共”理念": "wǔ gòng lǐ niàn",
    "一标三实": "yī biāo sān shí",
    "“四级五调”模式": "sì jí wǔ tiáo mó shì",
    "三个务必": "sān gè wù bì",
    "八项本领": "bā xiàng běn lǐng",
    "七种能力": "qī zhǒng néng lì",
    "三个区分开来": "sān gè qū fēn kāi lái",
}


@pytest.mark.parametrize(("term", "expected"), POLYPHONES)
def test_polyphones_read_as_policy_texts_mean_them(term, expected):
    assert reading(term) == expected


def test_every_gold_headword_has_a_hand_checked_reading():
    entries = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["entries"]
    assert sorted(e["term"] for e in entries) == sorted(GOLD_READINGS)


@pytest.mark.parametrize(("term", "expected"), GOLD_READINGS.items())
def test_gold_headwords_read_as_checked_by_hand(term, expected):
    assert reading(term) == expected


@pytest.mark.parametrize(("phrase", "syllables"), pinyin.phrase_table().items())
def test_every_phrase_table_entry_reads_as_written(phrase, syllables):
    assert reading(phrase) == " ".join(syllables)


def test_phrase_table_applies_inside_longer_text():
    assert reading("大力推行“四级五调”模式") == "dà lì tuī xíng sì jí wǔ tiáo mó shì"
    assert reading("完善欠薪治理长效机制") == "wán shàn qiàn xīn zhì lǐ cháng xiào jī zhì"


def test_importing_and_loading_the_phrase_table_raise_no_warnings():
    code = "import glossary.pinyin as p; assert p.reading('还建') == 'huán jiàn'"
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()


# --- pypinyin without its built-in phrase table, taught what each text contains ----------


def read_in_new_process(texts, cache, setup="", reader="[pinyin.reading(t) for t in texts]"):
    """Readings of ``texts`` by a new Python process (warnings are errors), its phrasebook
    in ``cache``; ``setup`` runs before glossary.pinyin is imported."""
    lines = [setup, "import json, sys", "from glossary import pinyin"]
    code = "\n".join([*lines, "texts = json.load(sys.stdin)", f"print(json.dumps({reader}))"])
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        env=os.environ | {"GLOSSARY_CACHE_DIR": str(cache)},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def sample_texts() -> list[str]:
    """Terms, the phrase table, and a whole report line by line: long runs of hanzi."""
    report = [line for line in REPORT.read_text(encoding="utf-8").splitlines() if line.strip()]
    terms = [term for term, _ in POLYPHONES] + list(GOLD_READINGS) + list(pinyin.phrase_table())
    return [*terms, "一块石头", "一步一个", "一文钱难倒", *report]


PIECEWISE = "import glossary.pinyin; glossary.pinyin.ENOUGH_PIECES = 10**9"  # never everything


@pytest.fixture(scope="module")
def whole_table_readings(tmp_path_factory) -> list[str]:
    # pypinyin imported whole before glossary.pinyin: as pypinyin reads with all its phrases.
    cache = tmp_path_factory.mktemp("cache")
    return read_in_new_process(sample_texts(), cache, setup="import pypinyin")


def test_texts_taught_their_phrases_read_as_with_the_whole_table(whole_table_readings, tmp_path):
    # By default a process is taught piece by piece, then the whole table past ENOUGH_PIECES.
    assert read_in_new_process(sample_texts(), tmp_path) == whole_table_readings
    assert read_in_new_process(sample_texts(), tmp_path, PIECEWISE) == whole_table_readings


def test_threads_taught_at_once_read_as_with_the_whole_table(whole_table_readings, tmp_path):
    setup = f"{PIECEWISE}\nfrom concurrent.futures import ThreadPoolExecutor"
    threaded = "list(ThreadPoolExecutor(8).map(pinyin.reading, texts))"
    assert read_in_new_process(sample_texts(), tmp_path, setup, threaded) == whole_table_readings


def test_a_phrase_begun_but_never_completed_reads_as_pypinyin_reads_it():
    # pypinyin's segmenter sets out on the phrase 一块石头落地, which never comes, and
    # reads what is left character by character: shí tóu, not the phrase 石头's shí tou.
    assert reading("一块石头") == "yī kuài shí tóu"


def test_phrasebook_is_built_once_where_glossary_cache_dir_says(tmp_path):
    read_in_new_process(["三个区分开来"], tmp_path)
    (built,) = tmp_path.glob("pypinyin-*-phrases-*.sqlite3")
    stamp = built.stat().st_mtime_ns
    assert read_in_new_process(["三重一大"], tmp_path) == ["sān zhòng yī dà"]
    assert built.stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [built.name]  # no temporary file left


def test_reading_without_a_writable_cache_dir_is_the_same(tmp_path):
    (tmp_path / "file").write_text("")
    terms = [term for term, _ in POLYPHONES]
    readings = read_in_new_process(terms, tmp_path / "file" / "cache")
    assert readings == [expected for _, expected in POLYPHONES]


def test_syllable_list_is_every_syllable_pypinyins_dictionary_uses():
    known = pinyin._pypinyin().constants.PINYIN_DICT
    marked = {syllable for value in known.values() for syllable in value.split(",")}
    assert pinyin._valid_syllables() == frozenset(map(pinyin._toneless, marked))


def test_tone_sandhi_is_not_applied():
    assert reading("一把手") == "yī bǎ shǒu"  # spoken yì bǎ shǒu
    assert reading("不忘初心") == "bù wàng chū xīn"  # spoken bú wàng


def test_reading_styles_of_one_term():
    r = read("三个区分开来")
    assert r.marks == "sān gè qū fēn kāi lái"
    assert r.numbers == "san1 ge4 qu1 fen1 kai1 lai2"
    assert r.toneless == "sangequfenkailai"
    assert r.spaced == "san ge qu fen kai lai"
    assert r.initials == "sgqfkl"


def test_traditional_input_reads_like_simplified():
    assert read("三個區分開來").marks == read("三个区分开来").marks
    assert search_keys("長江大保護") == search_keys("长江大保护")


def test_full_width_digits_and_quotes_read_like_half_width():
    assert reading("「５３１」产业体系") == reading("“531”产业体系") == "wǔ sān yī chǎn yè tǐ xì"
    assert slug("“１＋３＋Ｎ”招商工作机制") == "1-3-n-zhao-shang-gong-zuo-ji-zhi"


def test_quotes_neither_change_the_reading_nor_split_a_phrase():
    assert reading("“三重一大”集体决策制度") == reading("三重一大集体决策制度")


def test_digits_are_read_aloud_in_every_style_of_the_reading():
    r = read("“531”产业体系")
    assert r.marks == "wǔ sān yī chǎn yè tǐ xì"
    assert r.numbers == "wu3 san1 yi1 chan3 ye4 ti3 xi4"
    assert r.toneless == "wusanyichanyetixi"
    assert r.spaced == "wu san yi chan ye ti xi"
    assert r.initials == "wsycytx"
    assert [a for _, a in r.ruby if a] == r.marks.split()


def test_codes_are_also_keyed_as_printed():
    keys = search_keys("“531”产业体系")
    assert keys["toneless"] == {"wusanyichanyetixi"}
    assert keys["initials"] == {"wsycytx", "531cytx"}
    assert {"531chanyetixi", "531 chan ye ti xi", "531chan3ye4ti3xi4"} <= keys["written"]
    assert read("“531”产业体系").written == "531 chan ye ti xi"


def test_plus_is_read_jia_and_latin_letters_as_printed():
    r = read("“1+3+N”招商工作机制")
    assert r.marks == "yī jiā sān jiā N zhāo shāng gōng zuò jī zhì"
    assert r.initials == "yjsjnzsgzjz"
    keys = search_keys("“1+3+N”招商工作机制")
    assert keys["toneless"] == {"yijiasanjianzhaoshanggongzuojizhi"}
    assert "13nzhaoshanggongzuojizhi" in keys["written"]


def test_terms_without_digits_have_no_written_keys():
    assert search_keys("三个区分开来")["written"] == set()


def test_u_umlaut_is_keyed_both_as_v_and_as_u():
    assert search_keys("绿色")["toneless"] == {"lvse", "luse"}
    assert search_keys("八八战略")["toneless"] == {"babazhanlve", "babazhanlue"}
    assert {"lv4se4", "lu4 se4"} <= search_keys("绿色")["numbers"]
    assert read("绿色").marks == "lǜ sè"


def test_latin_v_is_not_taken_for_u_umlaut():
    assert search_keys("VR产业")["toneless"] == {"vrchanye"}


def test_neutral_tone_is_5_in_tone_numbers_and_keys_also_hold_the_bare_form():
    assert read("好婆婆").numbers == "hao3 po2 po5"
    assert {"hao3po2po5", "hao3po2po", "hao3 po2 po"} <= search_keys("好婆婆")["numbers"]


def test_every_search_key_is_lower_case_ascii():
    for term in GOLD_READINGS:
        keys = search_keys(term)
        assert set(keys) == {"toneless", "spaced", "numbers", "initials", "written", "alternatives"}
        for key in set().union(*keys.values()):
            assert key.isascii() and key == key.lower() and key, (term, key)


def test_alternatives_offer_the_other_reading_of_common_polyphones():
    assert search_keys("调度")["alternatives"] == {"tiaodu"}
    assert "zhangjiangdabaohu" in search_keys("长江大保护")["alternatives"]


def test_alternatives_skip_rare_dictionary_readings():
    assert search_keys("三个区分开来")["alternatives"] == set()  # no 区 ōu


def test_alternatives_are_bounded():
    alternatives = search_keys("长重行还调乐种散")["alternatives"]
    assert 0 < len(alternatives) <= pinyin.MAX_ALTERNATIVES


def test_override_replaces_the_computed_reading():
    assert reading("长江大保护", override="zhǎng jiāng dà bǎo hù") == "zhǎng jiāng dà bǎo hù"
    assert search_keys("还建", override="huán jiàn")["toneless"] == {"huanjian"}


def test_override_gives_syllables_for_hanzi_only():
    r = read("“531”产业体系", override="chǎn yè tǐ xì")
    assert r.marks == "wǔ sān yī chǎn yè tǐ xì"


def test_override_with_the_wrong_number_of_syllables_is_an_error():
    with pytest.raises(ValueError, match=r"has 7 syllables but .* has 4 Chinese characters"):
        read("“531”产业体系", override="wǔ sān yī chǎn yè tǐ xì")


def test_override_with_a_bad_syllable_is_an_error_users_can_act_on():
    with pytest.raises(ValueError, match="'tiao2' is not written with tone marks"):
        read("“四级五调”模式", override="sì jí wǔ tiao2 mó shì")
    with pytest.raises(GlossaryError):
        read("双减", override="shuāng jiǎnn")


def test_parse_marked_splits_and_checks_tone_marked_syllables():
    assert parse_marked("sì jí wǔ tiáo mó shì") == ["sì", "jí", "wǔ", "tiáo", "mó", "shì"]
    assert parse_marked("  Lǜ  sè ") == ["lǜ", "sè"]
    assert parse_marked("bā bā zhàn lüè") == ["bā", "bā", "zhàn", "lüè"]
    assert parse_marked("lu\u0308\u0300 se\u0300") == ["lǜ", "sè"]  # decomposed marks


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("", "empty pinyin reading"),
        ("xyz", "'xyz' is not a pinyin syllable"),
        ("san1 ge4", "did you mean 'sān'"),
        ("gǔi", "did you mean 'guǐ'"),  # the mark sits on the second vowel of ui
        ("hǎó", "did you mean 'hǎo'"),  # one mark per syllable
        ("lv", "did you mean 'lü'"),
    ],
)
def test_parse_marked_rejects_what_is_not_tone_marked_pinyin(bad, message):
    with pytest.raises(ValueError, match=message):
        parse_marked(bad)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("“531”产业体系", "531-chan-ye-ti-xi"),
        ("三个区分开来", "san-ge-qu-fen-kai-lai"),
        ("“1+3+N”招商工作机制", "1-3-n-zhao-shang-gong-zuo-ji-zhi"),
        ("八八战略", "ba-ba-zhan-lve"),
        ("三個區分開來", "san-ge-qu-fen-kai-lai"),
        ("数字经济2.0", "shu-zi-jing-ji-2-0"),
        ("“”", ""),
    ],
)
def test_slug(term, expected):
    assert slug(term) == expected


def test_every_gold_slug_is_a_valid_id():
    for term in GOLD_READINGS:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug(term)), term


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("“531”产业体系", "0-9"),
        ("“1+3+N”招商工作机制", "0-9"),
        ("长江大保护", "C"),
        ("绿色", "L"),
        ("“四级五调”模式", "S"),
        ("VR产业", "V"),
        ("“”", "#"),
    ],
)
def test_first_letter_is_the_index_bucket(term, expected):
    assert first_letter(term) == expected


def test_first_letter_follows_the_override():
    assert first_letter("长江", override="zhǎng jiāng") == "Z"


def test_ruby_annotates_hanzi_digits_and_plus_and_keeps_the_term_as_written():
    assert read("“５３１”产業").ruby == [
        ("“", None),
        ("５", "wǔ"),
        ("３", "sān"),
        ("１", "yī"),
        ("”", None),
        ("产", "chǎn"),
        ("業", "yè"),
    ]
    plus = ("+", "jiā")
    assert read("1+3+N").ruby == [("1", "yī"), plus, ("3", "sān"), plus, ("N", None)]


def test_characters_pypinyin_does_not_know_are_left_unread():
    assert reading("\u9fef三") == "sān"  # U+9FEF has no reading in pypinyin 0.55
