"""Read connections for threads that read at once (store/readers.py), on each store."""

from __future__ import annotations

import sqlite3
import threading

import psycopg
import pytest

from statemedia.store import Store
from statemedia.store.readers import Readers
from store_fixtures import store  # noqa: F401  (the fixture: each Store implementation)


def test_threads_that_read_at_once_each_hold_a_connection(store: Store) -> None:  # noqa: F811
    readers = Readers(store, 3)
    together = threading.Barrier(3, timeout=10)
    held: list[Store] = []
    failed: list[BaseException] = []

    def read() -> None:
        try:
            with readers.reading() as mine:
                together.wait()  # all three hold one at once
                held.append(mine)
                assert [tuple(r) for r in mine.query("SELECT count(*) FROM articles")] == [(0,)]
                with readers.reading() as again:  # a nested read: the same connection, no wait
                    assert again is mine
        except BaseException as exc:
            failed.append(exc)

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not failed
    assert len({id(s) for s in held}) == 3 and any(s is store for s in held)
    readers.close()
    for opened in (s for s in held if s is not store):
        with pytest.raises((sqlite3.ProgrammingError, psycopg.OperationalError)):  # closed
            opened.query("SELECT 1")
    with readers.reading() as first:  # the store's own connection outlives close()
        assert first is store and first.query("SELECT count(*) FROM articles")


def test_a_read_beyond_the_limit_waits_for_a_connection(store: Store) -> None:  # noqa: F811
    readers = Readers(store, 1)
    taken, got = threading.Event(), threading.Event()

    def second() -> None:
        taken.wait(timeout=10)
        with readers.reading():
            got.set()

    other = threading.Thread(target=second)
    other.start()
    with readers.reading() as mine:
        taken.set()
        assert not got.wait(timeout=0.3), "a second reader got a connection beyond the limit"
        assert mine is store
    assert got.wait(timeout=10)
    other.join(timeout=10)
    readers.close()
