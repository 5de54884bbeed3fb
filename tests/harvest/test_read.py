"""Report files -> text: each format, chrome left out, and every bad file a clear error."""

from __future__ import annotations

import io
import os
import socket
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from pypdf import PageObject, PdfWriter
from pypdf.errors import PdfReadWarning

from glossary.harvest.read import UnreadableReport, iter_report_paths, read_report
from tests.conftest import SHARED

SEEDS = SHARED / "seeds"
JIANGAN = SEEDS / "002_63741cc1e03311a7.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "read"

FORUM_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>2024年武汉市江岸区政府工作报告 - 某某论坛</title>
<style>.t { color: red }</style>
<script>var banner = "<p>脚本里的字</p>";</script></head>
<body>
<div id="toptb" class="topbar"><a href="/">设为首页</a> <a href="/fav">收藏本站</a></div>
<ul class="main-nav"><li>论坛首页</li><li>政务版</li></ul>
<div class="loginBox"><form action="/login">用户名 <input name="u"> <button>登录</button>
</form></div>
<div class="breadcrumb">论坛 &gt; 湖北 &gt; 正文</div>
<h1>2024年武汉市江岸区政府工作报告</h1>
<div class="post-content">
<p>2023年12月24日在武汉市江岸区第十六届人民代表大会第三次会议上</p>
<p>各位代表:</p>
<p>锚定&ldquo;531&rdquo;产业体系,加快创建国家级服务业标准化试点。<br>第二行&amp;第三句</p>
<div class="share">分享到:微博 微信</div>
</div>
<div class="comments"><p>沙发!写得好</p></div>
<div id="footer">Copyright &copy; 2024 某某论坛 鄂ICP备00000000号</div>
<noscript>请开启JavaScript</noscript>
</body></html>
"""
CHROME = ("设为首页", "论坛首页", "用户名", "登录", "论坛 >", "分享到", "沙发", "Copyright")
CHROME += ("脚本里的字", "color", "请开启", "某某论坛")


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def docx_bytes(body: str, footnotes: str | None = None) -> bytes:
    """A minimal valid .docx: content types, package relationship, document (and notes)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>',
        )
        if footnotes is not None:
            archive.writestr(
                "word/footnotes.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{w}">'
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
                f"</w:footnote>{footnotes}</w:footnotes>",
            )
    return buffer.getvalue()


def paragraph(*runs: str) -> str:
    return "<w:p>" + "".join(f"<w:r>{run}</w:r>" for run in runs) + "</w:p>"


def t(text: str) -> str:
    return f'<w:t xml:space="preserve">{text}</w:t>'


# --- plain text ---------------------------------------------------------------------------


def test_a_utf8_seed_reads_as_python_reads_it():
    report = read_report(JIANGAN)
    assert report.format == "txt"
    assert report.text == JIANGAN.read_text(encoding="utf-8")
    assert report.path == JIANGAN


@pytest.mark.parametrize("suffix", [".txt", ".text", ".md", ".TXT"])
def test_text_extensions_read_as_text(tmp_path, suffix):
    report = read_report(write(tmp_path, f"r{suffix}", "名词解释\n1. 双减:……".encode("gb18030")))
    assert (report.format, report.text) == ("txt", "名词解释\n1. 双减:……")


def test_windows_line_ends_become_newlines(tmp_path):
    assert read_report(write(tmp_path, "r.txt", "一\r\n二\r三")).text == "一\n二\n三"


def test_a_truncated_gb18030_file_still_reads(tmp_path):
    raw = JIANGAN.read_text("utf-8").encode("gb18030")
    cut = len("设为首页收藏".encode("gb18030")) + 1  # one byte into 本
    assert read_report(write(tmp_path, "cut.txt", raw[:cut])).text == "设为首页收藏"


