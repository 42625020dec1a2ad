"""statemedia: the analyst's workbench for state media.

Public API::

    import statemedia
    doc = statemedia.analyze_path("article.txt")       # capture + pipeline
    for ann in doc.spans("event"): ...
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
    "build_pipeline",
    "open",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # The store (pandas, pyarrow) loads only when used: `import statemedia` stays light.
    if name in ("open", "Corpus"):
        from .store import corpus

        return getattr(corpus, name)
    raise AttributeError(f"module 'statemedia' has no attribute {name!r}")
