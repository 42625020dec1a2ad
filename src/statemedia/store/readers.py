"""Read connections for threads that read one store at once (the web workbench's requests).

One connection serves one statement at a time, so threads sharing it queue behind the slowest
(docs/workbench.md, "Measured"). :class:`Readers` lends each read a connection of its own: the
store's, then others opened on demand with :meth:`Store.reader` (no schema check each), up to a
limit beyond which a read waits for one to come back. A thread that already holds one is lent
the same again, so nested reads never wait on themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .base import Store

__all__ = ["Readers"]


class Readers:
    """At most ``size`` connections to ``store`` (``store`` itself the first), lent a read at a time."""

    def __init__(self, store: Store, size: int) -> None:
        if size < 1:
            raise ValueError(f"read connections must be at least 1, not {size}")
        self._store = store
        self._size = size
        self._idle: list[Store] = [store]
        self._opened: list[Store] = []  # what close() closes: the store itself is its owner's
        self._lent = 1  # connections that exist or are being opened
        self._changed = threading.Condition()
        self._held = threading.local()

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """A connection for this thread's reads until the block ends."""
        held: Store | None = getattr(self._held, "store", None)
        if held is not None:
            yield held
            return
        store = self._take()
        self._held.store = store
        try:
            yield store
        finally:
            self._held.store = None
            with self._changed:
                self._idle.append(store)
                self._changed.notify()

    def _take(self) -> Store:
        with self._changed:
            while not self._idle and self._lent >= self._size:
                self._changed.wait()
            if self._idle:
                return self._idle.pop()  # the most recently used: its cache is warm
            self._lent += 1
        # Opened outside the lock: a PostgreSQL session takes a round trip or more to start.
        try:
            store = self._store.reader()
        except BaseException:
            with self._changed:
                self._lent -= 1
                self._changed.notify()
            raise
        with self._changed:
            self._opened.append(store)
        return store

    def close(self) -> None:
        """Close the connections opened here (when no read is running)."""
        with self._changed:
            opened, self._opened = self._opened, []
            self._idle = [s for s in self._idle if s is self._store]
            self._lent = 1
        for store in opened:
            store.close()
