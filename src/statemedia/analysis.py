"""Capture and analyse articles from a path: the library call behind ``statemedia analyze``."""

from __future__ import annotations

import datetime
from collections import deque
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from .capture import capture_text, read_path
from .capture.options import default_options, options_from
from .config import Config
from .engine.local import analyze_stream
from .errors import PipelineError, StatemediaError
from .model import Document
from .pipeline import Pipeline
from .registry import build_pipeline

__all__ = ["analyze_path", "analyze_text", "is_corpus_path"]

_CORPUS_SUFFIXES = (".jsonl", ".jsonl.gz", ".csv", ".rda", ".rdata")


def is_corpus_path(path: str | Path) -> bool:
    """True for inputs holding many records (one result per record comes out)."""
    name = str(path).lower()
    return Path(path).is_dir() or name.endswith(_CORPUS_SUFFIXES)


def analyze_path(
    path: str | Path,
    *,
    outlet: str | None = None,
    published: datetime.date | None = None,
    config: Config | None = None,
    n_process: int | None = None,
) -> Iterator[Document | StatemediaError]:
    """Analysed documents from ``path``, with an error in place of each input that fails.

    Corpora run on two worker processes by default, single articles in this process.
    """
    if n_process is None:
        n_process = 2 if is_corpus_path(path) else 1
    errors: deque[StatemediaError] = deque()

    def documents() -> Iterator[Document]:
        capture = options_from(config) if config is not None else default_options()
        for item in read_path(path, outlet=outlet, published=published, options=capture):
            if isinstance(item, Document):
                yield item
            else:
                errors.append(item)

    for result in analyze_stream(documents(), config=config, n_process=n_process):
        while errors:
            yield errors.popleft()
        yield result
    yield from errors


def analyze_text(
    text: str,
    *,
    title: str | None = None,
    outlet: str | None = None,
    published: datetime.date | None = None,
    url: str | None = None,
    config: Config | None = None,
    pipeline: Pipeline | None = None,
) -> Document:
    """Capture and analyse one article given as a string; errors are raised.

    The default pipeline is built on the first call and reused; a ``config`` builds its own
    unless the caller passes the ``pipeline`` it keeps for that config.
    """
    capture = options_from(config) if config is not None else default_options()
    doc = capture_text(text, title=title, outlet=outlet, published=published, url=url, options=capture)
    if pipeline is None:
        # Called once per article from user code: build the default pipeline (spaCy, models) once.
        pipeline = _default_pipeline() if config is None else build_pipeline(config)
    (result,) = analyze_stream([doc], config=config, n_process=1, pipeline=pipeline)
    if isinstance(result, PipelineError):
        raise result
    assert isinstance(result, Document)
    return result


@cache
def _default_pipeline() -> Pipeline:
    return build_pipeline()
