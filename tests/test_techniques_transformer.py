"""The transformer span taggers (``tagger = "minilm"``, ``"mpnet4"``, ``"mpnet"``): artefacts, the seed article."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from conftest import SEED, SEED_TECHNIQUES
from statemedia import Document, build_pipeline
from statemedia.capture import capture_text
from statemedia.config import load_config, options_for
from statemedia.errors import ModelError
from statemedia.rhetoric.technique_model import TechniqueModel
from statemedia.rhetoric.techniques import TechniqueDetector, span_decoder
from statemedia.rhetoric.token_tagger import windows
from statemedia.rhetoric.transformer import TransformerTagger, quantized
from statemedia.training.span_tagger import STUDENTS, save_adapters, train_tagger

DATA = Path(__file__).resolve().parent.parent / "src/statemedia/data/rhetoric"
ADAPTERS = DATA / "si_minilm.npz"


@pytest.fixture(scope="module", params=["minilm", "mpnet4", "mpnet"])
def seed_doc(shared: Path, request: pytest.FixtureRequest) -> Document:
    """The seed article analysed with each transformer tagger (one model load each for the module)."""
    config = load_config()
    config["techniques"]["tagger"] = request.param
    pipeline = build_pipeline(config, names=["linguistic", "techniques"])
    return pipeline(capture_text(SEED.read_bytes(), location=str(SEED)))


# Each artefact: its file, backbone and transformer blocks (the encoder's first, all adapted).
# The repo takes no file over 2 MB.
ARTEFACTS = [("si_minilm.npz", "minilm", 6), ("si_mpnet4.npz", "mpnet", 4), ("si_mpnet.npz", "mpnet", 12)]


@pytest.mark.parametrize(("name", "backbone", "blocks"), ARTEFACTS)
def test_adapters_are_small_and_pickle_free(name: str, backbone: str, blocks: int) -> None:
    path = DATA / name
    assert path.stat().st_size < 2_000_000
    with zipfile.ZipFile(path) as npz:
        assert all(name.endswith(".npy") for name in npz.namelist())
    with np.load(path, allow_pickle=False) as arrays:
        assert str(arrays["backbone"]) == backbone
        # Artefacts from before MPNet-4 do not record their layers: all of them.
        assert (int(arrays["layers"]) if "layers" in arrays.files else blocks) == blocks
        members = int(arrays["members"])
        assert members >= 1
        for i in range(members):
            lora = [k for k in arrays.files if k.startswith(f"m{i}/") and k.endswith((".lora_A", ".lora_B"))]
            # query, key, value, attention output and both feed-forward layers in each block, A and B.
            assert len(lora) == blocks * 6 * 2
            assert all(arrays[k].dtype == np.int8 for k in lora)
            assert all(arrays[k + "_scale"].shape == (arrays[k].shape[0], 1) for k in lora)


@pytest.fixture(scope="module")
def seed_inputs(shared: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """The seed article's text and sentences, as the taggers take them."""
    doc = build_pipeline(names=["linguistic"])(capture_text(SEED.read_bytes(), location=str(SEED)))
    return [(doc.text, [(a.start, a.end) for a in doc.spans("sentence")])]


def test_ensemble_averages_its_members(seed_inputs: list[tuple[str, list[tuple[int, int]]]], tmp_path: Path) -> None:
    # The shipped ensemble's first member twice is, averaged, that member alone; a member
    # with its head negated is not (so the average really reads every member).
    with np.load(ADAPTERS, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    first = {k: v for k, v in arrays.items() if k.startswith("m0/")}
    twice = {"format": arrays["format"], "scale": arrays["scale"], "members": np.asarray(2)}
    twice |= first | {"m1/" + k.removeprefix("m0/"): v for k, v in first.items()}
    single = twice | {"members": np.asarray(1)}
    for name, content in (("twice", twice), ("single", single)):
        np.savez(tmp_path / f"{name}.npz", **content)
    probs = {
        name: TransformerTagger.load(tmp_path / f"{name}.npz", 0.5, precision="float32").sentence_probs_many(
            seed_inputs
        )[0]
        for name in ("twice", "single")
    }
    for (_, a), (_, b) in zip(probs["twice"], probs["single"], strict=True):
        assert np.allclose(a, b, atol=1e-6)
    twice["m1/head_bias"] = -twice["m1/head_bias"]
    twice["m1/head_weight"] = -twice["m1/head_weight"]
    np.savez(tmp_path / "twice.npz", **twice)
    flipped = TransformerTagger.load(tmp_path / "twice.npz", 0.5, precision="float32").sentence_probs_many(seed_inputs)[
        0
    ]
    assert not all(np.allclose(a, b, atol=1e-3) for (_, a), (_, b) in zip(flipped, probs["single"], strict=True))


def test_bfloat16_keeps_the_probabilities(seed_inputs: list[tuple[str, list[tuple[int, int]]]]) -> None:
    inputs = seed_inputs
    fp32, bf16 = (
        TransformerTagger.load(None, 0.5, precision=precision).sentence_probs_many(inputs)[0]
        for precision in ("float32", "bfloat16")
    )
    diff = max(float(np.abs(a - b).max()) for (_, a), (_, b) in zip(fp32, bf16, strict=True) if len(a))
    assert diff < 0.05, f"bfloat16 moved a token probability by {diff:.3f}"


def test_unknown_precision_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="unknown precision"):
        TransformerTagger.load(None, 0.5, precision="int4")


