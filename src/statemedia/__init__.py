"""statemedia: the analyst's workbench for state media.

Public API::

    import statemedia
    doc = statemedia.analyze_text(text, published=date(2012, 1, 1))  # capture + pipeline
    for ann in doc.spans("event"): ...
    for doc in statemedia.analyze_path("stories.jsonl.gz"): ...     # Documents or errors
    statemedia.to_json(doc)                                          # the documented JSON result
    corpus = statemedia.open("var/statemedia.db")                    # search(), get(), documents()
"""

from __future__ import annotations

from .errors import (
    BadRecordError,
    BinaryInputError,
    DecodingError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    ModelError,
    NoArticleError,
    PipelineError,
    QueryError,
    StatemediaError,
    StoreError,
)
from .model import Annotation, Document, Source
from .pipeline import Component, Pipeline
from .registry import build_pipeline

__all__ = [
    "Annotation",
    "BadRecordError",
    "BinaryInputError",
    "Component",
    "Corpus",
    "DecodingError",
    "Document",
    "EmptyInputError",
    "InputError",
    "InputTooLargeError",
    "ModelError",
    "NoArticleError",
    "Pipeline",
    "PipelineError",
    "QueryError",
    "Source",
    "StatemediaError",
    "StoreError",
    "analyze_path",
    "analyze_text",
    "build_pipeline",
    "open",
    "to_json",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # The store (pandas, pyarrow) loads only when used: `import statemedia` stays light.
    if name in ("open", "Corpus"):
        from .store import corpus

        return getattr(corpus, name)
    if name in ("analyze_path", "analyze_text"):
        from . import analysis

        return getattr(analysis, name)
    if name == "to_json":
        from .report import to_json

        return to_json
    raise AttributeError(f"module 'statemedia' has no attribute {name!r}")
