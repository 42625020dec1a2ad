"""Capture in a worker process while the caller writes: ingest on two cores.

Without analysis, an ingest is capture (JSON, clean text, language) then the store's
write path, each about half of the CPU time; run one after the other they use one core.
Here a spawned process captures and sends batches of Documents (or the InputErrors of
bad records) through a pipe, in input order, while the caller writes the previous batch.

The pipe bounds how far the reader runs ahead (one batch in the pipe, one being built),
so memory stays flat. If the caller stops early or is killed, the reader's next send
fails on the closed pipe and it exits: a SIGKILLed ingest leaves no orphan behind.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Generator, Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from .capture.options import CaptureOptions
from .errors import InputError, StoreError
from .model import Document

__all__ = ["input_bytes", "read_ahead"]

Item = Document | InputError
# Records in the reader's first message: a small first batch is soon captured, where a full
# batch kept the writer waiting longer at the start (docs/performance.md, "Ingest").
_FIRST_BATCH = 50


def input_bytes(paths: Sequence[str | Path]) -> int:
    """Total size of the files under ``paths`` (what decides whether a reader process pays off)."""
    total = 0
    for path in map(Path, paths):
        if path.is_dir():
            total += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            total += path.stat().st_size
    return total


def _produce(paths: list[str], out: Connection, batch_size: int, options: CaptureOptions) -> None:
    from .capture import read_path

    try:
        batch: list[Item] = []
        # The caller idles until the first message: a short one starts it writing sooner.
        size = min(batch_size, _FIRST_BATCH)
        for path in paths:
            for item in read_path(path, options=options):
                batch.append(item)
                if len(batch) >= size:
                    out.send(batch)
                    batch, size = [], batch_size
        out.send(batch)
        out.send(None)
    except (BrokenPipeError, ConnectionResetError):
        return  # the caller is gone (stopped early or killed): nothing left to do
    except Exception as exc:  # a reader bug, not a bad record: report it rather than hang
        out.send(f"{type(exc).__name__}: {exc}")
    finally:
        out.close()


def read_ahead(paths: Sequence[str | Path], *, batch_size: int, options: CaptureOptions) -> Generator[Item, None, None]:
    """``capture.read_path`` over ``paths``, in order, computed in a worker process."""
    # spawn, not fork: the caller may hold an open database connection and threads.
    ctx = mp.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    reader = ctx.Process(
        target=_produce,
        args=([str(p) for p in paths], send, batch_size, options),
        name="statemedia-reader",
        daemon=True,
    )
    reader.start()
    send.close()  # only the reader writes: its exit must close the pipe for us to see EOF
    try:
        while True:
            try:
                batch = receive.recv()
            except EOFError:
                ended = f"the reader process ended early (exit code {reader.exitcode})"
                raise StoreError(ended, where="ingest") from None
            if batch is None:
                return
            if isinstance(batch, str):
                raise StoreError(f"the reader process failed: {batch}", where="ingest")
            yield from batch
    finally:
        receive.close()
        reader.join(timeout=5)
        if reader.is_alive():
            reader.terminate()
            reader.join()
