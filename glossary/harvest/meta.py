"""What a report is: its title, locality, year, date and publisher, read from its head.

    >>> doc = describe(read_report(Path("seeds/002_63741cc1e03311a7.txt")))  # doctest: +SKIP
    >>> doc.title, doc.locality, doc.year, doc.date                          # doctest: +SKIP
    ('2024年武汉市江岸区政府工作报告', '湖北省武汉市江岸区', 2024, '2023-12-24')

Detection takes only what the report writes ("武汉市江岸区"); the locality is then
made a full path from the table of divisions (``glossary.places``: 湖北省武汉市江岸区),
unless the table knows no such place or several (a bare 朝阳区 stays as printed). The
publisher is taken only where the page labels it (来源：四川日报). A curator corrects or
completes all this in a sidecar ``<file>.meta.yaml`` (keys ``title``, ``locality``,
``year``, ``date``, ``id``, ``url``, ``publisher``), and a harvest run can set it for
every file (``glossary harvest --locality ...``). Precedence: those overrides, then the
sidecar, then detection.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import re
from pathlib import Path

import yaml
from marshmallow import ValidationError

from glossary import places
from glossary.errors import GlossaryError, GlossaryFileError, Problem
from glossary.harvest.read import Report
from glossary.harvest.records import DocumentInfo
from glossary.schema import WEB_ADDRESS

FIELDS = ("title", "locality", "year", "date", "id", "url", "publisher")
HEAD_LINES = 40  # the title, issuer and date of a report sit in its first lines
MAX_TITLE_CHARS = 60
MAX_HEADER_LINE_CHARS = 60  # a longer line is body text, where places are only mentioned
_SENTENCE = re.compile(r"[,，。;；!！?？]")  # a header line (title, byline, date) has none

_TITLE_WORDS = re.compile(
    r"政府工作报告|工作报告|工作总结|工作思路|工作要点|工作计划|党代会|代表大会.{0,6}报告|报告"
)
_STRONG_TITLE_WORDS = re.compile(r"政府工作报告|工作报告|工作总结|工作思路|工作要点|工作计划")
_FORUM_TAGS = re.compile(r"^\s*(?:\[[^\]]{1,12}\]|【[^】]{1,12}】)\s*")  # [湖北] 【转载】
_NOT_A_TITLE = re.compile(
    r"会议上|大会上|[。;；!！?？,，]|^[一二三四五六七八九十]+、|^[(（][一二三四五六七八九十]"
)
_CHROME_LINE = re.compile(
    r"官方网站|官网|网站|首页|收藏本站|设为|登录|注册|回复|查看|发表于|来源|日期|记者|通讯员"
    r"|责任编辑|浏览|打印|关闭|分享|娱乐|贵宾会|彩票|博彩|棋牌|[Ii][Cc][Pp]备"
)
_CJK = "\u4e00-\u9fff"
_SPACE = re.compile(r"\s")
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_OF_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=年|[-/.]\d{1,2}[-/.]\d{1,2})")

# Places. A chain of units "name + suffix" (湖北省武汉市江岸区, 桐湖办事处) that starts
# after a boundary: punctuation, a year, or an institution word such as 中国共产党.
_SUFFIXES = "街道办事处|街道|办事处|地区|新区|省|市|州|盟|区|县|旗|镇|乡"
_AUTONOMOUS = "特别行政区|自治区|自治州|自治县|自治旗"  # long names: 恩施土家族苗族自治州
# Characters that end a place name or start what follows one; never inside a name.
_STOP = "在与及暨的了是为对向各该我其等年月号第届次人委党局厅院部记书代表会议和"
_NAME = rf"(?:(?![{_STOP}])[{_CJK}])"
_UNIT = rf"(?:{_NAME}{{2,8}}?(?:{_AUTONOMOUS})|{_NAME}{{2,4}}?(?:{_SUFFIXES}))"
_CHAIN = re.compile(rf"(?<![{_CJK}])(?:{_UNIT})+|(?<=[{_STOP}])(?:{_UNIT})+")
_INSTITUTIONS = re.compile(
    r"中国共产党|中共|人民政府|人民代表大会|代表大会|政府|委员会|党工委|党委|工委|管委会|政协"
)
_ISSUER_WORDS = r"(?:人民政府|人民代表大会|第[一二三四五六七八九十\d]+[届次]|委员会)"
_ISSUER = re.compile("^" + _ISSUER_WORDS)
_ANY_ISSUER = re.compile(_ISSUER_WORDS)
_GENERIC_NAMES = {"全", "本", "我", "该", "各", "辖", "城", "市", "县", "区", "乡", "镇", "街"}

_DELIVERED = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日.{0,40}?(?:会议|大会|会上)")
_DATE_LINE = re.compile(r"^[(（]?\s*((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日\s*[)）]?$")
_LABELLED_DATE = re.compile(
    r"(?:发布日期|发布时间|日期|时间)\s*[:：]\s*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})"
)
# 来源：四川日报, 信息来源:鄂州政府网 日期:…; the name may stand on the next line.
_SOURCE_LABEL = re.compile(r"^(?:信息|稿件|文章)?来源\s*[:：]\s*(.*)$")
_PUBLISHER = re.compile(rf"[{_CJK}A-Za-z0-9·/]{{2,24}}")
_NOT_A_PUBLISHER = {"网络", "互联网", "本站", "本网", "未知", "转载", "综合"}


def describe(report: Report, overrides: dict | None = None) -> DocumentInfo:
    """The document a report is: detected, then corrected by its sidecar and ``overrides``.

    ``overrides`` holds any of title, locality, year, date, id; None values are unset.
    """
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    unknown = sorted(set(given) - set(FIELDS))
    if unknown:
        raise GlossaryError(f"unknown document field {', '.join(unknown)}: use {', '.join(FIELDS)}")
    fields = {**detect(report.text), **read_sidecar(report.path), **given}
    locality = fields.get("locality")
    return DocumentInfo(
        id=str(fields.get("id") or document_id(report)),
        title=fields.get("title") or report.path.stem,
        locality=places.resolve(str(locality)) if locality else None,
        year=int(fields["year"]) if fields.get("year") else None,
        path=str(report.path),
        date=fields.get("date"),
        url=fields.get("url"),
        publisher=str(fields["publisher"]) if fields.get("publisher") else None,
    )


def detect(text: str) -> dict:
    """Title, locality, year, date and publisher as the head of a report writes them
    (None where it does not)."""
    head = head_lines(text)
    title = find_title(head)
    return {
        "title": title,
        "locality": find_locality(head, title),
        "year": find_year(head, title),
        "date": find_date(head),
        "publisher": find_publisher(head),
    }


def head_lines(text: str, count: int = HEAD_LINES) -> list[str]:
    """The first ``count`` non-blank lines, stripped (without splitting a 50 MB text)."""
    lines = (match.group().strip() for match in re.finditer(r"[^\n]+", text))
    return list(itertools.islice((line for line in lines if line), count))


def clean_title(line: str) -> str:
    """Forum tags, separators, spaces between Chinese characters and doubling removed.

    >>> clean_title("[湖北] 2024年武汉市江岸区政府工作报告")
    '2024年武汉市江岸区政府工作报告'
    >>> clean_title("虹桥镇2024年工作总结 虹桥镇2024年工作总结 |")
    '虹桥镇2024年工作总结'
    """
    line = _FORUM_TAGS.sub("", line).strip(" \t|｜-_—")
    if _SPACE.search(line):  # the lookarounds cost a step per character: only where needed
        line = _SPACE_BY_CJK.sub("", line)
    half = len(line) // 2
    if len(line) % 2 == 0 and line[:half] == line[half:]:
        line = line[:half]
    return line


def find_title(head: list[str]) -> str | None:
    """The line naming the report, preferring one that starts with a year or a place.

    Without such a line, the first short line that is neither page chrome nor a
    section heading (a news headline, say).
    """
    candidates = []
    for index, line in enumerate(head):
        title = clean_title(line)
        if len(title) > MAX_TITLE_CHARS or not _TITLE_WORDS.search(title):
            continue
        if _NOT_A_TITLE.search(title) or _CHROME_LINE.search(title):
            continue
        opens = bool(re.match(r"(?:19|20)\d{2}", title) or _CHAIN.match(title))
        strong = bool(_STRONG_TITLE_WORDS.search(title))
        candidates.append((-opens, -strong, index, title))
    if candidates:
        return min(candidates)[3]
    for line in head:
        title = clean_title(line)
        plain = not (_NOT_A_TITLE.search(title) or _CHROME_LINE.search(title))
        if plain and 4 <= len(title) <= 30 and re.search(f"[{_CJK}]", title):
            return title
    return None


def localities(line: str) -> list[str]:
    """Place-name chains written in a line, institution words treated as boundaries.

    >>> localities("2023年12月24日在武汉市江岸区第十六届人民代表大会第三次会议上")
    ['武汉市江岸区']
    >>> localities("中国共产党华容区第九次代表大会")
    ['华容区']
    """
    found = []
    for piece in _INSTITUTIONS.split(line):
        for match in _CHAIN.finditer(piece):
            chain = match.group()
            first = re.match(rf"(.+?)(?:{_AUTONOMOUS}|{_SUFFIXES})", chain)
            if first and first.group(1) not in _GENERIC_NAMES:
                found.append(chain)
    return found


def find_locality(head: list[str], title: str | None) -> str | None:
    """The longest place chain of the title or of the report's header lines.

    Header lines are the short lines of the head that are not sentences; in other
    lines only places named as issuer count ("鄂城区人民政府", "华容区第九次代表大会").
    """
    in_title = localities(title) if title else []
    in_header: list[str] = []
    for line in head:
        if len(line) <= MAX_HEADER_LINE_CHARS and not _SENTENCE.search(line):
            in_header += localities(line)
        else:
            in_header += _issuers(line)
    if in_title:
        # the title's place, or a fuller chain of the same place from the header
        best = max(in_title, key=len)
        fuller = [chain for chain in in_header if chain.endswith(best)]
        return max([best, *fuller], key=len)
    return max(in_header, key=len, default=None)


def _issuers(line: str) -> list[str]:
    """Places written as the issuer of something: 鄂城区人民政府, 华容区第九次代表大会."""
    found = []
    if not _ANY_ISSUER.search(line):
        return found  # most lines of a head name no issuer: spare them the place chains
    for piece in re.split(r"中国共产党|中共", line):
        for match in _CHAIN.finditer(piece):
            if _ISSUER.match(piece[match.end() :]) and localities(match.group()):
                found.append(match.group())
    return found


def find_year(head: list[str], title: str | None) -> int | None:
    """The year in the title, else the first year of a date in the head, else any year."""
    if title and (match := _YEAR.search(title)):
        return int(match.group(1))
    for pattern in (_YEAR_OF_DATE, _YEAR):
        for line in head:
            if match := pattern.search(line):
                return int(match.group(1))
    return None


def find_date(head: list[str]) -> str | None:
    """YYYY-MM-DD of delivery ("2023年12月24日在…会议上"), a date line, or a dated page.

    Only short lines count: a date in the body is an event the report mentions.
    """
    short = [line for line in head if len(line) <= MAX_HEADER_LINE_CHARS]
    for pattern, search in ((_DELIVERED, True), (_DATE_LINE, False), (_LABELLED_DATE, True)):
        for line in short:
            match = pattern.search(line) if search else pattern.match(line)
            if match and (date := _iso(*match.groups())):
                return date
    return None


def find_publisher(head: list[str]) -> str | None:
    """Who published this copy, where the page labels it: 来源：四川日报.

    Only a labelled source counts: a byline (大众网记者…) or a site footer names who
    wrote or hosts a page, not reliably who published the report.

    >>> find_publisher(["政府工作报告", "来源：", "四川日报", "各位代表："])
    '四川日报'
    """
    short = [line for line in head if len(line) <= MAX_HEADER_LINE_CHARS]
    for index, line in enumerate(short):
        label = _SOURCE_LABEL.match(line)
        if not label:
            continue
        value = label.group(1) or (short[index + 1] if index + 1 < len(short) else "")
        name = value.split()[0] if value.split() else ""
        if _PUBLISHER.fullmatch(name) and name not in _NOT_A_PUBLISHER:
            return name
    return None


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def document_id(report: Report) -> str:
    """A stable id: the file name as an ASCII slug, else ``doc-`` and a content hash.

    >>> document_id(Report(Path("reports/Jiangan_2024 Report.txt"), "", "txt"))
    'jiangan-2024-report'
    """
    stem = report.path.stem
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    if stem.isascii() and slug:
        return slug
    try:
        content = report.path.read_bytes()
    except OSError:
        content = report.text.encode("utf-8")
    return "doc-" + hashlib.sha1(content).hexdigest()[:12]


def sidecar_path(path: Path) -> Path | None:
    """``report.txt.meta.yaml``, else ``report.meta.yaml``, whichever exists."""
    for candidate in (path.with_name(path.name + ".meta.yaml"), path.with_suffix(".meta.yaml")):
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> dict:
    """The fields a curator set in the report's sidecar file; {} without one."""
    sidecar = sidecar_path(path)
    if sidecar is None:
        return {}
    try:
        data = _load_yaml(sidecar.read_text(encoding="utf-8")) or {}
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise GlossaryFileError(str(sidecar), [Problem("", str(error.problem), line)]) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise GlossaryFileError(str(sidecar), [Problem("", str(error))]) from None
    problems = _sidecar_problems(data)
    if problems:
        raise GlossaryFileError(str(sidecar), problems)
    fields = {k: v for k, v in data.items() if v is not None}
    date = fields.get("date")
    if isinstance(date, datetime.datetime):  # YAML reads "2023-12-24 09:00" as a timestamp
        date = date.date()
    if isinstance(date, datetime.date):
        fields["date"] = date.isoformat()
    return fields


