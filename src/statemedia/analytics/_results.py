"""Results the read model keeps until the corpus changes, safe for threads that ask at once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar

__all__ = ["Results"]

T = TypeVar("T")


class Results:
    """The last ``size`` results asked for, each computed once per ``key`` (a state of the corpus).

    A thread that asks for a result another is computing waits for it rather than compute it
    again beside it: the first requests after a change would otherwise all scan the corpus at once.
    The lock guards the table only and is never held while a result is computed.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._key: Hashable = None
        self._kept: dict[Hashable, Any] = {}  # least recently used first
        self._making: dict[tuple[Hashable, Hashable], Future[Any]] = {}

    def kept(self, key: Hashable, name: Hashable) -> Any:
        """The result kept for ``name`` in the state ``key``, or None: another result that holds
        this one may serve in its place without computing it."""
        with self._lock:
            return self._kept.get(name) if key == self._key else None

    def get(self, key: Hashable, name: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key != self._key:
                self._kept, self._key = {}, key
            if name in self._kept:
                value: T = self._kept.pop(name)
                self._kept[name] = value  # most recently used last
                return value
            making = self._making.get((key, name))
            mine = making is None
            if making is None:
                making = self._making[key, name] = Future()
        if not mine:
            waited: T = making.result()
            return waited
        try:
            value = make()
        except BaseException as exc:
            with self._lock:
                del self._making[key, name]
            making.set_exception(exc)
            raise
        with self._lock:
            del self._making[key, name]
            if key == self._key:
                self._kept[name] = value
                while len(self._kept) > self._size:
                    del self._kept[next(iter(self._kept))]
        making.set_result(value)
        return value
