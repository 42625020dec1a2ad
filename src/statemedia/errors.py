"""Exceptions raised by statemedia.

Every error carries a stable code (``E1xx`` input, ``E2xx`` pipeline, ``E3xx`` store,
``E4xx`` query, ``E5xx`` models, ``E6xx`` watching) and says *which* input or record and *why*.

Exception tree::

    StatemediaError
    ├── InputError              E1xx  input that cannot become a Document
    │   ├── EmptyInputError     E101  nothing but whitespace/chrome
    │   ├── BinaryInputError    E102  not text (NUL bytes, control characters)
    │   ├── DecodingError       E103  bytes undecodable in any supported encoding
    │   ├── InputTooLargeError  E104  over the configured size limit
    │   ├── NoArticleError      E105  an HTML page with no article body
    │   └── BadRecordError      E106  a JSON/CSV record that is malformed or lacks fields
    ├── PipelineError           E2xx  a component's requirements are not met
    │   └── WorkerError         E201  an analysis worker process died (killed, out of memory)
    ├── StoreError              E3xx  the database refused or is corrupt
    ├── QueryError              E4xx  a malformed search query or filter
    ├── ModelError              E5xx  a trained model is missing or incompatible
    └── FetchError              E600  `statemedia watch` cannot fetch as configured (e.g. a bad proxy)

The ``statemedia`` command reports any of these as one line on stderr. Its exit status: 0
success; 1 partial (nothing found, or some records rejected); 2 bad input or usage (a
``StatemediaError`` no command handled exits 2 too); 3 an unexpected exception, i.e. a bug:
one line naming its type, with the traceback only when ``STATEMEDIA_DEBUG`` is set; 4 an analysis
worker process died (``WorkerError``: killed, out of memory), named in its one line.
"""

from __future__ import annotations

__all__ = [
    "BadRecordError",
    "BinaryInputError",
    "DecodingError",
    "EmptyInputError",
    "FetchError",
    "InputError",
    "InputTooLargeError",
    "ModelError",
    "NoArticleError",
    "PipelineError",
    "QueryError",
    "StatemediaError",
    "StoreError",
    "WorkerError",
]


class StatemediaError(Exception):
    """Base of all statemedia errors. ``str(err)`` is one line: code, where, why."""

    code = "E000"

    def __init__(self, reason: str, *, where: str = "") -> None:
        self.reason = reason
        self.where = where
        super().__init__(f"{self.code} {where}: {reason}" if where else f"{self.code} {reason}")


class InputError(StatemediaError):
    code = "E100"


class EmptyInputError(InputError):
    code = "E101"


class BinaryInputError(InputError):
    code = "E102"


class DecodingError(InputError):
    code = "E103"


class InputTooLargeError(InputError):
    code = "E104"


class NoArticleError(InputError):
    code = "E105"


class BadRecordError(InputError):
    code = "E106"


class PipelineError(StatemediaError):
    code = "E200"


class WorkerError(PipelineError):
    code = "E201"


class StoreError(StatemediaError):
    code = "E300"


class QueryError(StatemediaError):
    code = "E400"


class ModelError(StatemediaError):
    code = "E500"


class FetchError(StatemediaError):
    code = "E600"
