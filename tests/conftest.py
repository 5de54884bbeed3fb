from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SHIPPED_GLOSSARY = REPO / "data" / "terms.yaml"

# A small valid glossary, with the comments and quoting a curator would write.
SAMPLE = """\
# Sample glossary for tests.
version: 1
documents:
  - id: jiangan-2024
    title: 2024年武汉市江岸区政府工作报告
    locality: 湖北省武汉市江岸区
    date: "2023-12-24"
    file: 002_63741cc1e03311a7.txt
terms:
  - id: san-ge-qu-fen-kai-lai
    term: 三个区分开来
    aliases: []
    status: reviewed   # checked against the report
    category: 干部管理
    senses:
      - definition: 把干部在推进改革中因缺乏经验、先行先试出现的失误和错误,……
        scope: 湖北省武汉市江岸区
        sources:
          - doc: jiangan-2024
            kind: glossary
            quote: "29. 三个区分开来:把干部在推进改革中……"
    related: [wu-gong-li-nian]
  - id: wu-gong-li-nian
    term: “五共”理念
    aliases: [五共理念]
    status: reviewed
    senses:
      - definition: 决策共谋、发展共建、建设共管、效果共评、成果共享。
        scope: 湖北省武汉市江岸区
        parts: [决策共谋, 发展共建, 建设共管, 效果共评, 成果共享]
        sources:
          - doc: jiangan-2024
            kind: glossary
            quote: "23. “五共”理念:决策共谋、发展共建、建设共管、效果共评、成果共享。"
  - id: "1310"
    term: “1310”
    status: candidate
    senses:
      - scope: 浙江省温州市乐清市虹桥镇
        sources:
          - doc: jiangan-2024
            kind: usage
            quote: 深化“1310”工作体系
"""


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "terms.yaml"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def shipped_app(tmp_path_factory):
    """The app serving the shipped glossary, once per test module."""
    from api import create_app  # the core's tests run without the web layer loaded

    index_dir = tmp_path_factory.mktemp("index")
    return create_app(
        {"GLOSSARY_FILE": str(SHIPPED_GLOSSARY), "GLOSSARY_INDEX_DIR": str(index_dir)}
    )


@pytest.fixture
def api(shipped_app):
    return shipped_app.test_client()


def client_of(source: str, tmp_path: Path, name: str = "terms.yaml"):
    """A test client of the app serving the glossary ``source``, written to ``tmp_path``."""
    from api import create_app

    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    config = {"GLOSSARY_FILE": str(path), "GLOSSARY_INDEX_DIR": str(tmp_path / "index")}
    return create_app(config).test_client()
