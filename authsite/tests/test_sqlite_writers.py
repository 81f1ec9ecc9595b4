"""SQLite writers wait their turn on a lock file beside the database (authsite/sqlite3/base.py)."""

import fcntl
import os
import threading

import django
import pytest
from django.db import OperationalError, connection, transaction

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the lock file is the SQLite backend's"),
    pytest.mark.django_db(transaction=True),
]


def is_locked(path):
    """Whether another descriptor holds the lock file now (as another worker would see it)."""
    descriptor = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


@pytest.fixture
def lock_path():
    connection.ensure_connection()
    return connection.writer_lock_path()


def test_pinned_django_version():
    # The overridden methods are BaseDatabaseWrapper's private ones.
    assert django.VERSION[:2] == (5, 2)


def test_the_lock_file_is_beside_the_database(lock_path):
    assert connection.settings_dict["ENGINE"] == "authsite.sqlite3"
    assert lock_path == f"{connection.settings_dict['NAME']}-writer-lock"


def test_a_transaction_holds_the_lock_until_it_commits(lock_path):
    with transaction.atomic():
        assert is_locked(lock_path)
        with transaction.atomic():  # a savepoint: still the same transaction
            assert is_locked(lock_path)
        assert is_locked(lock_path)
    assert not is_locked(lock_path)


def test_a_transaction_that_rolls_back_lets_it_go(lock_path):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert is_locked(lock_path)
        1 / 0  # noqa: B018
    assert not is_locked(lock_path)


def test_closing_the_connection_mid_transaction_lets_it_go(lock_path):
    with transaction.atomic():
        assert is_locked(lock_path)
        connection.close()  # as when a worker's connection is dropped
        assert not is_locked(lock_path)


def test_reads_and_single_statements_do_not_take_it(lock_path, django_user_model):
    django_user_model.objects.create_user("alice@example.com", "x")  # one INSERT, no transaction block
    assert django_user_model.objects.filter(email="alice@example.com").exists()
    with connection.cursor():
        assert not is_locked(lock_path)


def test_a_writer_that_waits_longer_than_the_timeout_gets_database_is_locked(lock_path, monkeypatch):
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.05)
    holder = os.open(lock_path, os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another worker's transaction
    try:
        with pytest.raises(OperationalError, match="database is locked"), transaction.atomic():
            pass
    finally:
        os.close(holder)
    with transaction.atomic():  # free again: the next one goes through
        assert is_locked(lock_path)


def test_a_failed_commit_keeps_the_lock_until_the_rollback(lock_path, monkeypatch):
    from django.db.backends.sqlite3.base import DatabaseWrapper as DjangosWrapper

    def failing_commit(self):
        raise OperationalError("disk I/O error")

    with pytest.raises(OperationalError), transaction.atomic():
        monkeypatch.setattr(DjangosWrapper, "_commit", failing_commit)
        seen = []
        monkeypatch.setattr(DjangosWrapper, "_rollback", lambda self: seen.append(is_locked(lock_path)))
    assert seen == [True]  # SQLite still held its write lock until this rollback
    assert not is_locked(lock_path)


def test_one_descriptor_per_connection_not_per_thread_ever_seen(lock_path):
    def open_descriptors():
        return len(os.listdir("/proc/self/fd"))

    def write_and_close():
        with transaction.atomic():
            pass
        connection.close()  # as Django closes a request thread's connection

    before = open_descriptors()
    for _ in range(20):
        thread = threading.Thread(target=write_and_close)
        thread.start()
        thread.join()
    assert open_descriptors() <= before + 1  # the gc may not have run yet for the last thread's


def test_the_lock_file_is_made_with_the_database_files_mode(lock_path):
    connection.close()
    if os.path.exists(lock_path):
        os.remove(lock_path)
    with transaction.atomic():  # makes it again
        pass
    database_mode = os.stat(connection.settings_dict["NAME"]).st_mode & 0o777
    assert os.stat(lock_path).st_mode & 0o777 == database_mode & ~current_umask()


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask
