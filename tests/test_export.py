from __future__ import annotations

import doctest

import pytest

from glossary import export, store, text
from glossary.annotate import Annotator
from glossary.catalog import Catalog
from glossary.model import Glossary, Sense, Term
from tests.conftest import SHIPPED_GLOSSARY


def widget(*terms: Term) -> dict:
    return export.widget_json(Catalog(Glossary(terms=list(terms))), "v1")


def fold_like_the_widget(written: str, fold: dict[str, str]) -> str:
    """What widget.js does to page text: quotes and spaces out, width, case, the fold table."""
    kept = (c for c in text.fold_width(written) if c not in text.QUOTES and not c.isspace())
    return "".join(fold.get(c, c) for c in kept).lower()


@pytest.fixture(scope="module")
def shipped() -> dict:
    glossary = store.load(SHIPPED_GLOSSARY)
    return export.widget_json(Catalog(glossary), "shipped")


def test_module_examples_are_true():
    assert doctest.testmod(export).failed == 0


def test_forms_are_keyed_like_lookups_and_point_at_terms(shipped):
    assert shipped["forms"]["三个区分开来"] == "san-ge-qu-fen-kai-lai"
    assert shipped["forms"]["531产业体系"] == "531-chan-ye-ti-xi"
    assert set(shipped["forms"].values()) <= set(shipped["terms"])
    assert {"term", "pinyin", "definition", "status", "scopes"} <= set(
        shipped["terms"]["san-ge-qu-fen-kai-lai"]
    )


def test_one_character_forms_are_left_out_as_the_annotator_never_matches_them():
    body = widget(Term("shuang-jian", "双减", "reviewed", aliases=["减"]))
    assert body["forms"] == {"双减": "shuang-jian"}


def test_deprecated_terms_are_left_out():
    body = widget(Term("old", "老提法", "deprecated"), Term("new", "新提法", "candidate"))
    assert body["forms"] == {"新提法": "new"} and set(body["terms"]) == {"new"}


def test_a_shared_form_defaults_to_the_annotators_choice_and_lists_every_sharer():
    terms = [
        Term("a", "两个中心", "candidate", senses=[Sense(scope="甲省")]),
        Term("b", "两个中心", "reviewed", senses=[Sense(scope="乙省")]),
        Term("c", "两个中心", "reviewed", senses=[Sense(scope="丙省")]),
    ]
    body = widget(*terms)
    [span] = Annotator(Glossary(terms=terms)).annotate("两个中心")
    assert body["forms"]["两个中心"] == span.id == "b"
    assert body["shared"] == {"两个中心": ["a", "b", "c"]}


def test_shared_is_absent_when_no_form_is_shared():
    assert "shared" not in widget(Term("a", "双减", "reviewed"))


def test_senses_are_listed_only_where_a_locality_can_change_the_definition(shipped):
    senses = shipped["terms"]["deng-ling-qi-ye"]["senses"]
    # Places that only use 瞪羚企业 (华容区, provinces) give it no sense of their own here.
    assert [s["scope"] for s in senses] == ["湖北省武汉市江岸区", "山东省临沂市郯城县"]
    assert senses[1]["definition"].startswith("创业后跨过死亡谷")
    assert "senses" not in shipped["terms"]["san-ge-qu-fen-kai-lai"]


def test_fold_table_turns_traditional_page_text_into_the_forms_keys(shipped):
    fold = shipped["fold"]
    assert fold["區"] == "区" and fold["個"] == "个" and fold["開"] == "开"
    written = "「三個區分開來」，“５３１”產業體系"  # every character is in some form
    assert fold_like_the_widget(written, fold) == text.key(written)
    for form in shipped["forms"]:
        assert fold_like_the_widget(form, fold) == form


def test_fold_table_holds_only_characters_that_can_matter(shipped):
    wanted = set("".join(shipped["forms"])) | set(
        text.key("".join(s for t in shipped["terms"].values() for s in t["scopes"]))
    )
    assert set(shipped["fold"].values()) <= wanted
    assert all(text.to_simplified(trad) == simp for trad, simp in shipped["fold"].items())


def test_fold_table_covers_scopes_so_a_traditional_locality_folds():
    body = widget(Term("a", "双减", "reviewed", senses=[Sense(scope="湖北省武汉市江岸区")]))
    assert fold_like_the_widget("江岸區", body["fold"]) == "江岸区"


def test_a_character_a_form_keeps_is_never_folded_away():
    # OpenCC turns 乾 alone into 干, but keeps it in 乾隆; both forms must still match.
    body = widget(Term("a", "乾隆盛世", "reviewed"), Term("b", "干部队伍", "reviewed"))
    assert "乾" not in body["fold"]
    assert fold_like_the_widget("乾隆盛世", body["fold"]) == "乾隆盛世"


def test_scope_says_whose_definition_the_term_carries(shipped):
    assert shipped["terms"]["deng-ling-qi-ye"]["scope"] == "湖北省武汉市江岸区"
    pending = shipped["terms"]["wu-da-zhu-dao-chan-ye"]
    assert pending["definition"] is None and "scope" not in pending


def test_places_complete_the_short_names_of_the_places_scopes_pass_through(shipped):
    places = shipped["places"]
    assert places["江岸区"] == "湖北省武汉市江岸区" and places["武汉市"] == "湖北省武汉市"
    assert places["郯城县"] == "山东省临沂市郯城县" and places["鄂城区"] == "湖北省鄂州市鄂城区"
    assert "湖北省" not in places  # a province is its own full path
    assert "西山街道" not in places  # below the county: the table does not know it


def test_places_leave_out_a_name_several_places_share():
    body = widget(Term("a", "双减", "reviewed", senses=[Sense(scope="江苏省南京市鼓楼区")]))
    assert body["places"] == {"南京市": "江苏省南京市"}  # 鼓楼区 is also in 徐州, 福州…