def test_a_50_mb_text_file_reads_within_seconds(tmp_path):
    chunk = JIANGAN.read_bytes()
    path = tmp_path / "big.txt"
    with path.open("wb") as out:
        for _ in range(50 * 2**20 // len(chunk) + 1):
            out.write(chunk)
    started = time.perf_counter()
    report = read_report(path)
    assert time.perf_counter() - started < 10
    assert path.stat().st_size >= 50 * 2**20
    assert report.text.count("名词解释") == 50 * 2**20 // len(chunk) + 1


# --- HTML ---------------------------------------------------------------------------------


def test_a_gbk_forum_page_gives_the_article_without_the_chrome(tmp_path):
    report = read_report(write(tmp_path, "page.html", FORUM_PAGE.encode("gbk")))
    assert report.format == "html"
    assert report.text.splitlines() == [
        "2024年武汉市江岸区政府工作报告",
        "2023年12月24日在武汉市江岸区第十六届人民代表大会第三次会议上",
        "各位代表:",
        "锚定“531”产业体系,加快创建国家级服务业标准化试点。",
        "第二行&第三句",
    ]


def test_without_a_content_element_the_page_text_is_read_minus_its_chrome(tmp_path):
    page = FORUM_PAGE.replace('class="post-content"', 'class="x"')
    text = read_report(write(tmp_path, "page.htm", page.encode("gbk"))).text
    assert "各位代表:" in text and "第二行&第三句" in text
    assert [c for c in CHROME if c in text] == []


def test_an_article_element_is_preferred_and_keeps_its_own_header(tmp_path):
    page = """<html><body><header>站点名称 导航</header><main><article>
        <header><h1>虹桥镇2024年工作总结</h1><p>2024年11月</p></header>
        <p>2024年,虹桥镇在市委市政府坚强领导下,深入践行“八八战略”,持续奋战“1310”。</p>
        </article></main><footer>版权所有</footer></body></html>"""
    text = read_report(write(tmp_path, "p.shtml", page)).text
    assert text.splitlines()[0] == "虹桥镇2024年工作总结"
    assert "站点名称" not in text and "版权所有" not in text


def test_a_page_wrapped_in_one_form_keeps_its_text(tmp_path):
    page = """<html><body><form id="form1" action="default.aspx">
        <div class="nav">首页 | 政务公开</div>
        <p>各位代表:现在,我代表区人民政府,向大会报告工作,请予审议。</p>
        <p>一、2023年工作回顾</p></form></body></html>"""
    text = read_report(write(tmp_path, "p.html", page)).text
    assert text == "各位代表:现在,我代表区人民政府,向大会报告工作,请予审议。\n一、2023年工作回顾"


def test_entities_br_and_pre_keep_their_meaning(tmp_path):
    page = "<body><p>A&nbsp;&amp;&#x4E00;<br/>B</p><pre>  1\n  2</pre></body>"
    assert read_report(write(tmp_path, "p.html", page)).text == "A &一\nB\n1\n2"


def test_a_page_with_no_body_text_is_unreadable(tmp_path):
    page = "<html><head><title>x</title></head><body><script>x()</script></body></html>"
    with pytest.raises(UnreadableReport, match="no text in the page"):
        read_report(write(tmp_path, "nobody.html", page))


def test_an_html_file_with_an_unknown_extension_is_recognised(tmp_path):
    report = read_report(write(tmp_path, "page.aspx", "<!DOCTYPE html><p>各位代表:</p>"))
    assert (report.format, report.text) == ("html", "各位代表:")


# --- Word .docx ---------------------------------------------------------------------------


def test_a_docx_reads_its_paragraphs_tables_and_footnotes(tmp_path):
    body = (
        paragraph(t("2024年武汉市江岸区"), t("政府工作报告"))
        + paragraph(t("名词解释"))
        + paragraph(t("1."), "<w:tab/>", t("双减:有效减轻"), "<w:br/>", t("校外培训负担。"))
        + "<w:tbl><w:tr><w:tc>"
        + paragraph(t("单元格"))
        + "</w:tc></w:tr></w:tbl>"
        + paragraph("<w:delText>删掉的字</w:delText>", t("保留"))
    )
    notes = f'<w:footnote w:id="1">{paragraph(t("数据来源:区统计局。"))}</w:footnote>'
    report = read_report(write(tmp_path, "r.docx", docx_bytes(body, notes)))
    assert report.format == "docx"
    assert report.text.splitlines() == [
        "2024年武汉市江岸区政府工作报告",
        "名词解释",
        "1.\t双减:有效减轻",
        "校外培训负担。",
        "单元格",
        "保留",
        "注释",
        "数据来源:区统计局。",
    ]


def test_a_docx_with_an_unknown_extension_is_recognised(tmp_path):
    report = read_report(write(tmp_path, "download", docx_bytes(paragraph(t("名词解释")))))
    assert (report.format, report.text) == ("docx", "名词解释")


# --- PDF ----------------------------------------------------------------------------------


def test_a_pdf_reads_its_text_layer():
    report = read_report(FIXTURES / "sample.pdf")
    assert report.format == "pdf"
    lines = report.text.splitlines()
    assert lines[0] == "2024年武汉市江岸区政府工作报告"
    assert "名词解释" in lines
    assert "1. “1+3+N”招商工作机制:1名区领导、3名驻点干部、多名后方联动干部。" in lines
    assert "2. “放管服”改革:简政放权、放管结合、优化服务。" in lines


def test_a_pdf_without_a_text_layer_is_unreadable(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as out:
        writer.write(out)
    with pytest.raises(UnreadableReport, match=r"PDF has no text layer \(scanned\?\)"):
        read_report(path)


def test_a_truncated_pdf_says_what_pypdf_said_in_its_own_report(tmp_path, caplog):
    path = write(tmp_path, "cut.pdf", (FIXTURES / "sample.pdf").read_bytes()[:-200])
    with pytest.raises(UnreadableReport) as caught:
        read_report(path)
    assert caught.value.reason.startswith("not a readable PDF (")
    assert "pypdf: EOF marker not found" in caught.value.reason
    assert "\n" not in caught.value.reason
    # Nothing escapes to logging, where a CLI would print it apart from the file's report.
    assert [r for r in caplog.records if r.name.startswith("pypdf")] == []


def test_pypdf_warnings_about_a_pdf_it_could_read_stay_with_that_report(tmp_path, caplog):
    raw = (FIXTURES / "sample.pdf").read_bytes()
    at = raw.rindex(b"startxref\n") + len(b"startxref\n")
    path = write(tmp_path, "moved.pdf", raw[:at] + b"15000\n%%EOF\n")  # a wrong xref offset
    report = read_report(path)
    assert "名词解释" in report.text.splitlines()
    assert "pypdf: incorrect startxref pointer(1)" in report.warnings
    assert [r for r in caplog.records if r.name.startswith("pypdf")] == []


def test_a_pdf_read_warning_goes_with_its_file_each_time(monkeypatch, recwarn):
    # pypdf may also warn (PdfReadWarning) instead of logging; once per file, not per process.
    def extract_text(page, *args, **kwargs):
        warnings.warn("Multiple definitions in dictionary", PdfReadWarning, stacklevel=1)
        return original(page, *args, **kwargs)

    original = PageObject.extract_text
    monkeypatch.setattr(PageObject, "extract_text", extract_text)
    for _ in range(2):
        said = read_report(FIXTURES / "sample.pdf").warnings
        assert said == ["pypdf: Multiple definitions in dictionary"]
    assert [w for w in recwarn if issubclass(w.category, PdfReadWarning)] == []


# --- bad files ----------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
BAD_FILES = {
    "empty.txt": (b"", "empty file"),
    "binary.txt": (PNG, "binary data"),
    "random.txt": (bytes(range(1, 256)) * 64, "binary data"),
    "blank.txt": (b" \n\n\t\n", "no text in the file"),
    "nobody.html": (b"<html><body>  </body></html>", "no text in the page"),
    "picture.png": (PNG, "unsupported format: a .png file that is not text"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "unsupported format"),
    "archive.zip": (b"PK\x03\x04" + bytes(64), "unsupported format"),
    "broken.docx": (b"PK\x03\x04 not really a zip", "not a valid .docx"),
    "nodoc.docx": (None, "no word/document.xml"),
    "broken.pdf": (b"%PDF-1.7\n garbage", "not a readable PDF"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_raises_unreadable_report_with_its_reason(tmp_path, name):
    content, reason = BAD_FILES[name]
    if content is None:  # a zip without the Word part
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    else:
        path = write(tmp_path, name, content)
    with pytest.raises(UnreadableReport) as caught:
        read_report(path)
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"{path}: ")


def test_a_missing_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableReport, match="no such file"):
        read_report(tmp_path / "gone.txt")


def test_a_directory_is_not_a_report(tmp_path):
    with pytest.raises(UnreadableReport, match="is a directory"):
        read_report(tmp_path)


def _socket(path: Path) -> Path:
    server = socket.socket(socket.AF_UNIX)
    server.bind(path.name)  # relative: the full tmp path may pass the 108-byte limit
    server.close()  # the socket file stays
    return path


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("socket.txt", _socket, "a socket"),
        ("null.txt", lambda p: p.symlink_to("/dev/null") or p, "a character device"),
        ("folder.txt", lambda p: p.mkdir() or p, "a directory"),
    ],
    ids=["socket", "device", "directory"],
)
def test_what_is_not_a_regular_file_is_refused_by_its_kind(tmp_path, monkeypatch, name, make, kind):
    monkeypatch.chdir(tmp_path)
    path = make(tmp_path / name)
    with pytest.raises(UnreadableReport) as caught:
        read_report(path)
    assert caught.value.reason == f"is {kind}, not a report file"


