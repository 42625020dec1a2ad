"""Capture: bytes, files and records → :class:`~statemedia.model.Document`.

Clean text (no page chrome; the title kept apart in ``Document.title``), title, outlet,
publication date, language, URL, id and the unaltered source. KCNA datelines stay in
the text and are annotated (label ``dateline``). ``read_path`` yields errors in place
of the inputs that fail, so callers decide how to report them.
"""

from __future__ import annotations

from .dateline import Dateline, find_dateline
from .html import capture_html
from .options import CaptureOptions, default_options
from .records import capture_record
from .sources import read_path
from .text import capture_text

__all__ = [
    "CaptureOptions",
    "Dateline",
    "capture_html",
    "capture_record",
    "capture_text",
    "default_options",
    "find_dateline",
    "read_path",
]
