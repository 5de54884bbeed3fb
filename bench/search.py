"""Search speed: index build, query latency by kind, suggest, and HTTP throughput.

    python bench/search.py [--terms 10000] [--seconds 10] [--skip-http] [--queries 100]
                           [--compare 1000]

Writes a synthetic glossary (seeded, so every run has the same one) of ``--terms`` terms
built from real pieces (number frames 三个/四大/双/一X一X/“531”/“1+3+N” x policy words x
heads 机制/模式/体系/… x localities), plus every term and document of ``data/terms.yaml``,
then measures, in the same run:

1. Index build: ``store.load`` (YAML and validation: the baseline), then one whole
   ``GlossaryService(file, fresh index dir)`` start, its steps as ``glossary.derived``
   logs them (parsing, readings and search keys, the Whoosh parts written beside the
   maps, catalogue and annotator). Goal: the build after parsing <= 15 s at 10,000.
2. In-process ``search.find(q, 10)``, uncached (``search.search`` is the LRU-cached face),
   p50/p99 per query kind (exact headword, alias, pinyin, tone marks, initials, prefix,
   substring, digits, traditional, definition words, typos, no-hit garbage), best of a
   few rounds per query, also as a ratio to the baseline ``glossary.text.key(q)``: the
   fold every lookup must do. found@10 says whether the wanted term came back.
3. In-process ``search.complete(q)`` for 1-4 typed characters of pinyin, initials and
   hanzi. Goal: top 10 well under a millisecond: p99 <= 1 ms.
4. HTTP (gunicorn --preload --workers 2 on the index of step 1, wrk -t2 -c16 --latency,
   each request the next of a list of URL-encoded queries; best of two alternating
   runs, the highest rate and the lowest p99 of the two): requests/s and p99 of
   /healthz (the no-op baseline), /api/v1/search over all the queries above (a share
   of them cache hits, bounded and printed), the same over 50 of them (cache hits: the
   web layer's own cost), the same over all the queries on a server started with
   GLOSSARY_ANSWERS_KEPT=0 (no answer kept: every search computed) and
   /api/v1/suggest. Goals: uncached search / no-op >= 0.5, suggest /
   no-op >= 0.7. Needs ``wrk`` (``apt-get install -y wrk``), else skipped.
5. With ``--compare N``: step 4 again on a glossary of N synthetic terms, and the p99
   of each endpoint here against there. Goals: search <= 3x, suggest <= 2x.

Ratios matter more than absolute figures: the machines are shared and noisy. A full
run takes about 8 minutes, most of it the index build and the slow query kinds.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import math
import random
import re
import shutil
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import opencc
import yaml
from serving import WrkRun, get, lua_script, serve, wrk

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from glossary import pinyin, segment, store, text  # noqa: E402
from glossary.model import Term  # noqa: E402
from glossary.search import Search  # noqa: E402
from glossary.service import GlossaryService  # noqa: E402

SEED = 20241224
BUILD_GOAL_S = 15.0
SUGGEST_GOAL_MS = 1.0
SEARCH_GOAL, SUGGEST_GOAL = 0.5, 0.7
ROUNDS = 3
HOT = 50  # queries of the cached HTTP search run
NOOP, SUGGEST = "no-op /healthz", "/api/v1/suggest"
SEARCH, SEARCH_HOT = "/api/v1/search", f"search, {HOT} hot"
SEARCH_COLD = "search, no answer kept"

# --- the pieces of synthetic jargon --------------------------------------------------------


def _split(words: str) -> list[str]:
    return words.split()


COUNTED = {"两个": 2, "三个": 3, "四个": 4, "五个": 5, "六个": 6,
           "三大": 3, "四大": 4, "五大": 5, "十大": 10}  # fmt: skip
WORDS = _split("""
    聚焦 攻坚 提升 融合 联动 赋能 共建 共治 共享 精准 下沉 帮扶 振兴 突破 优化 保障
    创建 服务 包联 督办 示范 引领 护航 惠企 安居 兴业 强基 育才 减负 增效 提质 先行
    协同 畅通 清零 争先 比拼 走访 夜访 到位 不变 一流 过硬 满意 放心 清廉