def test_a_broken_symbolic_link_says_where_it_points(tmp_path):
    path = tmp_path / "link.txt"
    path.symlink_to(tmp_path / "moved-away.txt")
    with pytest.raises(UnreadableReport) as caught:
        read_report(path)
    target = tmp_path / "moved-away.txt"
    assert caught.value.reason == f"broken symbolic link (to {target}, which does not exist)"


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    path = write(tmp_path, "big.txt", "名词解释" * 1000)
    with pytest.raises(UnreadableReport, match=r"file is 0\.0 MB, over the 0 MB limit"):
        read_report(path, max_bytes=100)
    monkeypatch.setenv("GLOSSARY_MAX_REPORT_BYTES", "100")
    with pytest.raises(UnreadableReport, match="GLOSSARY_MAX_REPORT_BYTES"):
        read_report(path)


# --- finding the files ----------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path):
    for name in (
        "b/2.txt", "b/1.html", "a.pdf", "a.docx", "notes.csv", "a.txt.meta.yaml",
        ".hidden.txt", ".git/x.txt", "~$a.docx", "c/d/e.md",
    ):  # fmt: skip
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    return tmp_path


def test_a_directory_expands_to_its_report_files_sorted(tree):
    # c/d/e.md is documentation (a README beside the reports), not a report.
    found = [p.relative_to(tree).as_posix() for p in iter_report_paths([str(tree)])]
    assert found == ["a.docx", "a.pdf", "b/1.html", "b/2.txt"]


