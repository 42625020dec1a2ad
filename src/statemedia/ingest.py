"""Ingest files into a store, and re-analyse what an older pipeline made.

Records are read by ``capture.read_path``; a text already in the store (or already on
its way through the analysis in this run) is not analysed again. Analysis runs in
worker processes (``engine.local.analyze_stream``, order-preserving), or on a Ray
cluster with ``engine="ray"`` (``engine.ray.analyze_stream``, same batches, same order). Results are
written in batches, each batch one transaction, so a killed run keeps every batch it
committed and a re-run finds those articles unchanged. A batch is ``[store] batch_size``
articles, or fewer once ``analysis_batch_size`` of them carry fresh analysis: analysis is
the slow part, and a kill loses at most one such batch of it.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, cast

from .config import Config, load_config, options_for
from .errors import InputError, StatemediaError
from .model import Document
from .pipeline import Component, Pipeline
from .registry import COMPONENTS
from .store.base import PutStatus, Store
from .store.options import StoreOptions

__all__ = ["ENGINES", "IngestSummary", "ingest", "pipeline_version", "reanalyze"]

Progress = Callable[[int], None]


@dataclass
class IngestSummary:
    new: int = 0
    versions: int = 0
    unchanged: int = 0
    duplicates: int = 0  # new articles whose text copies (or nearly copies) another article's
    rejected: int = 0
    analysed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def pipeline_version(config: Config | None = None) -> str:
    """``Pipeline.version`` of the configured pipeline without building it (no model loads):
    names, versions, requires and assigns are class attributes. Options of its components that
    differ from defaults.toml (another span tagger, another threshold) change what it finds, so
    they are part of the version (``+`` a digest of them): a store analysed with other options is
    analysed again. With the defaults the version is the components' alone."""
    config = config if config is not None else load_config()
    classes = []
    names = config["pipeline"]["components"]
    for name in names:
        module, cls = COMPONENTS[name].split(":")
        classes.append(getattr(importlib.import_module(module), cls))
    version = Pipeline(cast(Sequence[Component], classes)).version
    defaults = load_config()
    changed = {name: config.get(name, {}) for name in names if config.get(name, {}) != defaults.get(name, {})}
    if not changed:
        return version
    digest = hashlib.sha1(json.dumps(changed, sort_keys=True, default=str).encode()).hexdigest()[:8]
    return f"{version}+{digest}"


def _read(paths: Sequence[str | Path], config: Config) -> Iterator[Document | InputError]:
    from .capture import read_path
    from .capture.options import options_from
    from .read_ahead import input_bytes, read_ahead

    options = options_for(StoreOptions, config, "store")
    capture = options_from(config)
    if input_bytes(paths) >= options.read_ahead_min_bytes:
        yield from read_ahead(paths, batch_size=options.read_ahead_batch, options=capture)
        return
    for path in paths:
        yield from read_path(path, options=capture)


_ANALYSE = object()  # a place in the queue held for a document out for analysis


def _routed(
    store: Store, items: Iterator[Document | InputError], version: str | None, analyse: Callable[..., Any]
) -> Iterator[tuple[Document | StatemediaError, str | None]]:
    """Each item with the pipeline version of its annotations, in input order; only texts
    that the store lacks at ``version`` go through ``analyse``."""
    queue: deque[Any] = deque()
    in_flight: set[str] = set()

    def feed() -> Iterator[Document]:
        for item in items:
            if isinstance(item, Document) and version is not None:
                digest = item.content_hash
                if digest not in in_flight and store.analysed_version(digest) != version:
                    in_flight.add(digest)
                    queue.append(_ANALYSE)
                    yield item
                    continue
            queue.append(item)

    if version is None:
        for item in items:
            yield item, None
        return
    for result in analyse(feed()):
        while queue[0] is not _ANALYSE:
            yield queue.popleft(), None
        queue.popleft()
        yield result, version
    while queue:
        yield queue.popleft(), None


def _reject(out: IO[str] | None, err: StatemediaError) -> None:
    if out is not None:
        out.write(json.dumps({"where": err.where, "code": err.code, "reason": err.reason}, ensure_ascii=False))
        out.write("\n")
        out.flush()


def _batches(
    stream: Iterator[tuple[Document | StatemediaError, str | None]], size: int, analysed: int
) -> Iterator[list[tuple[Document | StatemediaError, str | None]]]:
    """The stream in write batches: ``size`` items, or fewer once ``analysed`` of them carry
    fresh analysis, so a killed analysing run loses at most one such batch of work."""
    batch: list[tuple[Document | StatemediaError, str | None]] = []
    fresh = 0
    for item in stream:
        batch.append(item)
        fresh += item[1] is not None and isinstance(item[0], Document)
        if len(batch) >= size or fresh >= analysed:
            yield batch
            batch, fresh = [], 0
    if batch:
        yield batch