""")
UNITS, PLANS = "村企园楼街户格岗链校", "策品特档案业码员长景"
PAIRED = "提扩招引减增比拼进联学干"
DOMAINS = _split("""
    党建 招商 产业 生态 文旅 数字 营商 民生 安全 平安 乡村 社区 基层 人才 科创
    城管 环保 教育 医疗 养老 就业 消防 防汛 信访 法治 网格
""")
HEADS = _split("机制 模式 体系 工程 行动 制度 理念 工作法 清单 计划")
LOCALITIES = [  # (scope, short name written in some headwords)
    tuple(pair.split(":"))
    for pair in _split("""
    湖北省武汉市江岸区:江岸 湖北省武汉市江汉区:江汉 湖北省武汉市洪山区:洪山
    湖北省武汉市蔡甸区桐湖办事处:桐湖 湖北省鄂州市华容区:华容
    湖北省鄂州市鄂城区西山街道:西山 湖北省宜昌市夷陵区:夷陵 湖北省襄阳市襄州区:襄州
    浙江省温州市乐清市虹桥镇:虹桥 浙江省杭州市余杭区:余杭 浙江省宁波市鄞州区:鄞州
    浙江省绍兴市诸暨市枫桥镇:枫桥 山东省临沂市郯城县:郯城 山东省青岛市黄岛区:黄岛
    山东省潍坊市寿光市:寿光 江苏省苏州市昆山市:昆山 江苏省南京市江宁区:江宁
    广东省深圳市南山区:南山 广东省佛山市顺德区:顺德 四川省成都市郫都区:郫都
    河南省郑州市金水区:金水 湖南省长沙市岳麓区:岳麓 安徽省合肥市蜀山区:蜀山
    福建省厦门市思明区:思明 江西省赣州市瑞金市:瑞金 河北省雄安新区:雄安
    重庆市渝中区:渝中 贵州省贵阳市观山湖区:观山湖 陕西省西安市雁塔区:雁塔
    云南省昆明市五华区:五华
""")
]
VERBS = _split("""
    强化 优化 健全 完善 推进 深化 提升 落实 压实 夯实 拓展 创新 统筹 加强 做实
    筑牢 激活 规范 延伸 打通
""")
OBJECTS = _split("""
    党建引领 基层治理 营商环境 服务效能 产业链条 要素保障 项目建设 招商引资
    安全生产 生态保护 民生保障 人才支撑 数字赋能 风险防控 矛盾调解 网格管理
    社区服务 乡村建设 文旅融合 科技创新 企业帮扶 政务服务 城市更新 环境整治
    就业创业 养老服务 教育资源 医疗卫生 应急管理 信访化解 财政金融 土地供应
    干部队伍 作风建设 考核评价 资金统筹 市场主体 闲置资源 集体经济 河湖长制
""")
CATEGORIES = _split("""
    乡村振兴 产业 党建 发展战略 城市管理 基层治理 工作部署 干部管理 招商引资
    政府建设 教育 文化旅游 生态环保 科技创新 经济运行 营商环境 财政 项目建设
