"""``glossary curator add | remove | list`` (glossary/cli.py)."""

from __future__ import annotations

from click.testing import CliRunner

from glossary.accounts import Curators
from glossary.cli import main

PASSWORD = "一句够长的口令 2024"


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_add_reads_the_password_from_stdin_and_list_names_the_curator(tmp_path):
    instance = str(tmp_path / "instance")
    added = invoke("curator", "add", "李明", "--instance-dir", instance, "--password-stdin",
                   input=PASSWORD + "\nignored second line\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "added curator 李明" in added.stdout
    assert invoke("curator", "list", "--instance-dir", instance).stdout == "李明\n"
    assert Curators(tmp_path / "instance").verify("李明", PASSWORD, "cli-test")


def test_add_asks_for_the_password_twice_without_echoing_it(tmp_path):
    instance = str(tmp_path / "instance")
    added = invoke("curator", "add", "wang", "--instance-dir", instance,
                   input=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "Repeat for confirmation" in added.output
    assert PASSWORD not in added.output
    assert Curators(tmp_path / "instance").verify("wang", PASSWORD, "cli-test")


def test_two_different_passwords_add_nobody(tmp_path):
    instance = str(tmp_path / "instance")
    added = invoke("curator", "add", "wang", "--instance-dir", instance,
                   input=f"{PASSWORD}\nsomething else\n")  # fmt: skip
    assert added.exit_code == 1
    assert "do not match" in added.output
    assert Curators(tmp_path / "instance").names() == []


def test_errors_are_one_line_and_exit_1(tmp_path):
    instance = str(tmp_path / "instance")
    add = ("curator", "add", "--instance-dir", instance, "--password-stdin")
    invoke(*add, "李明", input=PASSWORD + "\n")
    cases = {
        "a curator named '李明' exists already": invoke(*add, "李明", input=PASSWORD + "\n"),
        "it needs at least 10": invoke(*add, "wang", input="short\n"),
        "must be 1 to 40 letters": invoke(*add, "<script>", input=PASSWORD + "\n"),
        "no curator named 'wang'": invoke("curator", "remove", "wang", "--instance-dir", instance),
    }
    for message, result in cases.items():
        assert result.exit_code == 1, result.output
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.output


def test_remove_takes_the_curator_off_the_list(tmp_path):
    instance = str(tmp_path / "instance")
    for name in ("李明", "wang"):
        invoke("curator", "add", name, "--instance-dir", instance, "--password-stdin",
               input=PASSWORD + "\n")  # fmt: skip
    removed = invoke("curator", "remove", "李明", "--instance-dir", instance)
    assert removed.exit_code == 0 and "removed curator 李明" in removed.stdout
    assert invoke("curator", "list", "--instance-dir", instance).stdout == "wang\n"


def test_list_of_no_curators_says_how_to_add_one(tmp_path):
    listed = invoke("curator", "list", "--instance-dir", str(tmp_path / "instance"))
    assert listed.exit_code == 0
    assert listed.stdout == ""
    assert "glossary curator add NAME" in listed.stderr


def test_glossary_instance_dir_says_where_curators_live(tmp_path, monkeypatch):
    monkeypatch.setenv("GLOSSARY_INSTANCE_DIR", str(tmp_path / "from-env"))
    added = invoke("curator", "add", "李明", "--password-stdin", input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert (tmp_path / "from-env" / "curators.sqlite3").exists()
    assert invoke("curator", "list").stdout == "李明\n"
