"""Language identification with py3langid (KCNA's own language labels are not always right)."""

from __future__ import annotations

from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

__all__ = ["detect_language"]


@lru_cache(maxsize=4)
def _identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    # An identifier of our own: set_languages on the module-level one would restrict it for
    # every other user of py3langid in the process.
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(languages) or None)
    return identifier


def detect_language(text: str, languages: tuple[str, ...] = ()) -> str | None:
    """ISO 639-1 code of ``text``'s language among ``languages`` (all if empty); None without letters."""
    if not any(ch.isalpha() for ch in text):
        return None
    code, _score = _identifier(languages).classify(text)
    return str(code)
