"""Curators, their passwords, login throttling and the session key (glossary/accounts.py)."""

from __future__ import annotations

import logging
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from glossary import accounts
from glossary.accounts import CuratorError, CuratorExists, Curators, NoSuchCurator, Throttled
from glossary.config import SettingError

# Real argon2, at parameters cheap enough for many tests (the default takes ~0.4 s here).
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "一句够长的口令 2024"


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    return tmp_path / "instance"


@pytest.fixture
def curators(instance: Path, clock: Clock) -> Curators:
    curators = Curators(instance, hasher=CHEAP, clock=clock)
    curators.add("李明", PASSWORD)
    return curators


def stored_hash(instance: Path, name: str) -> str:
    with sqlite3.connect(instance / accounts.DATABASE) as db:
        return db.execute("SELECT hash FROM curators WHERE name = ?", (name,)).fetchone()[0]


# --- accounts ------------------------------------------------------------------------------


def test_a_curator_logs_in_with_their_password_and_no_other(curators):
    assert curators.verify("李明", PASSWORD, "203.0.113.1")
    assert not curators.verify("李明", PASSWORD + "!", "203.0.113.1")
    assert not curators.verify("王芳", PASSWORD, "203.0.113.1")


def test_the_database_holds_an_argon2_hash_never_the_password(curators, instance):
    hashed = stored_hash(instance, "李明")
    assert hashed.startswith("$argon2id$")
    assert PASSWORD.encode() not in (instance / accounts.DATABASE).read_bytes()


def test_the_database_is_made_in_the_instance_dir_readable_by_its_owner_only(curators, instance):
    assert stat.S_IMODE((instance / accounts.DATABASE).stat().st_mode) == 0o600


def test_a_database_copied_in_with_loose_permissions_is_made_private(instance):
    Curators(instance, hasher=CHEAP).add("li", PASSWORD)
    (instance / accounts.DATABASE).chmod(0o644)
    assert Curators(instance, hasher=CHEAP).names() == ["li"]
    assert stat.S_IMODE((instance / accounts.DATABASE).stat().st_mode) == 0o600


def test_reading_a_missing_instance_dir_makes_no_files(tmp_path):
    curators = Curators(tmp_path / "typo")
    assert curators.names() == []
    assert curators.account("李明") is None
    assert not (tmp_path / "typo").exists()


def test_a_taken_name_is_refused(curators):
    with pytest.raises(CuratorExists, match="'李明' exists already"):
        curators.add("李明", "another long password")
    assert curators.verify("李明", PASSWORD, "203.0.113.1")  # the first one stands


def test_a_password_shorter_than_ten_characters_is_refused(curators):
    with pytest.raises(CuratorError, match="9 characters: it needs at least 10"):
        curators.add("wang", "123456789")
    curators.add("wang", "1234567890")
    assert curators.names() == ["wang", "李明"]


@pytest.mark.parametrize("name", ["wang.fang", "li_ming-2", "王芳", "x" * 40])
def test_names_of_letters_digits_dots_dashes_and_underscores_are_accepted(curators, name):
    curators.add(name, PASSWORD)
    assert name in curators.names()


@pytest.mark.parametrize(
    "name", ["", "x" * 41, "li ming", "<script>", "a/b", "li\n", "../etc", "li@example.org"]
)
def test_other_names_are_refused_and_named(curators, name):
    with pytest.raises(CuratorError, match="must be 1 to 40 letters, digits"):
        curators.add(name, PASSWORD)
    assert curators.names() == ["李明"]


def test_a_removed_curator_can_no_longer_log_in(curators):
    curators.remove("李明")
    assert curators.names() == []
    assert not curators.verify("李明", PASSWORD, "203.0.113.1")
    with pytest.raises(NoSuchCurator, match="no curator named '李明'"):
        curators.remove("李明")


def test_a_name_added_again_is_a_new_account(curators):
    first = curators.account("李明")
    curators.remove("李明")
    curators.add("李明", PASSWORD)
    assert curators.account("李明") not in (None, first)


class CountingHasher(PasswordHasher):
    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified = 0

    def verify(self, hash, password):
        self.verified += 1
        return super().verify(hash, password)


def test_an_unknown_name_costs_a_hash_check_like_a_known_one(instance):
    hasher = CountingHasher()
    curators = Curators(instance, hasher=hasher)
    curators.add("李明", PASSWORD)
    curators.verify("李明", "wrong password", "203.0.113.1")
    assert hasher.verified == 1
    curators.verify("nobody", "wrong password", "203.0.113.1")
    assert hasher.verified == 2


def test_a_hash_of_older_parameters_is_upgraded_at_the_next_login(curators, instance):
    assert "m=1024" in stored_hash(instance, "李明")
    production = Curators(instance)  # argon2-cffi's default parameters
    assert production.verify("李明", PASSWORD, "203.0.113.1")
    assert "m=65536" in stored_hash(instance, "李明")
    assert production.verify("李明", PASSWORD, "203.0.113.1")


# --- throttling ----------------------------------------------------------------------------


def fail(curators: Curators, times: int, name: str = "李明", client: str = "203.0.113.1"):
    for _ in range(times):
        assert not curators.verify(name, "wrong password", client)


def test_five_failures_for_a_name_refuse_it_from_every_address(curators):
    for n in range(5):
        fail(curators, 1, client=f"203.0.113.{n}")
    with pytest.raises(Throttled) as refused:
        curators.verify("李明", PASSWORD, "198.51.100.7")  # right password, new address
    assert refused.value.retry_after == 30
    assert refused.value.status == 429


