"""The read model's kept results (analytics/_results.py): computed once per state of the corpus,
also when threads ask at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from statemedia.analytics._results import Results


def test_threads_asking_at_once_wait_for_one_computation() -> None:
    results = Results(4)
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def make() -> int:
        calls.append(1)
        started.set()
        assert release.wait(timeout=10)
        return 42

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(results.get, "k1", "entities", make)
        assert started.wait(timeout=10)
        others = [pool.submit(results.get, "k1", "entities", make) for _ in range(3)]
        release.set()
        assert [f.result(timeout=10) for f in (first, *others)] == [42] * 4
    assert len(calls) == 1
    assert results.get("k1", "entities", lambda: 0) == 42  # kept
    assert results.get("k2", "entities", lambda: 7) == 7  # the corpus changed: computed again


def test_a_failed_computation_is_not_kept_and_the_oldest_result_goes_first() -> None:
    results = Results(2)

    def fail() -> int:
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        results.get("k", "a", fail)
    assert results.get("k", "a", lambda: 1) == 1
    results.get("k", "b", lambda: 2)
    results.get("k", "a", lambda: 0)  # used again: b is now the oldest
    results.get("k", "c", lambda: 3)
    assert results.get("k", "a", lambda: 0) == 1 and results.get("k", "b", lambda: 0) == 0
