"""Every documented environment variable takes effect, and a bad value names itself."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys

import pytest
from click.testing import CliRunner

from glossary import config
from glossary.cli import main
from glossary.config import SettingError
from tests.conftest import REPO, SHARED


def test_unset_variables_give_the_documented_defaults(monkeypatch):
    for name in ("GLOSSARY_FILE", "GLOSSARY_INDEX_DIR", "GLOSSARY_CHECK_INTERVAL",
                 "GLOSSARY_CORS_ORIGINS", "GLOSSARY_CACHE_DIR"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    assert config.glossary_file() == REPO / "data" / "terms.yaml"
    assert config.index_dir() == REPO / "instance" / "index"
    assert config.check_interval() == 1.0
    assert config.cors_origins() == "*"
    assert config.cache_dir().parts[-2:] == (".cache", "policy-glossary")
    monkeypatch.delenv("GLOSSARY_ANSWERS_KEPT", raising=False)
    assert config.answers_kept() == 4096
    monkeypatch.setenv("GLOSSARY_ANSWERS_KEPT", "0")
    assert config.answers_kept() == 0
    monkeypatch.setenv("GLOSSARY_ANSWERS_KEPT", "-1")
    with pytest.raises(SettingError, match="GLOSSARY_ANSWERS_KEPT"):
        config.answers_kept()


def test_check_interval_must_be_a_number(monkeypatch):
    monkeypatch.setenv("GLOSSARY_CHECK_INTERVAL", "soon")
    with pytest.raises(SettingError, match="GLOSSARY_CHECK_INTERVAL='soon'"):
        config.check_interval()


def test_jieba_cache_goes_where_glossary_cache_dir_says(monkeypatch, tmp_path):
    monkeypatch.setenv("GLOSSARY_CACHE_DIR", str(tmp_path / "cache"))
    assert config.cache_dir() == tmp_path / "cache"


def gunicorn_settings() -> dict:
    return runpy.run_path(str(REPO / "gunicorn.conf.py"))


def test_gunicorn_settings_come_from_their_variables(monkeypatch):
    monkeypatch.setenv("GLOSSARY_BIND", "127.0.0.1:8123")
    monkeypatch.setenv("GLOSSARY_WORKERS", "3")
    monkeypatch.setenv("GLOSSARY_THREADS", "5")
    monkeypatch.setenv("GLOSSARY_LOG_LEVEL", "warning")
    settings = gunicorn_settings()
    assert (settings["bind"], settings["workers"], settings["threads"]) == ("127.0.0.1:8123", 3, 5)
    assert settings["loglevel"] == "warning"
    assert settings["worker_class"] == "api.worker.Worker"


def test_the_master_freezes_what_it_loaded_before_each_worker_forks():
    # Else a collection in a worker writes to every preloaded object's page, and each
    # worker ends up with its own copy of the glossary.
    import gc

    kept = [[] for _ in range(10)]  # tracked by the collector, as the glossary's objects are
    try:
        gunicorn_settings()["pre_fork"](None, None)
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()


def test_gunicorn_refuses_zero_workers(monkeypatch):
    monkeypatch.setenv("GLOSSARY_WORKERS", "0")
    with pytest.raises(SettingError, match="GLOSSARY_WORKERS"):
        gunicorn_settings()


def test_the_app_puts_jiebas_cache_where_glossary_cache_dir_says(tmp_path):
    # jieba loads once per process: a fresh one shows where create_app() really puts it.
    env = os.environ | {"GLOSSARY_CACHE_DIR": str(tmp_path / "cache")}
    code = f"from api import create_app; create_app({{'GLOSSARY_INDEX_DIR': {str(tmp_path)!r}}})"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True, timeout=120)
    assert (tmp_path / "cache" / "jieba.cache").is_file()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("GLOSSARY_MAX_REPORT_BYTES", "1000", "GLOSSARY_MAX_REPORT_BYTES"),
        ("GLOSSARY_MAX_REPORT_CHARS", "1000", "set GLOSSARY_MAX_REPORT_CHARS to raise it"),
    ],
)
def test_report_limits_from_the_environment_refuse_larger_reports(variable, value, message):
    report = str(SHARED / "seeds" / "002_63741cc1e03311a7.txt")
    result = CliRunner().invoke(main, ["harvest", report], env={variable: value})
    assert result.exit_code == 1
    assert message in result.stderr
    assert CliRunner().invoke(main, ["harvest", report]).exit_code == 0
