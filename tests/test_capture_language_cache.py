"""The unpacked py3langid model cache: same languages as the packaged model, and a broken or
unwritable cache falls back to the packaged model instead of failing capture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from conftest import kcna_sample
from statemedia.capture import language

LANGUAGES = ("ko", "en", "zh", "ru", "es", "fr", "ja")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("STATEMEDIA_CACHE", str(tmp_path / "cache"))
    language._identifier.cache_clear()
    yield tmp_path / "cache"
    language._identifier.cache_clear()


def test_cached_model_classifies_like_the_packaged_one(cache: Path, shared: Path) -> None:
    packaged = LanguageIdentifier.from_model_file(MODEL_FILE)
    packaged.set_languages(list(LANGUAGES))
    cached = language._from_cache()
    assert cached is not None
    cached.set_languages(list(LANGUAGES))
    assert len(list(cache.iterdir())) == 1  # one unpacked model, no staging left behind
    samples = [r["body"][:300] for r in kcna_sample(120)]
    assert {"en", "es"} <= {packaged.classify(s)[0] for s in samples}
    for sample in samples:
        assert cached.classify(sample) == packaged.classify(sample)


def test_corrupt_cache_falls_back_to_the_packaged_model(cache: Path) -> None:
    target = language._model_cache()
    target.mkdir(parents=True)
    (target / "nextmove.npy").write_bytes(b"not an array")
    assert language._from_cache() is None
    assert language.detect_language("La agencia informó que el dirigente visitó la fábrica", LANGUAGES) == "es"


def test_unwritable_cache_falls_back_to_the_packaged_model(cache: Path) -> None:
    cache.parent.mkdir(exist_ok=True)
    cache.write_text("a file where the cache directory should be")
    assert language._from_cache() is None
    assert language.detect_language("The delegation left Pyongyang by air on Tuesday", LANGUAGES) == "en"
