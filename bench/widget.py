"""How long the tooltip widget takes to scan and mark a long article, in Chromium.

    python bench/widget.py [--rounds 10] [--kb 200]

Serves the app (shipped glossary) and, on another origin, a page with a ``--kb`` KB
article made of the seed reports, one ``<p>`` per line, with the widget embedded.
Once the widget has loaded its glossary, each round times, interleaved:

- a plain TreeWalker pass over the article's text nodes reading ``.data`` (the baseline);
- the same pass also reading every character (``charCodeAt``): the floor for any script
  that looks at the text, shown so the ratio below can be judged;
- ``Glossary.scan(article)`` after ``Glossary.clear()``: fold, match, then every mark
  inserted in one batch of DOM writes (no layout read in between);
- the same scan followed by one forced layout, to show marking does not thrash it;
- the DOM floor: the same marks made by hand at known places (split the text, wrap the
  term; no matching, no bookkeeping): what inserting that many elements costs at least.

Prints medians in ms and the ratios to the TreeWalker pass, for first-only marking (the
default) and for every occurrence. Goal: scan <= 3x the TreeWalker pass.
"""

from __future__ import annotations

import argparse
import html
import logging
import statistics
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from api import create_app  # noqa: E402
from glossary import config  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the tests' browser)

GOAL_RATIO = 3.0
SEEDS = REPO.parent / "shared" / "seeds"
DEMO_ARTICLE = REPO / "api" / "static" / "demo-jiangan-2024.txt"

ROUND_JS = """async () => {
    const root = document.querySelector('article');
    const texts = () => document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const t0 = performance.now();
    let chars = 0;
    for (let w = texts(), n; (n = w.nextNode()); ) chars += n.data.length;
    const t1 = performance.now();
    let sum = 0;
    for (let w = texts(), n; (n = w.nextNode()); ) {
        const s = n.data;
        for (let i = 0; i < s.length; i++) sum += s.charCodeAt(i);
    }
    const t2 = performance.now();
    Glossary.clear();
    const t3 = performance.now();
    const marks = await Glossary.scan(root);
    const t4 = performance.now();
    // Where the marks went (paragraph, offset, length), for the DOM floor below.
    const spots = [...root.querySelectorAll('glossary-term')].map((m) => {
        let offset = 0;
        for (let c = m.parentNode.firstChild; c !== m; c = c.nextSibling) {
            offset += c.textContent.length;
        }
        return [m.parentNode, offset, m.textContent.length];
    });
    Glossary.clear();
    const t5 = performance.now();
    await Glossary.scan(root);
    void document.body.offsetHeight;
    const t6 = performance.now();
    Glossary.clear();
    // The DOM floor: the same marks made by hand, no matching, no bookkeeping: split the
    // paragraph's text at each term (last first, so offsets hold) and wrap it.
    const wraps = [];
    const t7 = performance.now();
    for (let k = spots.length - 1; k >= 0; k--) {
        const [parent, offset, length] = spots[k];
        const term = parent.firstChild.splitText(offset);
        term.splitText(length);
        const wrap = document.createElement('span');
        term.replaceWith(wrap);
        wrap.append(term);
        wraps.push(wrap);
    }
    const t8 = performance.now();
    for (const wrap of wraps) wrap.replaceWith(...wrap.childNodes);
    root.normalize();
    return {walk: t1 - t0, chars: t2 - t1, scan: t4 - t3, layout: t6 - t5, floor: t8 - t7,
            marks, sum};
}"""


def article_lines(kilobytes: int) -> list[str]:
    """Lines of the seed reports, repeated until they make ``kilobytes`` KB of UTF-8."""
    sources = sorted(SEEDS.glob("*.txt")) or [DEMO_ARTICLE]
    lines = [
        line.strip()
        for path in sources
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    article, size = [], 0
    while size < kilobytes * 1024:
        line = lines[len(article) % len(lines)]
        article.append(line)
        size += len(line.encode())
    return article


def host_page(api: str, lines: list[str], first_only: str) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>'
        f"<article>{paragraphs}</article>"
        f'<script src="{api}/widget.js" defer data-first-only="{first_only}"></script>'
        "</body></html>"
    )


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # one line per page load would bury the figures
        pass

    def end_headers(self) -> None:
        # Cross-origin isolation: performance.now() then counts in 5 us steps instead of
        # 100 us ones, fine enough for a TreeWalker pass of a tenth of a millisecond.
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()


