"""Language identification with py3langid (KCNA's own language labels are not always right).

py3langid ships its model LZMA-compressed: unpacking took most of the time a process spent
loading it, and every process that captures pays it (the CLI, the ingest reader process,
analysis workers), before its first article. The unpacked arrays are therefore kept once per
machine in a cache directory ($STATEMEDIA_CACHE, else $XDG_CACHE_HOME/statemedia, else
~/.cache/statemedia) as plain ``.npy`` files and memory-mapped from there, a fraction of the
time (sizes and timings: docs/performance.md, "Capture"). Where the cache cannot be written
or read, the packaged model is loaded as before: the cache only saves time, it never changes a
result.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from array import array
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

__all__ = ["cache_dir", "detect_language"]

# The arrays of py3langid's model file (py3langid.modelio), in the order its reader returns them.
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def cache_dir() -> Path:
    """Where statemedia keeps files derived from installed packages."""
    if explicit := os.environ.get("STATEMEDIA_CACHE"):
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "statemedia"


def _model_cache() -> Path:
    model = MODEL_DIR / MODEL_FILE
    return cache_dir() / f"py3langid-{version('py3langid')}-{model.stat().st_size}"


def _unpack(target: Path) -> None:
    """Write the packaged model's arrays to ``target`` (a directory made whole or not at all)."""
    import io
    import lzma

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=target.parent))
    except OSError:
        return
    try:
        with np.load(io.BytesIO(lzma.decompress((MODEL_DIR / MODEL_FILE).read_bytes())), allow_pickle=False) as data:
            for name in _ARRAYS:
                np.save(staging / f"{name}.npy", data[name], allow_pickle=False)
        staging.rename(target)  # atomic; fails if another process got there first, which is as good
    except OSError:
        pass
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _from_cache() -> LanguageIdentifier | None:
    target = _model_cache()
    if not target.is_dir():
        _unpack(target)
    try:
        a = {name: np.load(target / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _ARRAYS}
        # What LanguageIdentifier.from_model_file builds from the same arrays (py3langid.modelio.load_model).
        return LanguageIdentifier(
            np.asarray(a["ptc"]),
            np.asarray(a["pc"]),
            a["classes"].tolist(),
            _stdlib_array(a["nextmove"]),
            a["out_feat"].tolist(),
            tk_row=_stdlib_array(a["nextmove_row"]),
        )
    except (OSError, ValueError, KeyError, TypeError):  # unreadable cache; TypeError: another py3langid
        return None


def _stdlib_array(values: np.ndarray) -> array[int]:
    out = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(values).tobytes())
    return out


@lru_cache(maxsize=4)
def _identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    # An identifier of our own: set_languages on the module-level one would restrict it for
    # every other user of py3langid in the process.
    identifier = _from_cache() or LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(languages) or None)
    return identifier


def detect_language(text: str, languages: tuple[str, ...] = ()) -> str | None:
    """ISO 639-1 code of ``text``'s language among ``languages`` (all if empty); None without letters."""
    if not any(ch.isalpha() for ch in text):
        return None
    code, _score = _identifier(languages).classify(text)
    return str(code)
