"""Run the pipeline over many documents in local worker processes.

Each worker builds the pipeline once (spaCy loads once per process) and analyses
batches; results come back in input order. A document whose analysis fails comes
back as a :class:`PipelineError` naming it, so one bad article never stops a run.
Workers share the cores: a component that runs torch (the MiniLM span tagger) would
otherwise start one thread per core in every worker, and 2 workers x 2 threads on 2 cores
ran the pipeline markedly slower than with one thread each (docs/rhetoric.md, "Speed").
A worker that dies (killed, out of memory) breaks the run at once with a :class:`WorkerError`
naming the process and how it ended: ``multiprocessing.Pool`` would quietly replace it and wait
forever for the batch it held, so the workers are a ``ProcessPoolExecutor``, which notices.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from multiprocessing.process import BaseProcess

from ..config import Config, load_config
from ..errors import PipelineError, StatemediaError, WorkerError
from ..model import Document
from ..pipeline import Pipeline
from ..registry import build_pipeline

__all__ = ["analyze_stream", "share_cores"]

_WORKER_PIPELINE: Pipeline | None = None


def _init_worker(config: Config, threads: int) -> None:
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = build_pipeline(config)
    share_cores(threads)


def share_cores(threads: int) -> None:
    """Cap torch's thread pool in this process at ``threads``, if the pipeline loaded torch at all."""
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() > threads:
        torch.set_num_threads(threads)


def _cores() -> int:
    """Cores this process may run on (the affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _analyze_batch(batch: list[Document]) -> list[Document | StatemediaError]:
    assert _WORKER_PIPELINE is not None
    return _run_batch(_WORKER_PIPELINE, batch)


def _run_batch(pipeline: Pipeline, batch: list[Document]) -> list[Document | StatemediaError]:
    try:
        return list(pipeline.pipe(batch, batch_size=len(batch)))
    except Exception:
        # Fall back to one document at a time to name the one that failed.
        out: list[Document | StatemediaError] = []
        for doc in batch:
            try:
                out.append(pipeline(doc))
            except Exception as exc:
                out.append(PipelineError(f"analysis failed: {type(exc).__name__}: {exc}", where=doc.id))
        return out


def _batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(docs)
    while batch := list(islice(iterator, size)):
        yield batch


def analyze_stream(
    docs: Iterable[Document],
    *,
    config: Config | None = None,
    n_process: int = 2,
    batch_size: int = 64,
    pipeline: Pipeline | None = None,
) -> Iterator[Document | StatemediaError]:
    """Analyse ``docs`` with the configured pipeline, in order, on ``n_process`` processes.

    With ``n_process=1`` the pipeline runs in this process (``pipeline`` may be given to
    reuse one already built).
    """
    config = config if config is not None else load_config()
    if n_process <= 1:
        for batch in _batches(docs, batch_size):
            # Built on the first batch: an input that yields no document loads no model.
            pipeline = pipeline if pipeline is not None else build_pipeline(config)
            yield from _run_batch(pipeline, batch)
        return
    # fork would copy a parent that may hold spaCy or threads; spawn is predictable.
    ctx = mp.get_context("spawn")
    # Pool.imap would read the whole input ahead; a bounded window of batches in flight
    # keeps memory flat on a 22k-story (or larger) corpus while both cores stay busy.
    in_flight: deque[Future[list[Document | StatemediaError]]] = deque()
    threads = max(1, _cores() // n_process)
    workers: dict[int, BaseProcess] = {}
    broken: BrokenProcessPool | None = None
    with ProcessPoolExecutor(n_process, mp_context=ctx, initializer=_init_worker, initargs=(config, threads)) as pool:
        try:
            for batch in _batches(docs, batch_size):
                in_flight.append(pool.submit(_analyze_batch, batch))
                # Kept to name a worker that dies (the executor forgets its processes when broken).
                workers.update(pool._processes or {})
                if len(in_flight) >= 2 * n_process:
                    yield from in_flight.popleft().result()
            while in_flight:
                yield from in_flight.popleft().result()
        except BrokenProcessPool as exc:
            for future in in_flight:
                future.cancel()
            broken = exc
    # Named only once the executor has shut down: its thread reaps the workers, and a process
    # reaped by another thread shows no exit status until then.
    if broken is not None:
        raise WorkerError(_died(workers, broken), where="engine.local")


def _died(workers: Mapping[int, BaseProcess], exc: BaseException) -> str:
    """Which worker process ended and how, in words (one line)."""
    dead = []
    for pid, process in sorted(workers.items()):
        process.join(timeout=1)
        code = process.exitcode
        if code is None:
            continue
        if code < 0:
            try:
                how = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"killed by signal {-code}"
        else:
            how = f"exit status {code}"
        dead.append(f"{pid} ({how})")
    # The executor stops the other workers with SIGTERM once one dies: name the one that died first.
    first = [d for d in dead if "SIGTERM" not in d] or dead
    what = f"analysis worker process {', '.join(first)} died" if first else "an analysis worker process died"
    cause = " ".join(str(exc).split())
    return f"{what}; the run stopped ({cause})" if cause else f"{what}; the run stopped"