def serve_in_thread(server) -> None:
    threading.Thread(target=server.serve_forever, daemon=True).start()


SCANS_JS = """async (times) => {
    for (let i = 0; i < times; i++) {
        Glossary.clear();
        await Glossary.scan(document.querySelector('article'));
    }
}"""


def layouts_during_scans(page, times: int = 5) -> int:
    """Chromium's layout count across ``times`` clear + scan in one task.

    A scan that read layout between its writes would force one or more each time; the
    next frame's own layout, if it comes before the count is read, adds one at most.
    """
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")

    def count() -> int:
        metrics = cdp.send("Performance.getMetrics")["metrics"]
        return next(int(m["value"]) for m in metrics if m["name"] == "LayoutCount")

    page.evaluate("void document.body.offsetHeight")  # settle pending layout first
    before = count()
    page.evaluate(SCANS_JS, times)
    return count() - before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--kb", type=int, default=200)
    args = parser.parse_args()

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    work = Path(tempfile.mkdtemp(prefix="widget-bench-"))
    app = create_app(
        {"GLOSSARY_FILE": str(config.glossary_file()), "GLOSSARY_INDEX_DIR": str(work / "index")}
    )
    api_server = make_server("127.0.0.1", 0, app, threaded=True)
    serve_in_thread(api_server)
    api = f"http://127.0.0.1:{api_server.server_port}"

    lines = article_lines(args.kb)
    site = work / "site"
    site.mkdir()
    for mode in ("on", "off"):
        (site / f"first-only-{mode}.html").write_text(host_page(api, lines, mode), encoding="utf-8")
    handler = partial(QuietHandler, directory=str(site))
    host_server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    serve_in_thread(host_server)
    host = f"http://127.0.0.1:{host_server.server_address[1]}"

    size = sum(len(line.encode()) for line in lines)
    print(f"article: {len(lines)} paragraphs, {size / 1024:.0f} KB of text; {args.rounds} rounds")
    ratios = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for mode in ("on", "off"):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{host}/first-only-{mode}.html")
            page.evaluate("Glossary.ready")
            if not page.evaluate("crossOriginIsolated"):
                print("  (not cross-origin isolated: timings in 100 us steps)")
            for _ in range(3):
                page.evaluate(ROUND_JS)  # warm up the JIT on every path
            rounds = [page.evaluate(ROUND_JS) for _ in range(args.rounds)]
            layouts = layouts_during_scans(page)
            page.close()
            walk, chars, scan, layout, floor = (
                statistics.median(r[key] for r in rounds)
                for key in ("walk", "chars", "scan", "layout", "floor")
            )
            ratios[mode] = scan / walk
            print(
                f"first-only {mode:>3}: {rounds[0]['marks']:>4} marks  treewalk {walk:5.2f} ms  "
                f"char pass {chars:5.2f} ms ({chars / walk:4.1f}x)  "
                f"scan {scan:5.2f} ms ({scan / walk:4.1f}x)  scan + one layout {layout:6.2f} ms  "
                f"layouts in 5 scans: {layouts}\n"
                f"                 the same marks by hand, no matching (DOM floor) "
                f"{floor:5.2f} ms ({floor / walk:4.1f}x)"
            )
        browser.close()
    api_server.shutdown()
    host_server.shutdown()
    verdict = "meets" if ratios["on"] <= GOAL_RATIO else "misses"
    print(f"first-only scan / treewalk {ratios['on']:.1f}x {verdict} the goal of {GOAL_RATIO}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
