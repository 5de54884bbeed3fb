"""Places as printed -> full administrative paths, from the table of China's divisions."""

from __future__ import annotations

import doctest

import pytest

from glossary import places


@pytest.mark.parametrize(
    ("printed", "path"),
    [
        ("江岸区", "湖北省武汉市江岸区"),
        ("武汉市江岸区", "湖北省武汉市江岸区"),
        ("湖北省江岸区", "湖北省武汉市江岸区"),  # a level skipped is filled in
        ("湖北省武汉市江岸区", "湖北省武汉市江岸区"),
        ("四川省", "四川省"),
        ("郯城县", "山东省临沂市郯城县"),
        ("海淀区", "北京市海淀区"),  # a municipality has no prefecture level
        ("仙桃市", "湖北省仙桃市"),  # a county-level city the province governs directly
        ("南京市鼓楼区", "江苏省南京市鼓楼区"),  # the city says which 鼓楼区
        ("和安县", "新疆维吾尔自治区和田地区和安县"),  # set up in 2024
    ],
)
def test_a_place_as_printed_resolves_to_its_full_path(printed, path):
    assert places.resolve(printed) == path


@pytest.mark.parametrize(
    ("printed", "path"),
    [
        ("蔡甸区桐湖办事处", "湖北省武汉市蔡甸区桐湖办事处"),
        ("鄂城区西山街道", "湖北省鄂州市鄂城区西山街道"),
        ("浙江省温州市乐清市虹桥镇", "浙江省温州市乐清市虹桥镇"),
    ],
)
def test_names_below_the_county_are_kept_after_its_path(printed, path):
    assert places.resolve(printed) == path


@pytest.mark.parametrize("printed", ["朝阳区", "鼓楼区", "市中区"])
def test_a_bare_name_of_several_counties_stays_as_printed(printed):
    assert len(places.readings(printed)) > 1
    assert places.resolve(printed) == printed


@pytest.mark.parametrize("printed", ["桐湖办事处", "虹桥镇", "某某县", "火星", "江岸", ""])
def test_a_name_the_table_does_not_know_stays_as_printed(printed):
    assert places.resolve(printed) == printed


def test_the_readings_of_an_ambiguous_name_are_every_county_of_that_name():
    assert [r.path for r in places.readings("朝阳区")] == ["北京市朝阳区", "吉林省长春市朝阳区"]


@pytest.mark.parametrize(
    "path",
    [
        "湖北省武汉市江岸区",
        "四川省",
        "湖北省武汉市",  # a prefecture is a place too
        "湖北省武汉市蔡甸区桐湖办事处",
        "浙江省温州市乐清市虹桥镇",
        "广东省东莞市虎门镇",  # a city without counties has its towns directly
    ],
)
def test_full_paths_are_recognised(path):
    assert places.is_full_path(path)


@pytest.mark.parametrize(
    "name",
    [
        "江岸区",  # short
        "武汉市江岸区",  # no province
        "朝阳区",  # ambiguous
        "火星",  # unknown
        "湖北省武汉市桐湖办事处",  # the county is missing
        "重庆市渝北区",  # merged into 两江新区 in 2025: no longer in the table
    ],
)
def test_anything_else_is_not_a_full_path(name):
    assert not places.is_full_path(name)


def test_the_module_examples_are_true():
    assert doctest.testmod(places).failed == 0