""")
USAGE = [
    "坚持把{t}作为重要抓手,推动各项工作落地见效。",
    "深入实施{t},全年完成年度目标任务。",
    "持续深化{t},群众获得感、幸福感、安全感不断增强。",
    "创新推出{t},经验做法被省级媒体推介。",
]
DOC = {
    "id": "bench-synthetic-report",
    "title": "基准测试合成报告(名词解释汇编)",
    "locality": "全国",
    "date": "2024",
}
RARE_HANZI = "龘靐齉爩灪麤鱻驫羴猋骉赑"


@dataclass
class Core:
    """The coined part of a headword: 三个聚焦, 一企一策, 531, 1+3+N."""

    text: str
    count: int  # how many parts a definition enumerates
    code: bool  # digits or +: always quoted, often bare as an alias


def make_core(rng: random.Random) -> Core:
    kind = rng.random()
    if kind < 0.45:
        frame = rng.choice(list(COUNTED))
        return Core(frame + rng.choice(WORDS), COUNTED[frame], False)
    if kind < 0.55:
        return Core("双" + rng.choice(WORDS), 2, False)
    if kind < 0.65:
        return Core(f"一{rng.choice(UNITS)}一{rng.choice(PLANS)}", 2, False)
    if kind < 0.75:
        n = rng.choice("双三四五十")
        a, b = rng.sample(PAIRED, 2)
        return Core(f"{n}{a}{n}{b}", 2 if n == "双" else 4, False)
    if kind < 0.9:
        digits = "".join(rng.choice("123456789") for _ in range(rng.choice((3, 3, 4))))
        return Core(digits, len(digits), True)
    parts = [str(rng.randint(1, 3)), str(rng.randint(2, 9)), rng.choice("NNNX0123456789")]
    return Core("+".join(parts), 3, True)


def synthetic_terms(
    count: int, rng: random.Random, taken_ids: set[str], taken_slots: set[tuple[str, str]]
) -> Iterator[dict]:
    """``count`` synthetic term mappings, unique in id and in headword per scope."""
    slugs: dict[str, str] = {}

    def slug(piece: str) -> str:
        if piece not in slugs:
            slugs[piece] = pinyin.slug(piece)
        return slugs[piece]

    made = 0
    while made < count:
        core = make_core(rng)
        scope, place = rng.choice(LOCALITIES)
        prefix = place if rng.random() < 0.1 else ""
        prefix += rng.choice(DOMAINS) if rng.random() < 0.3 else ""
        middle = rng.choice(DOMAINS) if rng.random() < (0.8 if core.code else 0.4) else ""
        head = rng.choice(HEADS)
        if head in ("机制", "体系", "制度") and rng.random() < 0.25:
            middle += "工作"
        quoted = core.code or rng.random() < 0.6
        written = f"“{core.text}”" if quoted else core.text
        term = prefix + written + middle + head
        slot = (text.key(term), scope)
        if slot in taken_slots:
            continue
        taken_slots.add(slot)
        aliases = []
        if quoted and rng.random() < 0.5:
            aliases.append(prefix + core.text + middle + head)
        if (prefix or middle) and rng.random() < 0.6:
            aliases.append(core.text + head)
        if core.code and rng.random() < 0.5:
            aliases.append(core.text)
        term_id = "-".join(slug(p) for p in (prefix, core.text, middle, head) if p)
        if term_id in taken_ids:
            term_id += f"-{made}"
        taken_ids.add(term_id)
        reviewed = rng.random() < 0.4
        sense: dict = {"scope": scope}
        if reviewed:
            parts = [rng.choice(VERBS) + obj for obj in rng.sample(OBJECTS, min(core.count, 6))]
            sense["definition"] = "、".join(parts) + "。"
            sense["parts"] = parts
            quote = f"{made % 40 + 1}. {term}:{sense['definition']}"
            sense["sources"] = [{"doc": DOC["id"], "kind": "glossary", "quote": quote}]
        else:
            quote = rng.choice(USAGE).format(t=term)
            sense["sources"] = [{"doc": DOC["id"], "kind": "usage", "quote": quote}]
        yield {
            "id": term_id,
            "term": term,
            "aliases": list(dict.fromkeys(aliases)),
            "status": "reviewed" if reviewed else "candidate",
            "category": rng.choice(CATEGORIES),
            "senses": [sense],
            "related": [],
        }
        made += 1
        if made % 2500 == 0:
            print(f"  glossary: {made}/{count} synthetic terms", file=sys.stderr)


def write_glossary(path: Path, count: int) -> tuple[int, int]:
    """Shipped glossary + ``count`` synthetic terms -> ``path``; returns (terms, documents)."""
    shipped = yaml.load(
        (REPO / "data" / "terms.yaml").read_text(encoding="utf-8"),
        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
    )
    taken_ids = {t["id"] for t in shipped["terms"]}
    taken_slots = {
        (text.key(t["term"]), s.get("scope")) for t in shipped["terms"] for s in t["senses"]
    }
    rng = random.Random(SEED)
    terms = shipped["terms"] + list(synthetic_terms(count, rng, taken_ids, taken_slots))
    documents = [*shipped["documents"], DOC]
    data = {"version": 1, "documents": documents, "terms": terms}
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle, Dumper=dumper, allow_unicode=True, sort_keys=False, width=4096)
    return len(terms), len(documents)


# --- queries ---------------------------------------------------------------------------------

_s2t = opencc.OpenCC("s2t")
_CODE = re.compile(r"[0-9][0-9+A-Za-z]*")
_FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}

# kind -> (query, headword key wanted in the top 10, or None when many terms fit equally)
Maker = Callable[[Term, pinyin.Reading, random.Random], tuple[str, str | None] | None]


def _letters(reading: pinyin.Reading) -> str | None:
    key = reading.toneless
    return key if key.isascii() and key.isalpha() and len(key) >= 4 else None


def _alias(term: Term, r: pinyin.Reading, rng: random.Random):
    others = [a for a in term.aliases if text.key(a) != text.key(term.term)]
    return (rng.choice(others), text.key(term.term)) if others else None


def _prefix(term: Term, r: pinyin.Reading, rng: random.Random):
    key = _letters(r)
    return (key[: rng.randint(3, min(10, len(key) - 1))], None) if key else None


def _substring(term: Term, r: pinyin.Reading, rng: random.Random):
    key = text.key(term.term)
    if len(key) < 4:
        return None
    start = rng.randint(1, len(key) - 2)
    return key[start : start + rng.randint(2, min(4, len(key) - start))], None


def _digits(term: Term, r: pinyin.Reading, rng: random.Random):
    found = _CODE.search(text.fold_width(term.term))
    if not found:
        return None
    code = found[0]
    style = rng.random()
    query = f"“{code}”" if style < 0.2 else code.translate(_FULL_WIDTH) if style < 0.3 else code
    return query, text.key(term.term)


def _traditional(term: Term, r: pinyin.Reading, rng: random.Random):
    converted = _s2t.convert(term.term)
    return (converted, text.key(term.term)) if converted != term.term else None


def _definition(term: Term, r: pinyin.Reading, rng: random.Random):
    sense = next((s for s in term.senses if s.definition), None)
    if sense is None:
        return None
    if sense.parts:
        part = rng.choice(sense.parts)
        objects = [p[2:] for p in sense.parts if len(p) == 6]
        choice = rng.random()
        if choice < 0.4 or len(objects) < 2:
            return part, None
        if choice < 0.8:
            return rng.choice(objects), None
        return " ".join(rng.sample(objects, 2)), None
    words = [w for w, _, _ in segment.words(sense.definition) if len(w) >= 2]
    return (rng.choice(words), None) if words else None


def _typo(term: Term, r: pinyin.Reading, rng: random.Random):
    key = _letters(r)
    if not key or len(key) < 6:
        return None
    i = rng.randint(1, len(key) - 2)
    if rng.random() < 0.5 and key[i] != key[i + 1]:  # swapped keys: shuangjain
        typo = key[:i] + key[i + 1] + key[i] + key[i + 2 :]
    else:  # one wrong letter
        typo = key[:i] + rng.choice([c for c in "aeiou" if c != key[i]]) + key[i + 1 :]
    return typo, text.key(term.term)


def _garbage(term: Term, r: pinyin.Reading, rng: random.Random):
    # Nothing starts with v, and these characters and symbols are in no term: a true miss.
    choice = rng.random()
    if choice < 0.5:
        return "v" + "".join(rng.choice("qxzkwv") for _ in range(rng.randint(4, 8))), None
    if choice < 0.8:
        return "".join(rng.sample(RARE_HANZI, rng.randint(2, 4))), None
    return "".join(rng.choice("@#%&*~^") for _ in range(rng.randint(2, 5))), None


KINDS: dict[str, Maker] = {
    "exact headword": lambda t, r, g: (t.term, text.key(t.term)),
    "alias": _alias,
    "pinyin joined": lambda t, r, g: (r.toneless, text.key(t.term)),
    "pinyin spaced": lambda t, r, g: (r.spaced, text.key(t.term)),
    "tone marks": lambda t, r, g: (r.marks, text.key(t.term)),
    "tone numbers": lambda t, r, g: (r.numbers, text.key(t.term)),
    "initials": lambda t, r, g: (r.initials, text.key(t.term)),
    "prefix (pinyin)": _prefix,
    "substring": _substring,
    "digits/symbols": _digits,
    "traditional": _traditional,
    "definition words": _definition,
    "typo/fuzzy": _typo,
    "no-hit garbage": _garbage,
}


def make_queries(terms: list[Term], shipped_ids: set[str], per_kind: int, rng: random.Random):
    """{kind: [(query, wanted key or None)]}: a fifth from shipped terms, the rest synthetic."""
    live = [t for t in terms if t.status != "deprecated"]
    shipped = [t for t in live if t.id in shipped_ids]
    synthetic = [t for t in live if t.id not in shipped_ids]
    readings: dict[str, pinyin.Reading] = {}
    queries: dict[str, list[tuple[str, str | None]]] = {}
    for kind, maker in KINDS.items():
        found: list[tuple[str, str | None]] = []
        for pool, quota in ((shipped, per_kind // 5), (synthetic, per_kind)):
            goal = len(found) + quota if pool is shipped else per_kind
            for term in rng.sample(pool, len(pool)):
                if len(found) >= goal:
                    break
                if term.id not in readings:
                    readings[term.id] = pinyin.read(term.term, term.pinyin)
                made = maker(term, readings[term.id], rng)
                if made and made[0].strip():
                    found.append(made)
        queries[kind] = found
    suggestions = []
    for term in rng.sample(synthetic, per_kind) + rng.sample(shipped, min(per_kind // 5, 20)):
        r = readings.get(term.id) or pinyin.read(term.term, term.pinyin)
        n = rng.randint(1, 4)
        suggestions += [r.toneless[:n], r.initials[:n], text.key(term.term)[:n]]
    return queries, suggestions


# --- timing ------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def best_times(calls: list[Callable[[], object]], rounds: int, label: str) -> list[float]:
    """Seconds per call, the best of ``rounds`` (calls shuffled each round)."""
    best = [math.inf] * len(calls)
    order = list(range(len(calls)))
    shuffle = random.Random(SEED)
    for round_ in range(rounds):
        shuffle.shuffle(order)
        start_round = time.perf_counter()
        for i in order:
            start = time.perf_counter()
            calls[i]()
            best[i] = min(best[i], time.perf_counter() - start)
        took = time.perf_counter() - start_round
        print(f"  {label}: round {round_ + 1}/{rounds}, {took:.1f} s", file=sys.stderr)
    return best


def key_baseline(queries: list[str], repeat: int = 50) -> float:
    """Median seconds of ``text.key(q)`` over the queries (each timed as a loop)."""
    per_query = []
    for q in queries:
        start = time.perf_counter()
        for _ in range(repeat):
            text.key(q)
        per_query.append((time.perf_counter() - start) / repeat)
    return percentile(per_query, 50)


def in_process(search: Search, queries, suggestions, base: float) -> None:
    flat = [(kind, q, want) for kind, items in queries.items() for q, want in items]
    # One pass for the answers (found@10), which also warms Whoosh's readers up.
    results = {i: search.find(q, 10) for i, (_, q, _) in enumerate(flat)}
    times = best_times([lambda q=q: search.find(q, 10) for _, q, _ in flat], ROUNDS, "search.find")
    print(f"\nin-process search.find(q, 10), uncached, best of {ROUNDS} rounds per query")
    print(f"  baseline: glossary.text.key(q), median {base * 1e6:.1f} us per query")
    print(f"  {'kind':<18}{'n':>5}{'p50 ms':>9}{'p99 ms':>9}{'p50 x':>8}{'p99 x':>8}  found@10")
    everything = []
    for kind in queries:
        rows = [i for i, (k, _, _) in enumerate(flat) if k == kind]
        spent = [times[i] for i in rows]
        everything += spent
        wanted = [i for i in rows if flat[i][2] is not None]
        if kind == "no-hit garbage":
            empty = sum(not results[i].hits for i in rows)
            found = f"no hits {100 * empty / len(rows):.0f}%"
        elif wanted:
            hit = sum(
                any(text.key(h.term) == flat[i][2] for h in results[i].hits[:10]) for i in wanted
            )
            found = f"{100 * hit / len(wanted):.0f}%"
        else:
            found = "-"
        p50, p99 = percentile(spent, 50), percentile(spent, 99)
        print(f"  {kind:<18}{len(rows):>5}{p50 * 1e3:>9.2f}{p99 * 1e3:>9.2f}"
              f"{p50 / base:>8.0f}{p99 / base:>8.0f}  {found}")  # fmt: skip
    p50, p99 = percentile(everything, 50), percentile(everything, 99)
    print(f"  {'all kinds':<18}{len(everything):>5}{p50 * 1e3:>9.2f}{p99 * 1e3:>9.2f}"
          f"{p50 / base:>8.0f}{p99 / base:>8.0f}")  # fmt: skip

    spent = best_times([lambda q=q: search.complete(q) for q in suggestions], ROUNDS, "suggest")
    p50, p99 = percentile(spent, 50), percentile(spent, 99)
    verdict = "OK" if p99 * 1e3 <= SUGGEST_GOAL_MS else "MISSED"
    print(f"\nin-process search.complete(q) (uncached): {len(suggestions)} prefixes "
          "of 1-4 characters (pinyin, initials, hanzi)")  # fmt: skip
    print(f"  p50 {p50 * 1e3:.3f} ms = {p50 / base:.0f} x key()   "
          f"p99 {p99 * 1e3:.3f} ms = {p99 / base:.0f} x key()   "
          f"(goal p99 <= {SUGGEST_GOAL_MS:g} ms) {verdict}")  # fmt: skip


# --- HTTP ---------------------------------------------------------------------------------------


def http(
    glossary_file: Path, index_dir: Path, tmp: Path, queries, suggestions, seconds: int
) -> dict[str, WrkRun]:
    """Serve the glossary, run wrk on each endpoint, print the table; the best runs."""
    with serve(glossary_file, index_dir, tmp) as base_url:
        search_qs = list(dict.fromkeys(q for items in queries.values() for q, _ in items))
        hot_qs = random.Random(SEED).sample(search_qs, min(HOT, len(search_qs)))
        suggest_qs = list(dict.fromkeys(suggestions))
        quote = urllib.parse.quote
        endpoints = {
            NOOP: ["/healthz"],
            SEARCH: [f"/api/v1/search?q={quote(q, safe='')}" for q in search_qs],
            SEARCH_HOT: [f"/api/v1/search?q={quote(q, safe='')}" for q in hot_qs],
            SUGGEST: [f"/api/v1/suggest?q={quote(q, safe='')}" for q in suggest_qs],
        }
        for name, urls in endpoints.items():  # the server answers; wrk counts any non-2xx
            status, _ = get(base_url + urls[0], timeout=60)
            assert status == 200, f"{name}: {urls[0]} -> {status}"
        scripts = {
            name: lua_script(tmp / f"wrk-{n}.lua", urls)
            for n, (name, urls) in enumerate(endpoints.items())
        }
        runs: dict[str, list[WrkRun]] = {name: [] for name in [*endpoints, SEARCH_COLD]}
        for round_ in range(2):  # alternate, keep the best: the machine is shared
            for name, script in scripts.items():
                runs[name].append(_wrk_round(name, round_, script, base_url, seconds))
    # Every search computed: the same queries, on workers that keep no answer.
    with serve(glossary_file, index_dir, tmp, {"GLOSSARY_ANSWERS_KEPT": "0"}) as base_url:
        for round_ in range(2):
            runs[SEARCH_COLD].append(
                _wrk_round(SEARCH_COLD, round_, scripts[SEARCH], base_url, seconds)
            )

    best = {name: _best(r) for name, r in runs.items()}
    noop = best[NOOP].rps
    print(f"\nHTTP: gunicorn --preload --workers 2, wrk -t2 -c16 -d{seconds}s, "
          "best of 2 runs (highest req/s, lowest p99)")  # fmt: skip
    if (REPO / "gunicorn.conf.py").exists():  # gunicorn reads it from its working directory
        print("  gunicorn also read the repo's gunicorn.conf.py (the flags above override it)")
    made = {name: sum(run.requests for run in r) for name, r in runs.items()}
    # Each worker misses a query once at most (the LRU holds 4096), and every distinct
    # query sent is missed at least once: bounds on the share of cache hits.
    misses = min(made[SEARCH], len(search_qs))
    hot_misses = min(made[SEARCH_HOT], 2 * len(hot_qs))
    hits = 100 - 100 * misses / made[SEARCH]
    hot_hits = 100 - 100 * hot_misses / made[SEARCH_HOT]
    print(f"  {SEARCH}: {len(search_qs)} distinct queries (all kinds above) in rotation; "
          f"at most {hits:.0f}% of its\n    {made[SEARCH]} requests can have been LRU cache "
          f"hits{' (so: uncached search)' if hits < 20 else ''}")  # fmt: skip
    print(f"  {SEARCH_HOT}: {len(hot_qs)} of them in rotation; at least {hot_hits:.1f}% "
          "cache hits: the web layer's own cost")  # fmt: skip
    print(f"  {SUGGEST}: {len(suggest_qs)} distinct prefixes in rotation "
          "(cached per worker after their first request)")  # fmt: skip
    print(f"  {SEARCH_COLD}: the same {len(search_qs)} queries on workers started with "
          "GLOSSARY_ANSWERS_KEPT=0: 0% cache hits, every answer computed")  # fmt: skip
    print(f"  {'endpoint':<22}{'req/s':>8}{'p99 ms':>9}{'requests':>10}{'x no-op':>9}  goal")
    goals = {NOOP: None, SEARCH: None, SEARCH_HOT: None, SEARCH_COLD: SEARCH_GOAL,
             SUGGEST: SUGGEST_GOAL}  # fmt: skip
    for name, goal in goals.items():
        run = best[name]
        ratio = run.rps / noop
        if goal is None:
            verdict = "(baseline)" if name == NOOP else ""
        else:
            verdict = f">= {goal}  {'OK' if ratio >= goal else 'MISSED'}"
        errors = f"  [{run.errors}]" if run.errors else ""
        print(f"  {name:<22}{run.rps:>8.0f}{run.p99_ms:>9.1f}{run.requests:>10}{ratio:>9.3f}  "
              f"{verdict}{errors}")  # fmt: skip
    return best


P99_GOALS = {SEARCH: 3.0, SEARCH_COLD: None, SUGGEST: 2.0}


def compare(small: int, big: int, best_small: dict[str, WrkRun], best_big: dict[str, WrkRun]):
    """p99 over HTTP of the big glossary against the small one, measured in one run."""
    print(f"\nHTTP p99, {big} synthetic terms against {small}, in this run")
    print(f"  {'endpoint':<22}{'small ms':>9}{'big ms':>9}{'x small':>9}  goal")
    for name, goal in P99_GOALS.items():
        ratio = best_big[name].p99_ms / best_small[name].p99_ms
        verdict = "" if goal is None else f"<= {goal:g}  {'OK' if ratio <= goal else 'MISSED'}"
        print(f"  {name:<22}{best_small[name].p99_ms:>9.1f}{best_big[name].p99_ms:>9.1f}"
              f"{ratio:>9.2f}  {verdict}")  # fmt: skip


def _best(runs: list[WrkRun]) -> WrkRun:
    """The best of each figure: noise on a shared machine only lowers the rate and
    raises the p99, and not always in the same run (the first run of a cached endpoint
    also fills the caches)."""
    fastest = max(runs, key=lambda run: run.rps)
    return dataclasses.replace(fastest, p99_ms=min(run.p99_ms for run in runs))


def _wrk_round(name: str, round_: int, script: Path, base_url: str, seconds: int) -> WrkRun:
    print(f"  wrk {name} round {round_ + 1}: {seconds} s", file=sys.stderr)
    run = wrk(script, base_url, seconds)
    print(f"    {run.rps:.0f} req/s, p99 {run.p99_ms:.1f} ms {run.errors}", file=sys.stderr)
    return run


# --- main ---------------------------------------------------------------------------------------


def timed(work: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    done = work()
    return time.perf_counter() - start, done


class _StepTimes(logging.Handler):
    """Collects the steps ``glossary.derived`` logs while it computes a version."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.steps: list[tuple[str, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        done, elapsed = record.args[1], record.args[2]  # "%s: %s (%.1f s)"
        self.steps.append((done, elapsed))