def _write(
    store: Store,
    stream: Iterator[tuple[Document | StatemediaError, str | None]],
    *,
    summary: IngestSummary,
    batch_size: int,
    analysis_batch_size: int,
    run: int | None,
    rejects: IO[str] | None,
    progress: Progress | None,
    seen: bool = True,
) -> None:
    for batch in _batches(stream, batch_size, analysis_batch_size):
        with store.transaction() as writer:
            docs: list[tuple[Document, str | None]] = []
            for item, version in batch:
                if isinstance(item, StatemediaError):
                    summary.rejected += 1
                    _reject(rejects, item)
                else:
                    docs.append((item, version))
                    summary.analysed += version is not None
            for put in writer.put_many(docs, run=run, seen=seen):
                if put.status is PutStatus.UNCHANGED:
                    summary.unchanged += 1
                elif put.status is PutStatus.VERSION:
                    summary.versions += 1
                else:
                    summary.new += 1
                    summary.duplicates += put.duplicate_of is not None
        if progress is not None:
            progress(len(batch))


ENGINES = ("local", "ray")


def _analyser(
    config: Config, n_process: int, batch_size: int, engine: str = "local", address: str | None = None
) -> Callable[[Iterable[Document]], Any]:
    if engine == "ray":
        from .engine import ray

        def on_ray(docs: Iterable[Document]) -> Iterator[Document | StatemediaError]:
            return ray.analyze_stream(docs, config=config, n_process=n_process, batch_size=batch_size, address=address)

        return on_ray
    if engine != "local":
        raise StatemediaError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}", where="engine")
    from .engine.local import analyze_stream

    def analyse(docs: Iterable[Document]) -> Iterator[Document | StatemediaError]:
        return analyze_stream(docs, config=config, n_process=n_process, batch_size=batch_size)

    return analyse


def ingest(
    store: Store,
    paths: Sequence[str | Path],
    *,
    analyze: bool = True,
    config: Config | None = None,
    n_process: int = 2,
    batch_size: int | None = None,
    rejects: IO[str] | None = None,
    progress: Progress | None = None,
    engine: str = "local",
    address: str | None = None,
) -> IngestSummary:
    """Read ``paths`` into ``store``; rejected records go to ``rejects`` (JSONL: where, code, reason).

    ``engine``: "local" (``n_process`` worker processes) or "ray" (``n_process`` Ray workers
    on the cluster at ``address``; ``None`` starts a local one)."""
    config = config if config is not None else load_config()
    options = options_for(StoreOptions, config, "store")
    size = batch_size or options.batch_size
    version = pipeline_version(config) if analyze else None
    summary = IngestSummary()
    with store.transaction() as writer:
        run = writer.start_run("ingest", [str(p) for p in paths])
    analyse = _analyser(config, n_process, int(config.get("linguistic", {}).get("batch_size", 64)), engine, address)
    stream = _routed(store, _read(paths, config), version, analyse)
    _write(
        store,
        stream,
        summary=summary,
        batch_size=size,
        analysis_batch_size=options.analysis_batch_size,
        run=run,
        rejects=rejects,
        progress=progress,
    )
    with store.transaction() as writer:
        writer.finish_run(run, summary.as_dict())
    return summary


def reanalyze(
    store: Store,
    *,
    config: Config | None = None,
    n_process: int = 2,
    progress: Progress | None = None,
    engine: str = "local",
    address: str | None = None,
    rejects: IO[str] | None = None,
) -> IngestSummary:
    """Re-run the pipeline on every stored text its current version has not analysed
    (``engine``, ``address`` and ``rejects`` as for :func:`ingest`: a text whose analysis failed
    keeps its older analysis, and goes to ``rejects`` with the article and the reason)."""
    config = config if config is not None else load_config()
    version = pipeline_version(config)
    # Annotations made at capture (datelines) are kept; those of pipeline components are redone.
    redone = set(COMPONENTS)

    def stripped() -> Iterator[Document]:
        for doc in store.stale(version):
            doc.annotations = [a for a in doc.annotations if a.producer not in redone]
            yield doc

    analyse = _analyser(config, n_process, int(config.get("linguistic", {}).get("batch_size", 64)), engine, address)
    summary = IngestSummary()
    with store.transaction() as writer:
        run = writer.start_run("reanalyze", [])
    stream = ((item, version) for item in analyse(stripped()))
    options = options_for(StoreOptions, config, "store")
    _write(
        store,
        stream,
        summary=summary,
        batch_size=options.batch_size,
        analysis_batch_size=options.analysis_batch_size,
        run=run,
        rejects=rejects,
        progress=progress,
        seen=False,
    )
    with store.transaction() as writer:
        writer.finish_run(run, summary.as_dict())
    return summary
