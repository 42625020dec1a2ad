"""MPNet: the students' teacher and its fused attention (rhetoric/mpnet_tagger.py, training/span_tagger.py)."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from tokenizers import Tokenizer

from conftest import KCNA, SEED
from statemedia.capture import read_path
from statemedia.errors import InputError, ModelError
from statemedia.rhetoric import mpnet_tagger
from statemedia.rhetoric.token_tagger import Window, _model_root, batch_tensors, windows
from statemedia.rhetoric.transformer import DEFAULT_ADAPTERS
from statemedia.training.ptc import line_sentences
from statemedia.training.span_tagger import (
    GOLD_SHARE,
    UNLABELLED_STEP,
    load_teacher,
    taught_windows,
    unlabelled_windows,
)


def test_mpnet_vocabulary_is_minilm_shifted_by_four() -> None:
    minilm = (_model_root() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    mpnet = (mpnet_tagger.mpnet_root() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    assert mpnet[: mpnet_tagger.SHIFT] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert mpnet[mpnet_tagger.SHIFT : mpnet_tagger.SHIFT + len(minilm)] == minilm


class _Recorder(torch.nn.Module):
    """Stands in for MPNet to see the ids the teacher gives it."""

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> SimpleNamespace:
        self.ids = input_ids.clone()
        return SimpleNamespace(last_hidden_state=torch.zeros(*input_ids.shape, mpnet_tagger.HIDDEN))


def _seed_paragraphs() -> list[str]:
    return [line for line in SEED.read_text(encoding="utf-8").splitlines() if len(line) > 80][:3]


@pytest.mark.parametrize("paragraph", range(3))
def test_teacher_reads_minilm_windows_as_mpnet_would_tokenise(paragraph: int) -> None:
    text = _seed_paragraphs()[paragraph]
    own = Tokenizer.from_file(str(mpnet_tagger.mpnet_root() / "tokenizer.json"))
    own.no_padding()
    own.no_truncation()
    expected = own.encode(text).ids  # with <s> and </s>
    recorder = _Recorder()
    short = Window([1996], [(0, 3)])  # padded in the batch
    ids, mask = batch_tensors([*windows(text, [(0, len(text))]), short])
    mpnet_tagger.TeacherTagger(recorder)(ids, mask)
    assert recorder.ids[0, : len(expected)].tolist() == expected
    bos, eos, pad, shift = mpnet_tagger.BOS, mpnet_tagger.EOS, mpnet_tagger.PAD, mpnet_tagger.SHIFT
    assert recorder.ids[1].tolist() == [bos, 1996 + shift, eos] + [pad] * (ids.shape[1] - 3)


class _FixedTeacher:
    """A teacher whose every piece probability is 0.8."""

    def window_probs(self, wins: Sequence[Window], bfloat16: bool = False) -> list[np.ndarray]:
        return [np.full(len(w.ids), 0.8) for w in wins]


def test_taught_targets_mix_gold_with_the_teacher_and_take_the_teacher_alone_unlabelled() -> None:
    labelled = [(Window([10, 11], [(0, 1), (2, 3)]), [1.0, 0.0])]
    unlabelled = [Window([12], [(0, 1)])]
    out = taught_windows(_FixedTeacher(), labelled, unlabelled)  # type: ignore[arg-type]
    assert [w for w, _ in out] == [labelled[0][0], unlabelled[0]]
    assert out[0][1] == pytest.approx([GOLD_SHARE + (1 - GOLD_SHARE) * 0.8, (1 - GOLD_SHARE) * 0.8])
    assert out[1][1] == pytest.approx([0.8])


def test_unlabelled_windows_take_every_ninth_english_kcna_story(shared: Path) -> None:
    path = KCNA / "kcna-2012.jsonl.gz"
    english = []
    for item in read_path(path):
        assert not isinstance(item, InputError)
        if (item.language or "").startswith("en"):
            english.append(item.text)
        if len(english) > 3 * UNLABELLED_STEP:
            break
    chosen = english[: 3 * UNLABELLED_STEP : UNLABELLED_STEP]
    expected = [w for text in chosen for w in windows(text, line_sentences(text))]
    assert unlabelled_windows([path], per_file=3) == expected
    assert len(expected) >= 3


def test_a_file_that_is_not_a_teacher_is_refused_by_name(tmp_path: Path, shared: Path) -> None:
    garbage = tmp_path / "teacher.npz"
    garbage.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match=r"teacher\.npz"):
        load_teacher(garbage, shared / "data" / "ptc")
    minilm = Path(str(resources.files("statemedia").joinpath(DEFAULT_ADAPTERS)))
    with pytest.raises(ModelError, match="not an MPNet tagger"):
        load_teacher(minilm, shared / "data" / "ptc")


def test_teacher_encoder_keeps_its_first_layers() -> None:
    two_layers, full = mpnet_tagger.teacher_encoder(2), mpnet_tagger.teacher_encoder()
    assert len(two_layers.encoder.layer) == two_layers.config.num_hidden_layers == 2
    kept, first = two_layers.encoder.layer[1].state_dict(), full.encoder.layer[1].state_dict()
    assert all(torch.equal(kept[k], first[k]) for k in first)


def test_fused_attention_gives_the_eager_outputs() -> None:
    two_layers = mpnet_tagger.teacher_encoder(2).eval()  # enough to check attention, quick to run
    text = _seed_paragraphs()[0]
    # One full window and a short one, so the batch has padding the mask must hide.
    ids, mask = batch_tensors([*windows(text, [(0, len(text))]), Window([1996, 2000], [(0, 3), (4, 6)])])
    tagger = mpnet_tagger.TeacherTagger(two_layers).eval()
    with torch.inference_mode():
        eager = tagger(ids, mask)
        mpnet_tagger.fuse_attention(two_layers)
        fused = tagger(ids, mask)
    assert all(isinstance(layer.attention.attn, mpnet_tagger.FusedSelfAttention) for layer in two_layers.encoder.layer)
    assert torch.allclose(fused[mask.bool()], eager[mask.bool()], atol=1e-4)
    assert float(eager.std()) > 0.01  # the check compares something that varies
