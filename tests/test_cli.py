from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from glossary.cli import main
from tests.conftest import REPO, SAMPLE, SHIPPED_GLOSSARY


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_check_accepts_the_shipped_glossary():
    result = invoke("check", str(SHIPPED_GLOSSARY))
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout


def test_check_reports_a_broken_file_on_stderr_without_traceback(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text(SAMPLE.replace("status: candidate", "status: maybe"), encoding="utf-8")
    result = invoke("check", str(path))
    assert result.exit_code == 1
    assert "terms[2].status: must be one of candidate, reviewed, deprecated" in result.stderr
    assert "Traceback" not in result.output


def test_check_prints_lint_warnings_and_strict_fails_on_them(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text(SAMPLE.replace("成果共享]", "成果共享, 多余一项]"), encoding="utf-8")
    relaxed, strict = invoke("check", str(path)), invoke("check", "--strict", str(path))
    assert relaxed.exit_code == 0
    assert "warning:" in relaxed.stderr and "announces 5" in relaxed.stderr
    assert strict.exit_code == 1


def test_check_of_a_missing_file_says_so(tmp_path):
    result = invoke("check", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert "cannot read" in result.stderr


def test_pinyin_prints_the_tone_marked_reading():
    assert invoke("pinyin", "三个区分开来").stdout == "sān gè qū fēn kāi lái\n"
    assert invoke("pinyin", "三重一大").stdout == "sān zhòng yī dà\n"


def test_pinyin_other_styles():
    assert invoke("pinyin", "--style", "initials", "三个区分开来").stdout == "sgqfkl\n"
    assert invoke("pinyin", "--style", "toneless", "双创").stdout == "shuangchuang\n"


def test_stats_counts_reviewed_terms_of_the_shipped_glossary():
    result = invoke("stats", "--json", str(SHIPPED_GLOSSARY))
    counts = json.loads(result.stdout)
    assert counts["status"]["reviewed"] >= 29
    assert counts["locality"]["湖北省武汉市江岸区"] >= 29


def test_stats_table(sample_file):
    result = invoke("stats", str(sample_file))
    assert "terms: 3" in result.stdout
    assert "      2  reviewed" in result.stdout


def test_installed_command_runs():
    command = Path(sys.executable).parent / "glossary"  # installed by pyproject.toml
    result = subprocess.run(
        [str(command), "pinyin", "三个区分开来"], capture_output=True, text=True
    )
    assert result.stdout == "sān gè qū fēn kāi lái\n"


def test_version_is_the_packages_own():
    import tomllib

    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"glossary, version {version}"
    import glossary

    assert glossary.__version__ == version  # read on first use, as the API's document does


# What makes a command slow to start: each is loaded by the commands that need it.
HEAVY = ("jieba", "whoosh", "numpy", "opencc", "pypinyin", "pypinyin.phrases_dict", "ruamel",
         "marshmallow", "yaml", "filelock", "sqlite3", "importlib.metadata",
         "glossary.harvest")  # fmt: skip


def loaded_after(code: str, **env: str) -> list[str]:
    """The HEAVY modules a new Python process holds after running ``code``."""
    report = f"print(json.dumps([m for m in {HEAVY} if m in sys.modules]))"
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys\n{report}"],
        capture_output=True,
        text=True,
        env=os.environ | env,
    )
    assert result.returncode == 0, result.stderr
    return sorted(json.loads(result.stdout.splitlines()[-1]))


def command(*args: str) -> str:
    return f"from glossary.cli import main\nmain({list(args)!r}, standalone_mode=False)"


def test_importing_the_command_line_loads_no_heavy_library():
    assert loaded_after("import glossary.cli") == []


def test_help_loads_no_heavy_library():
    assert loaded_after(command("--help")) == []


def test_pinyin_command_loads_pypinyin_without_its_phrase_table(tmp_path):
    cache = {"GLOSSARY_CACHE_DIR": str(tmp_path)}
    loaded_after(command("pinyin", "三个区分开来"), **cache)  # the first one builds the phrasebook
    loaded = loaded_after(command("pinyin", "三个区分开来"), **cache)
    assert loaded == ["opencc", "pypinyin", "sqlite3"]


def test_stats_and_check_load_neither_pinyin_nor_search(sample_file):
    for name in ("stats", "check"):
        loaded = loaded_after(command(name, str(sample_file)))
        assert not {"jieba", "whoosh", "numpy", "pypinyin", "glossary.harvest"} & set(loaded)


def test_index_shows_each_step_of_a_fresh_build_on_stderr(sample_file, tmp_path):
    result = invoke("index", str(sample_file), "--index-dir", str(tmp_path / "indexes"))
    assert result.exit_code == 0, result.output
    steps = [line.split(": ", 1)[1] for line in result.stderr.splitlines()]
    assert steps[0].startswith("3 terms parsed and validated (")
    names = ["readings and search keys", "index", "search maps, catalogue and annotator",
             "index written"]  # fmt: skip
    assert [s.split(" (")[0].split(":")[0] for s in steps[1:]] == names
    assert result.stdout.startswith("indexed 3 terms in ")
    again = invoke("index", str(sample_file), "--index-dir", str(tmp_path / "indexes"))
    assert again.stderr == ""  # built: loaded in one step, nothing to show