@pytest.mark.parametrize(("phrase", "technique"), SEED_TECHNIQUES)
def test_seed_article_techniques(seed_doc: Document, phrase: str, technique: str) -> None:
    start = seed_doc.text.index(phrase)
    found = {
        a.attrs["technique"] for a in seed_doc.spans("technique") if a.start <= start and start + len(phrase) <= a.end
    }
    assert technique in found, f"{phrase!r}: found {found}"


def test_seed_article_has_model_spans_and_no_chrome(seed_doc: Document) -> None:
    spans = list(seed_doc.spans("technique"))
    model_spans = [a for a in spans if a.attrs["source"] == "model"]
    assert model_spans, "the transformer tagger found no span of its own in the seed article"
    assert all(0 < a.attrs["score"] < 1 for a in model_spans)
    assert not any("cookie" in seed_doc.covered(a).lower() for a in spans)


def test_unknown_tagger_is_a_model_error() -> None:
    options = options_for(TechniqueDetector.Options, load_config(), "techniques")
    with pytest.raises(ModelError, match="unknown tagger"):
        span_decoder(replace(options, tagger="bert"), TechniqueModel.load().tagger)


def test_linear_tagger_loads_no_transformer(shared: Path) -> None:
    # spaCy (thinc) imports torch itself, so the check is on what only the transformer taggers need.
    code = (
        "import sys; from statemedia import build_pipeline; "
        "build_pipeline(names=['linguistic', 'techniques']); "
        "loaded = [m for m in ('transformers', 'statemedia.rhetoric.transformer') if m in sys.modules]; "
        "assert not loaded, loaded"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-500:]


def test_quantized_adapters_come_back_within_half_a_step() -> None:
    matrix = np.random.default_rng(0).normal(scale=0.02, size=(8, 384))
    matrix[3] = 0.0  # a row of zeros keeps a usable scale
    q, scale = quantized(matrix)
    assert q.dtype == np.int8 and int(np.abs(q).max()) == 127
    assert np.all(np.abs(q * scale - matrix) <= scale / 2 + 1e-12)
    assert not q[3].any() and scale[3, 0] == 1.0


@pytest.mark.parametrize("student", ["minilm", "mpnet4"])
def test_trained_adapters_load_back_as_the_trained_tagger(
    student: str, seed_inputs: list[tuple[str, list[tuple[int, int]]]], tmp_path: Path
) -> None:
    # One epoch on the seed article's windows (labels: every other word piece), saved the way
    # `make train` saves it and loaded the way the techniques component loads it.
    text, sentences = seed_inputs[0]
    wins = windows(text, sentences)
    items = [(w, [float(i % 2) for i in range(len(w.ids))]) for w in wins]
    backbone, _ = STUDENTS[student]
    trained = train_tagger(items, backbone=backbone, epochs=1, lr=1e-2)
    save_adapters([trained], tmp_path / "adapters.npz", backbone)
    loaded = TransformerTagger.load(tmp_path / "adapters.npz", 0.5, precision="float32").models[0]
    expected, got = trained.window_probs(wins), loaded.window_probs(wins)
    layers = {"minilm": 6, "mpnet4": 4}[student]
    assert len(trained.encoder.base_model.model.encoder.layer) == len(loaded.encoder.encoder.layer) == layers
    # Within the int8 adapters' rounding (transformer.quantized), and not the untrained tagger's.
    assert max(float(np.abs(a - b).max()) for a, b in zip(expected, got, strict=True)) < 0.02
    untrained = train_tagger(items, backbone=backbone, epochs=0).window_probs(wins)
    assert max(float(np.abs(a - b).max()) for a, b in zip(untrained, got, strict=True)) > 0.05
