"""What a report is: title, locality, year and date from its head; sidecars and overrides."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from glossary import places
from glossary.errors import GlossaryError, GlossaryFileError
from glossary.harvest.meta import clean_title, describe, detect, localities, read_sidecar
from glossary.harvest.read import Report, read_report
from tests.conftest import SHARED

SEEDS = SHARED / "seeds"
JIANGAN = SEEDS / "002_63741cc1e03311a7.txt"

PROVINCES = SHARED / "provinces-2026"

# What each seed writes about itself (seeds/README.md has the full truth; 001 prints
# no title, and no report prints its province), its place as the table of divisions
# completes it (a 办事处 or 镇 printed without its county stays as printed).
EXPECTED = {
    "000": ("桐湖办事处2024年度工作总结暨2025年工作思路", "桐湖办事处", 2024, None),
    "001": ("001_e78dfe01e84b3daf", "湖北省鄂州市鄂城区", 2023, None),
    "002": ("2024年武汉市江岸区政府工作报告", "湖北省武汉市江岸区", 2024, "2023-12-24"),
    "003": ("华容奋力打造武鄂协同发展先行区", "湖北省鄂州市华容区", 2023, "2023-12-26"),
    "004": ("虹桥镇2024年工作总结和2025年工作思路", "虹桥镇", 2024, None),
}
WRITTEN = {"000": "桐湖办事处", "001": "鄂城区", "002": "武汉市江岸区", "003": "华容区"}


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_each_seed_is_described_from_what_it_writes(number):
    path = next(SEEDS.glob(f"{number}_*.txt"))
    doc = describe(read_report(path))
    assert (doc.title, doc.locality, doc.year, doc.date) == EXPECTED[number]
    assert doc.path == str(path)


@pytest.mark.parametrize("number", sorted(WRITTEN))
def test_detection_keeps_the_place_as_the_report_writes_it(number):
    path = next(SEEDS.glob(f"{number}_*.txt"))
    assert detect(read_report(path).text)["locality"] == WRITTEN[number]


@pytest.mark.parametrize("path", sorted(PROVINCES.glob("*.txt")), ids=lambda p: p.stem)
def test_each_provincial_report_keeps_the_province_its_sidecar_gives(path):
    sidecar = yaml.safe_load(path.with_suffix(".meta.yaml").read_text("utf-8"))
    report = read_report(path)
    assert describe(report).locality == sidecar["locality"]  # 四川省 stays 四川省
    assert places.resolve(detect(report.text)["locality"]) == sidecar["locality"]


def test_a_bare_ambiguous_place_stays_as_printed(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("朝阳区2024年政府工作报告\n各位代表:", encoding="utf-8")
    assert describe(read_report(path)).locality == "朝阳区"  # Beijing's or Changchun's
    path.write_text("长春市朝阳区2024年政府工作报告\n各位代表:", encoding="utf-8")
    assert describe(read_report(path)).locality == "吉林省长春市朝阳区"


# Who published each copy, where its page labels it (来源：…); the others print none
# or only a byline (大众网记者 …), a photo credit or a site footer.
PUBLISHERS = {
    "003_8a051dd645e0b453.txt": "鄂州政府网",
    "2026_anhui_gov-report.txt": "安徽日报",
    "2026_jiangsu_gov-report.txt": "新华日报",
    "2026_ningxia_gov-report.txt": "宁夏日报客户端",  # the name on the line after 来源：
    "2026_qinghai_gov-report.txt": "青海日报",
    "2026_shaanxi_gov-report.txt": "陕西省人民政府",
    "2026_shandong_gov-report.txt": "大众日报",
    "2026_sichuan_gov-report.txt": "四川日报",
}
UNLABELLED = [
    "000_3ab887b74c3e4ee3.txt", "001_e78dfe01e84b3daf.txt", "002_63741cc1e03311a7.txt",
    "004_5f942f7b6bb8bd03.txt", "tancheng_2024_news.txt", "2026_guangdong_gov-report.txt",
    "2026_guizhou_gov-report.txt",
]  # fmt: skip


def _shared(name: str) -> Path:
    return next(SHARED.glob(f"*/{name}"))


@pytest.mark.parametrize("name", sorted(PUBLISHERS))
def test_a_labelled_source_in_the_head_is_the_publisher(name):
    assert describe(read_report(_shared(name))).publisher == PUBLISHERS[name]


@pytest.mark.parametrize("name", UNLABELLED)
def test_without_a_labelled_source_no_publisher_is_guessed(name):
    assert describe(read_report(_shared(name))).publisher is None


def test_every_provincial_report_with_a_source_line_gives_a_newspaper_or_government():
    for path in PROVINCES.glob("*.txt"):
        publisher = describe(read_report(path)).publisher
        assert publisher is None or re.search(r"日报|政府", publisher), path.name


def test_a_spam_line_in_the_header_is_not_taken_for_the_title():
    doc = describe(read_report(SEEDS / "000_3ab887b74c3e4ee3.txt"))
    assert "贵宾会" not in doc.title and "官方网站" not in doc.title


def test_forum_tags_and_doubled_titles_are_cleaned():
    assert clean_title("[湖北] 2024年武汉市江岸区政府工作报告") == "2024年武汉市江岸区政府工作报告"
    assert clean_title("【转载】虹桥镇工作总结 虹桥镇工作总结 |") == "虹桥镇工作总结"
    assert clean_title("桐湖办事处2024年度工作总结暨 2025年工作思路").endswith("暨2025年工作思路")


@pytest.mark.parametrize(
    ("line", "places"),
    [
        ("湖北省武汉市江岸区人民政府", ["湖北省武汉市江岸区"]),
        ("2023年12月24日在武汉市江岸区第十六届人民代表大会第三次会议上", ["武汉市江岸区"]),
        ("中国共产党华容区第九次代表大会", ["华容区"]),
        ("浙江省温州市乐清市虹桥镇2024年工作总结", ["浙江省温州市乐清市虹桥镇"]),
        ("恩施土家族苗族自治州", ["恩施土家族苗族自治州"]),
        ("全区上下克难攻坚", []),
    ],
)
def test_place_chains_are_read_as_written(line, places):
    assert localities(line) == places


def test_the_longest_chain_of_the_same_place_wins_without_inventing_a_province():
    text = "江岸区2024年政府工作报告\n武汉市江岸区人民政府\n各位代表:"
    assert detect(text)["locality"] == "武汉市江岸区"
    assert places.resolve(detect(text)["locality"]) == "湖北省武汉市江岸区"  # from the table


def test_a_date_line_under_the_title_gives_the_date():
    text = "某某县2024年政府工作报告\n(2024年1月10日)\n各位代表:"
    assert detect(text) == {
        "title": "某某县2024年政府工作报告",
        "locality": "某某县",
        "year": 2024,
        "date": "2024-01-10",
        "publisher": None,
    }


def test_a_date_in_the_body_is_not_the_report_date():
    text = "某镇2024年工作总结\n" + "工作很多。" * 20 + "2025年11月1日召开大会,保障会议如期召开。"
    assert detect(text)["date"] is None


def test_without_a_title_line_the_file_name_is_the_title(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("一、工作开展情况\n(一)发展效益逐步提升。", encoding="utf-8")
    assert describe(read_report(path)).title == "report"


def test_an_html_page_title_outside_the_article_is_found(tmp_path):
    path = tmp_path / "page.html"
    page = (
        "<body><div class='nav'>首页</div><h1>[湖北] 2024年武汉市江岸区政府工作报告</h1>"
        "<div id='zoom'><p>2023年12月24日在武汉市江岸区第十六届人民代表大会第三次会议上</p>"
        "<p>各位代表:现在,我代表区人民政府,向大会报告工作,请予审议。</p></div></body>"
    )
    path.write_text(page, encoding="utf-8")
    doc = describe(read_report(path))
    assert (doc.title, doc.locality, doc.date) == (
        "2024年武汉市江岸区政府工作报告", "湖北省武汉市江岸区", "2023-12-24"
    )  # fmt: skip


# --- ids, sidecars, overrides ---------------------------------------------------------------


def test_an_ascii_file_name_gives_a_slug_id():
    assert describe(read_report(JIANGAN)).id == "002-63741cc1e03311a7"


def test_a_chinese_file_name_gives_a_content_hash_id_that_never_changes(tmp_path):
    path = tmp_path / "江岸区政府工作报告.txt"
    shutil.copy(JIANGAN, path)
    first = describe(read_report(path)).id
    assert first == "doc-" + hashlib.sha1(JIANGAN.read_bytes()).hexdigest()[:12]
    assert describe(read_report(path)).id == first


@pytest.fixture
def jiangan(tmp_path) -> Path:
    path = tmp_path / "jiangan.txt"
    shutil.copy(JIANGAN, path)
    return path


def test_a_sidecar_corrects_detection(jiangan):
    sidecar = jiangan.with_name("jiangan.txt.meta.yaml")
    sidecar.write_text(
        "# 经人工核对\nid: wuhan-jiangan-2024-gov-report\nlocality: 湖北省武汉市江岸区\n"
        "date: 2023-12-24\n",
        encoding="utf-8",
    )
    doc = describe(read_report(jiangan))
    assert doc.id == "wuhan-jiangan-2024-gov-report"
    assert doc.locality == "湖北省武汉市江岸区"
    assert doc.date == "2023-12-24"  # YAML's date comes back as text
    assert doc.title == "2024年武汉市江岸区政府工作报告"  # not in the sidecar: detected


SICHUAN_URL = (
    "https://www.sc.gov.cn/10462/c105962s/2026/2/10/c3064029fbc341e99c8ce71ce3aec20c.shtml"
    "?c2Id=280&c1Id=36"
)


def test_a_sidecar_gives_the_address_and_publisher_of_the_original(tmp_path):
    path = tmp_path / "sichuan.txt"
    shutil.copy(PROVINCES / "2026_sichuan_gov-report.txt", path)
    sidecar = (PROVINCES / "2026_sichuan_gov-report.meta.yaml").read_text("utf-8")
    sidecar += f"url: {SICHUAN_URL}\npublisher: 四川省人民政府\n"
    path.with_name("sichuan.meta.yaml").write_text(sidecar, encoding="utf-8")
    doc = describe(read_report(path))
    assert (doc.url, doc.publisher, doc.locality) == (SICHUAN_URL, "四川省人民政府", "四川省")


def test_a_short_place_in_a_sidecar_becomes_its_full_path(jiangan):
    jiangan.with_name("jiangan.meta.yaml").write_text("locality: 江岸区\n", encoding="utf-8")
    assert describe(read_report(jiangan)).locality == "湖北省武汉市江岸区"


def test_an_ambiguous_place_in_a_sidecar_stays_as_written(jiangan):
    jiangan.with_name("jiangan.meta.yaml").write_text("locality: 鼓楼区\n", encoding="utf-8")
    assert describe(read_report(jiangan)).locality == "鼓楼区"


def test_a_sidecar_may_be_named_without_the_report_extension(jiangan):
    jiangan.with_name("jiangan.meta.yaml").write_text("year: 2023\n", encoding="utf-8")
    assert describe(read_report(jiangan)).year == 2023


def test_overrides_beat_the_sidecar_and_unset_ones_are_ignored(jiangan):
    jiangan.with_name("jiangan.txt.meta.yaml").write_text("locality: 甲\ntitle: 乙\n", "utf-8")
    doc = describe(read_report(jiangan), {"locality": "湖北省武汉市江岸区", "year": None})
    assert (doc.locality, doc.title, doc.year) == ("湖北省武汉市江岸区", "乙", 2024)


def test_an_unknown_override_is_an_error():
    with pytest.raises(GlossaryError, match="unknown document field place"):
        describe(read_report(JIANGAN), {"place": "x"})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("titel: x\n", "jiangan.txt.meta.yaml: titel: unknown field; use title"),
        ("year: 二〇二四\n", "year: must be a year such as 2024"),
        ("date: yesterday\n", "date: must be a date such as 2023-12-24"),
        ("title: [unclosed\n", "jiangan.txt.meta.yaml:2:"),
        ("- a list\n", "must be a mapping"),
        ("url: www.sc.gov.cn/a.shtml\n", "url: must be a web address such as https://"),
        ("url: javascript:alert(1)\n", "url: must be a web address"),
        ("publisher: [四川日报]\n", "publisher: must be text"),
    ],
)
def test_a_bad_sidecar_names_the_file_and_the_field(jiangan, content, message):
    jiangan.with_name("jiangan.txt.meta.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(GlossaryFileError) as caught:
        describe(read_report(jiangan))
    assert message in str(caught.value)


@pytest.mark.parametrize("content", ["title: [unclosed\n", "title: x\n\tyear: 2024\n", "a: b: c\n"])
def test_a_broken_sidecar_is_reported_in_pyyamls_own_words(jiangan, content):
    jiangan.with_name("jiangan.txt.meta.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(yaml.MarkedYAMLError) as expected:
        yaml.safe_load(content)
    with pytest.raises(GlossaryFileError) as caught:
        describe(read_report(jiangan))
    assert str(expected.value.problem) in str(caught.value)


def test_every_provincial_sidecar_reads_as_pyyaml_reads_it():
    for sidecar in sorted(PROVINCES.glob("*.meta.yaml")):
        report = sidecar.with_name(sidecar.name.replace(".meta.yaml", ".txt"))
        fields = yaml.safe_load(sidecar.read_text("utf-8"))
        fields["date"] = fields["date"].isoformat()
        assert read_sidecar(report) == fields


def test_a_report_object_without_a_file_still_gets_an_id():
    report = Report(Path("/nowhere/报告.txt"), "2024年某某县政府工作报告", "txt")
    doc = describe(report)
    assert doc.id == "doc-" + hashlib.sha1(report.text.encode()).hexdigest()[:12]
    assert (doc.title, doc.locality, doc.year) == ("2024年某某县政府工作报告", "某某县", 2024)