def test_five_failures_from_an_address_refuse_every_name_from_it(curators):
    for n in range(5):
        fail(curators, 1, name=f"guess{n}", client="203.0.113.9")
    with pytest.raises(Throttled):
        curators.verify("李明", PASSWORD, "203.0.113.9")
    assert curators.verify("李明", PASSWORD, "198.51.100.7")  # from elsewhere: fine


def test_four_failures_are_not_yet_refused(curators):
    fail(curators, 4)
    assert curators.verify("李明", PASSWORD, "203.0.113.1")


def test_every_worker_process_shares_the_counts(curators, instance, clock):
    other_worker = Curators(instance, hasher=CHEAP, clock=clock)
    fail(curators, 3)
    fail(other_worker, 2)
    with pytest.raises(Throttled):
        curators.verify("李明", PASSWORD, "203.0.113.1")
    with pytest.raises(Throttled):
        other_worker.verify("李明", PASSWORD, "203.0.113.1")


def test_the_wait_doubles_with_each_further_failure_up_to_fifteen_minutes(curators, clock):
    fail(curators, 5)
    waits = []
    for _ in range(7):
        with pytest.raises(Throttled) as refused:
            curators.verify("李明", "wrong password", "203.0.113.1")
        waits.append(refused.value.retry_after)
        clock.now += refused.value.retry_after
        fail(curators, 1)  # the one attempt let through after the wait
    assert waits == [30, 60, 120, 240, 480, 900, 900]


def test_refused_attempts_do_not_lengthen_the_wait(curators, clock):
    fail(curators, 5)
    locked_at = clock.now
    for elapsed, left in ((0, 30), (10, 20), (29, 1)):
        clock.now = locked_at + elapsed
        with pytest.raises(Throttled) as refused:
            curators.verify("李明", PASSWORD, "203.0.113.1")
        assert refused.value.retry_after == left
    clock.now = locked_at + 30
    assert curators.verify("李明", PASSWORD, "203.0.113.1")


def test_a_success_starts_the_count_again(curators):
    fail(curators, 4)
    assert curators.verify("李明", PASSWORD, "203.0.113.1")
    fail(curators, 4)
    assert curators.verify("李明", PASSWORD, "203.0.113.1")


def test_counts_are_forgotten_after_a_quiet_day(curators, clock):
    fail(curators, 4)
    clock.now += accounts.FORGET_AFTER + 1
    fail(curators, 4)
    assert curators.verify("李明", PASSWORD, "203.0.113.1")


def test_failures_and_refusals_are_logged_with_name_and_address_not_password(curators, caplog):
    caplog.set_level(logging.INFO, logger="glossary.accounts")
    fail(curators, 5, client="203.0.113.77")
    with pytest.raises(Throttled):
        curators.verify("李明", "the secret guess", "203.0.113.77")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 6
    assert all("'李明'" in w and "203.0.113.77" in w for w in warnings)
    assert "failed" in warnings[0] and "throttled for 30 s" in warnings[-1]
    assert "wrong password" not in caplog.text and "the secret guess" not in caplog.text


# --- the session key -----------------------------------------------------------------------


def test_the_session_key_is_made_once_and_kept(instance, monkeypatch):
    monkeypatch.delenv("GLOSSARY_SECRET_KEY", raising=False)
    key = accounts.secret_key(instance)
    assert len(key) >= 32
    assert accounts.secret_key(instance) == key
    assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600
    assert accounts.secret_key(instance.parent / "elsewhere") != key


def test_workers_starting_at_once_agree_on_one_session_key(instance, monkeypatch):
    monkeypatch.delenv("GLOSSARY_SECRET_KEY", raising=False)
    start, keys = threading.Barrier(8), []

    def worker():
        start.wait()
        keys.append(accounts.secret_key(instance))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1
    assert [p.name for p in instance.iterdir()] == ["secret_key"]  # no temporary files left


def test_glossary_secret_key_overrides_the_file(instance, monkeypatch):
    monkeypatch.setenv("GLOSSARY_SECRET_KEY", "k" * 40)
    assert accounts.secret_key(instance) == "k" * 40
    assert not instance.exists()


def test_a_short_glossary_secret_key_is_refused(instance, monkeypatch):
    monkeypatch.setenv("GLOSSARY_SECRET_KEY", "hunter2")
    with pytest.raises(SettingError, match="GLOSSARY_SECRET_KEY: 7 characters"):
        accounts.secret_key(instance)


def test_an_emptied_key_file_is_refused_not_used(instance, monkeypatch):
    monkeypatch.delenv("GLOSSARY_SECRET_KEY", raising=False)
    instance.mkdir()
    (instance / "secret_key").write_text("\n")
    with pytest.raises(SettingError, match="no usable key"):
        accounts.secret_key(instance)


# --- sessions --------------------------------------------------------------------------------


def test_a_session_lasts_twelve_hours_from_the_login(curators, clock):
    token = curators.open_session("李明")
    assert curators.session_curator(token) == "李明"
    clock.now += 12 * 3600 - 1
    assert curators.session_curator(token) == "李明"
    clock.now += 2
    assert curators.session_curator(token) is None


def test_a_closed_session_is_over_and_others_go_on(curators):
    first, second = curators.open_session("李明"), curators.open_session("李明")
    assert first != second
    curators.close_session(first)
    assert curators.session_curator(first) is None
    assert curators.session_curator(second) == "李明"


def test_removing_a_curator_ends_their_sessions(curators, instance):
    token = curators.open_session("李明")
    curators.remove("李明")
    curators.add("李明", "另一句够长的口令 2025")
    assert curators.session_curator(token) is None
    with sqlite3.connect(instance / "curators.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM sessions").fetchone() == (0,)


def test_an_unknown_or_missing_token_is_no_session(curators):
    assert curators.session_curator(None) is None
    assert curators.session_curator("forged") is None
    with pytest.raises(NoSuchCurator):
        curators.open_session("nobody")
