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


# --- definitions, aliases and links a curator should look at -----------------------------

WU_GONG = "决策共谋、发展共建、建设共管、效果共评、成果共享。"


def _warnings(source: str, ending: str) -> list[tuple[str, str]]:
    glossary = store.parse(source, "terms.yaml")
    return [(w.path, w.message) for w in lint.warnings(glossary) if w.path.endswith(ending)]


def test_a_reviewed_definition_no_cited_quote_prints_is_flagged():
    source = SAMPLE.replace(f"definition: {WU_GONG}", "definition: 决策共谋、成果共享。")
    assert _warnings(source, ".definition") == [
        (
            "terms[1].senses[0].definition",
            "the definition of “五共”理念 is in none of the quotes this sense cites: copy it "
            "as the report prints it, or cite the quote that gives it",
        )
    ]


def test_a_reviewed_definition_citing_no_quote_is_flagged():
    cited = (
        "        sources:\n          - doc: jiangan-2024\n            kind: glossary\n"
        f'            quote: "23. “五共”理念:{WU_GONG}"\n'
    )
    assert cited in SAMPLE
    source = SAMPLE.replace(cited, "")
    assert _warnings(source, ".definition") == [
        (
            "terms[1].senses[0].definition",
            "the definition of “五共”理念 is in no quote: copy it as the report prints it, "
            "or cite the quote that gives it",
        )
    ]


@pytest.mark.parametrize(
    "definition",
    [
        "指决策共谋、发展共建、建设共管、效果共评、成果共享",  # a lead word, no full stop
        "即：决策共谋、发展共建、建设共管、效果共评、成果共享。",
        "决策共谋、發展共建、建設共管、效果共評、成果共享。",  # traditional characters
        "决策共谋、 发展共建、建设共管、\u3000效果共评、成果共享。",  # stray spaces
        "发展共建、建设共管",  # a stretch of the quote
        "决策共谋、……、成果共享。",  # abridged, each stretch printed
    ],
)
def test_a_definition_the_quote_prints_folded_is_not_flagged(definition):
    source = SAMPLE.replace(f"definition: {WU_GONG}", f'definition: "{definition}"')
    assert _warnings(source, ".definition") == []


def test_full_width_punctuation_and_other_quote_marks_in_the_quote_are_folded():
    printed = "“五共”理念：决策共谋，发展共建；建设共管、效果共评、成果共享。"
    source = SAMPLE.replace(
        f"definition: {WU_GONG}", "definition: 决策共谋,发展共建;建设共管、效果共评、成果共享"
    ).replace(f'quote: "23. “五共”理念:{WU_GONG}"', f"quote: 「{printed}」")
    assert _warnings(source, ".definition") == []


def test_a_quote_cut_short_shows_the_definition_only_as_far_as_it_goes():
    # The sample quotes 三个区分开来 abridged: 把干部在推进改革中…… begins its definition.
    assert _warnings(SAMPLE, ".definition") == []
    source = SAMPLE.replace("把干部在推进改革中因缺乏经验", "把干部在改革中因缺乏经验")
    assert [path for path, _ in _warnings(source, ".definition")] == [
        "terms[0].senses[0].definition"
    ]


def test_each_sense_is_checked_against_its_own_quotes_and_candidates_not_at_all():
    # The definition of 五共 quoted under 三个区分开来 does not count for 三个区分开来.
    source = SAMPLE.replace(
        "把干部在推进改革中因缺乏经验、先行先试出现的失误和错误,……", WU_GONG.rstrip("。")
    )
    assert [p for p, _ in _warnings(source, ".definition")] == ["terms[0].senses[0].definition"]
    candidate = source.replace("status: reviewed   #", "status: candidate   #")
    assert _warnings(candidate, ".definition") == []


def test_an_alias_that_is_another_term_headword_is_flagged():
    source = SAMPLE.replace("aliases: [五共理念]", "aliases: [五共理念, 三個區分開來]")
    assert _warnings(source, "]") == [
        (
            "terms[1].aliases[1]",
            "alias 三個區分開來 of 'wu-gong-li-nian' is the headword of 'san-ge-qu-fen-kai-lai' "
            "(terms[0]): merge the two terms, or remove the alias",
        )
    ]


def test_an_alias_shared_with_a_deprecated_term_is_not_flagged():
    source = SAMPLE.replace("aliases: [五共理念]", "aliases: [五共理念, “1310”]")
    deprecated = source.replace("status: candidate", "status: deprecated")
    assert _warnings(deprecated, "]") == []


def test_a_candidate_named_as_an_alias_is_flagged_once_as_already_reviewed():
    source = SAMPLE.replace("term: “1310”", "term: 五共理念")
    assert [w.path for w in lint.warnings(store.parse(source))] == ["terms[2].status"]


def test_a_related_term_that_is_deprecated_is_flagged():
    source = SAMPLE.replace("related: [wu-gong-li-nian]", 'related: [wu-gong-li-nian, "1310"]')
    source = source.replace("status: candidate", "status: deprecated")
    assert _warnings(source, "]") == [
        (
            "terms[0].related[1]",
            "'1310' is deprecated: remove it from related, or name the term that replaces it",
        )
    ]


def test_the_shipped_definitions_aliases_and_links_raise_nothing():
    warnings = lint.warnings(store.load(SHIPPED_GLOSSARY))
    assert [w for w in warnings if w.path.endswith((".definition", "]"))] == []