def test_a_directory_yields_entries_named_as_reports_that_are_not_files(tree):
    # Skipping them would hide a report from the batch without a word; reading them
    # refuses each with its reason.
    os.mkfifo(tree / "b" / "pipe.txt")
    (tree / "b" / "gone.pdf").symlink_to(tree / "nowhere.pdf")
    (tree / "linked.txt").symlink_to(tree / "b", target_is_directory=True)
    found = [p.relative_to(tree).as_posix() for p in iter_report_paths([str(tree)])]
    assert found == ["a.docx", "a.pdf", "b/1.html", "b/2.txt", "b/gone.pdf", "b/pipe.txt"]


def test_glob_patterns_expand_and_each_file_comes_once(tree):
    found = list(iter_report_paths([f"{tree}/**/*.txt", str(tree / "b" / "2.txt")]))
    assert [p.relative_to(tree).as_posix() for p in found] == ["b/2.txt"]


def test_a_missing_path_is_kept_so_the_batch_reports_it(tree):
    found = list(iter_report_paths([str(tree / "missing.txt"), f"{tree}/none/*.pdf"]))
    assert [p.name for p in found] == ["missing.txt", "*.pdf"]
    for path in found:
        with pytest.raises(UnreadableReport, match="no such file"):
            read_report(path)


def test_a_file_named_explicitly_is_kept_whatever_its_extension(tree):
    assert list(iter_report_paths([str(tree / "notes.csv")])) == [tree / "notes.csv"]