def _load_yaml(source: str) -> object:
    """``yaml.safe_load``, by libyaml where PyYAML has it (some twenty times quicker); a
    file it refuses is read again by PyYAML, whose messages are the ones users see."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.load(source, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(source)


def _sidecar_problems(data: object) -> list[Problem]:
    if not isinstance(data, dict):
        return [Problem("", f"must be a mapping of {', '.join(FIELDS)}")]
    problems = [
        Problem(str(key), f"unknown field; use {', '.join(FIELDS)}")
        for key in data
        if key not in FIELDS
    ]
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        problems.append(Problem("year", f"must be a year such as 2024, not {year!r}"))
    date = data.get("date")
    if date is not None and not isinstance(date, datetime.date) and not _iso_text(date):
        problems.append(Problem("date", f"must be a date such as 2023-12-24, not {date!r}"))
    for key in ("title", "locality", "id", "publisher"):
        if data.get(key) is not None and not isinstance(data[key], str | int):
            problems.append(Problem(key, "must be text"))
    url = data.get("url")
    if url is not None and not _web_address(url):
        problems.append(Problem("url", f"must be a web address such as https://…, not {url!r}"))
    return problems


def _web_address(value: object) -> bool:
    # The glossary file's own rule, so that a sidecar never lets in what a load refuses.
    if not isinstance(value, str):
        return False
    try:
        WEB_ADDRESS(value)
    except ValidationError:
        return False
    return True


def _iso_text(value: object) -> bool:
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    return bool(match and _iso(*match.groups()))
