from __future__ import annotations

import pytest

from glossary import lint, store
from glossary.errors import GlossaryFileError
from tests.conftest import SAMPLE, SHIPPED_GLOSSARY


def test_parts_that_disagree_with_the_number_in_the_name_are_flagged(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text(SAMPLE.replace("成果共享]", "成果共享, 多余一项]"), encoding="utf-8")
    warnings = lint.warnings(store.load(path))
    assert [(w.path, w.message) for w in warnings] == [
        ("terms[1].senses[0].parts", "“五共”理念 lists 6 parts but its name announces 5")
    ]


def test_parts_that_agree_raise_nothing(sample_file):
    assert lint.warnings(store.load(sample_file)) == []


def test_candidate_already_reviewed_under_an_alias_is_flagged(tmp_path):
    path = tmp_path / "terms.yaml"
    source = SAMPLE.replace("term: “1310”", "term: 五共理念")
    path.write_text(source, encoding="utf-8")
    warnings = lint.warnings(store.load(path))
    assert [w.path for w in warnings] == ["terms[2].status"]
    assert "already reviewed as 'wu-gong-li-nian'" in warnings[0].message


def _place_warnings(tmp_path, old: str, new: str, count: int = 1) -> list[tuple[str, str]]:
    path = tmp_path / "terms.yaml"
    path.write_text(SAMPLE.replace(old, new, count), encoding="utf-8")
    return [(w.path, w.message) for w in lint.warnings(store.load(path))]


def test_a_short_scope_is_flagged_with_the_full_path_to_write(tmp_path):
    found = _place_warnings(tmp_path, "scope: 湖北省武汉市江岸区", "scope: 江岸区")
    assert found == [
        ("terms[0].senses[0].scope", "江岸区 is not a full path: write 湖北省武汉市江岸区")
    ]


def test_a_document_locality_without_its_province_is_flagged(tmp_path):
    found = _place_warnings(tmp_path, "locality: 湖北省武汉市江岸区", "locality: 武汉市江岸区")
    assert found == [
        ("documents[0].locality", "武汉市江岸区 is not a full path: write 湖北省武汉市江岸区")
    ]


def test_a_place_of_several_counties_is_flagged_with_each(tmp_path):
    [(path, message)] = _place_warnings(
        tmp_path, "scope: 浙江省温州市乐清市虹桥镇", "scope: 朝阳区"
    )
    assert path == "terms[2].senses[0].scope"
    assert message.startswith("朝阳区 names several places (北京市朝阳区, 吉林省长春市朝阳区)")


def test_a_place_the_table_does_not_know_is_flagged(tmp_path):
    [(path, message)] = _place_warnings(
        tmp_path, "scope: 浙江省温州市乐清市虹桥镇", "scope: 虹桥镇"
    )
    assert path == "terms[2].senses[0].scope" and "not in the table" in message


def test_a_town_written_without_its_county_is_flagged(tmp_path):
    [(_, message)] = _place_warnings(
        tmp_path, "scope: 浙江省温州市乐清市虹桥镇", "scope: 浙江省温州市虹桥镇"
    )
    assert "no district or county of 浙江省温州市 that begins 虹桥镇" in message


def test_the_shipped_places_are_all_full_paths():
    warnings = lint.warnings(store.load(SHIPPED_GLOSSARY))
    assert [w for w in warnings if w.path.endswith((".scope", ".locality"))] == []


GROUPED = """\
version: 1
documents:
  - {id: d, title: 报告}
terms:
  - id: t
    term: “531”产业体系
    status: candidate
    senses:
      - parts:
          - {group: 主导产业, parts: [甲, 乙, 丙, 丁, 戊]}
          - {group: 新兴产业, parts: [己, 庚, 辛]}
          - {group: 支撑, parts: [壬]}
"""


def test_grouped_parts_are_counted_group_by_group(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(GROUPED, encoding="utf-8")
    glossary = store.load(path)
    sense = glossary.term("t").senses[0]
    assert sense.parts == list("甲乙丙丁戊己庚辛壬")
    assert [(g.name, len(g.parts)) for g in sense.groups] == [
        ("主导产业", 5),
        ("新兴产业", 3),
        ("支撑", 1),
    ]
    assert lint.warnings(glossary) == []
    path.write_text(GROUPED.replace("[己, 庚, 辛]", "[己, 庚]"), encoding="utf-8")
    [warning] = lint.warnings(store.load(path))
    assert warning.path == "terms[0].senses[0].parts"
    assert warning.message == "“531”产业体系 groups its parts 5+2+1 but its name announces 5+3+1"


def test_parts_mixing_names_and_groups_name_the_field(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(GROUPED.replace("- {group: 支撑, parts: [壬]}", "- 壬"), encoding="utf-8")
    with pytest.raises(GlossaryFileError, match=r"g\.yaml:\d+: terms\[0\]\.senses\[0\]\.parts"):
        store.load(path)