def build_phases(glossary_file: Path, tmp: Path) -> GlossaryService:
    """Start a service on a fresh index directory and print its build, step by step.

    The baseline is ``store.load`` alone (YAML and validation), timed first. The build
    is the service's own (``glossary.derived``), once: at 20,000 terms or more its
    Whoosh segments are written by forked processes while the maps are computed, so the
    steps overlap and are printed as logged, each with the time since the start.
    """
    pinyin.read.cache_clear()  # generating the glossary read every term already
    print("  index build: store.load", file=sys.stderr)
    load_s, _ = timed(lambda: store.load(glossary_file))
    pinyin.read.cache_clear()
    print("  index build: GlossaryService, fresh directory", file=sys.stderr)
    steps = _StepTimes()
    logger = logging.getLogger("glossary.derived")
    logger.addHandler(steps)
    logger.setLevel(logging.INFO)
    try:
        start_s, service = timed(lambda: GlossaryService(glossary_file, tmp / "index"))
    finally:
        logger.removeHandler(steps)
    parsed_s = next((t for done, t in steps.steps if "parsed and validated" in done), 0.0)
    build_s = start_s - parsed_s
    verdict = "OK" if build_s <= BUILD_GOAL_S else "MISSED"
    print("\nindex build (a whole GlossaryService start on a fresh directory)")
    print(f"  store.load alone (YAML, validation)      {load_s:7.2f} s  (baseline)")
    previous = 0.0
    for done, elapsed in steps.steps:
        print(f"  {done[:38]:<38} {elapsed:7.2f} s  (+{elapsed - previous:.2f} s)")
        previous = elapsed
    label = "GlossaryService start, whole"
    print(f"  {label:<38} {start_s:7.2f} s  = {start_s / load_s:.2f} x load")
    label = "the build, after parsing"
    print(f"  {label:<38} {build_s:7.2f} s  = {build_s / load_s:.2f} x load"
          f"  (goal <= {BUILD_GOAL_S:g} s at 10,000 terms) {verdict}")  # fmt: skip
    return service


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=10000, help="synthetic terms to add")
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run")
    parser.add_argument("--skip-http", action="store_true", help="in-process figures only")
    parser.add_argument("--queries", type=int, default=100, help="queries per kind")
    parser.add_argument(
        "--compare",
        type=int,
        default=0,
        metavar="N",
        help="also serve a glossary of N synthetic terms and print the p99 ratios",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="search-bench-") as name:
        tmp = Path(name)
        glossary_file = tmp / "terms.yaml"
        print("  glossary: generating", file=sys.stderr)
        terms, documents = write_glossary(glossary_file, args.terms)
        megabytes = glossary_file.stat().st_size / 1e6

        # One-off loads (jieba's dictionary, OpenCC, the pinyin phrase table) happen in
        # every process once, not per glossary: keep them out of the build time.
        segment.words("预热一下")
        text.key("預熱")
        pinyin.read("预热")
        print(f"glossary: {terms} terms ({args.terms} synthetic + {terms - args.terms} shipped), "
              f"{documents} documents, {megabytes:.1f} MB of YAML")  # fmt: skip
        service = build_phases(glossary_file, tmp)
        sys.stdout.flush()

        glossary = service.current().glossary
        shipped_ids = {t.id for t in store.load(REPO / "data" / "terms.yaml").terms}
        print("  queries: drawing", file=sys.stderr)
        queries, suggestions = make_queries(
            glossary.terms, shipped_ids, args.queries, random.Random(SEED + 1)
        )
        base = key_baseline([q for items in queries.values() for q, _ in items])
        in_process(service.current().search, queries, suggestions, base)
        del service, glossary  # the servers below hold their own copies
        sys.stdout.flush()

        if args.skip_http:
            return
        if shutil.which("wrk") is None:
            print("\nHTTP: skipped, wrk is not installed (apt-get install -y wrk)")
            return
        best = http(glossary_file, tmp / "index", tmp, queries, suggestions, args.seconds)
        if args.compare:
            best_small = http_small(tmp / "small", args.compare, shipped_ids, args)
            compare(args.compare, args.terms, best_small, best)


def http_small(tmp: Path, count: int, shipped_ids: set[str], args) -> dict[str, WrkRun]:
    """The HTTP runs again on a glossary of ``count`` synthetic terms (built by the server)."""
    tmp.mkdir()
    glossary_file = tmp / "terms.yaml"
    terms, _ = write_glossary(glossary_file, count)
    print(f"\nglossary for comparison: {terms} terms ({count} synthetic)")
    glossary = store.load(glossary_file)
    queries, suggestions = make_queries(
        glossary.terms, shipped_ids, args.queries, random.Random(SEED + 1)
    )
    return http(glossary_file, tmp / "index", tmp, queries, suggestions, args.seconds)


if __name__ == "__main__":
    main()
