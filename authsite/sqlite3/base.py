"""
Django's SQLite backend, changed in how writers wait for each other: in a queue of their own
instead of SQLite's busy handler.

SQLite has one writer at a time. A transaction that finds the write lock taken is retried by
SQLite's busy handler, which sleeps 1, 2, 5, 10 … up to 100 ms between tries: with a few
gunicorn workers refreshing tokens at once, a waiter keeps waking after the lock has come and gone,
and the refresh grant's p99 was 100 to 300 ms where its median was 8 ms (bench/).

Here a transaction that takes the write lock (`transaction_mode` IMMEDIATE, the settings') first
takes an exclusive `flock` on a file beside the database, `<database>-writer-lock`, and lets it go
when the transaction ends (or its connection closes). Writers then wait on the lock file, which is
free again the moment a transaction ends, and try it every half millisecond, so none sleeps past
its turn. A writer that has waited the connection's `timeout` gets SQLite's own "database is
locked", as it would without the lock file. Readers, and statements outside a transaction, do
not take it (WAL lets readers carry on, and SQLite's busy handler still covers a lone statement).

Overrides BaseDatabaseWrapper's private `_start_transaction_under_autocommit`, `_commit`,
`_rollback` and `_close` (Django 5.2, pinned: authsite/tests/test_sqlite_writers.py fails if
Django stops calling them around `transaction.atomic()`).
"""

import fcntl
import os
import stat
import time

from django.db.backends.sqlite3 import base

POLL_SECONDS = 0.0005
SQLITE_DEFAULT_TIMEOUT = 5.0  # sqlite3.connect's, when OPTIONS has no "timeout"


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_lock = None  # the lock file's descriptor, opened by this process (a forked child opens its own)
    _writer_lock_pid = None
    _holding_writer_lock = False

    def writer_lock_path(self):
        """The lock file, or None where there is none: an in-memory database, or a `file:` URI."""
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or name.startswith("file:") or getattr(self, "transaction_mode", None) != "IMMEDIATE":
            return None
        return f"{name}-writer-lock"

    def _start_transaction_under_autocommit(self):
        self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self):
        committed = super()._commit()
        # Not when COMMIT fails: SQLite holds its write lock until the rollback that follows.
        self._release_writer_lock()
        return committed

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer_lock()
            if self._writer_lock is not None and self._writer_lock_pid == os.getpid():
                os.close(self._writer_lock)  # one descriptor per open connection, not per thread ever seen
            self._writer_lock = None

    def _take_writer_lock(self):
        path = self.writer_lock_path()
        if path is None:
            return
        if self._writer_lock is None or self._writer_lock_pid != os.getpid():
            # Not the parent's descriptor: a flock is shared by every process holding the same one.
            self._writer_lock, self._writer_lock_pid = self._open_writer_lock(path), os.getpid()
        deadline = time.monotonic() + self.settings_dict["OPTIONS"].get("timeout", SQLITE_DEFAULT_TIMEOUT)
        while True:
            try:
                fcntl.flock(self._writer_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    with self.wrap_database_errors:
                        raise self.Database.OperationalError("database is locked") from None
                time.sleep(POLL_SECONDS)
        self._holding_writer_lock = True

    def _open_writer_lock(self, path):
        """
        Read-only is enough for flock. Created with the database file's permissions, as SQLite
        creates its -wal and -shm files, so that every user who may write the database may open it.
        """
        try:
            mode = stat.S_IMODE(os.stat(self.settings_dict["NAME"]).st_mode)
            return os.open(path, os.O_RDONLY | os.O_CREAT, mode)
        except OSError as error:
            with self.wrap_database_errors:
                raise self.Database.OperationalError(f"cannot open the writers' lock file {path}: {error}") from error

    def _release_writer_lock(self):
        if self._holding_writer_lock:
            self._holding_writer_lock = False
            fcntl.flock(self._writer_lock, fcntl.LOCK_UN)
