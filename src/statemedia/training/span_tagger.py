"""Fine-tune a transformer with LoRA as a propaganda token tagger on PTC (see rhetoric/transformer.py).

The student (``--student``) is MiniLM or MPNet's first four layers (``mpnet4``). Taggers train
on TRAIN and the SemEval development articles' gold spans (ptc.load_span_articles), never on
DEV, so the DEV tables in docs/rhetoric.md describe the shipped artefacts. ``--dev`` prints
the DEV SI sweep after each epoch (and can write the DEV token probabilities for decoding
experiments); ``MEMBERS`` taggers (seeds 0, 1, ...) are written as one ensemble.

With ``--teacher PATH`` the taggers learn from a larger one (rhetoric/mpnet_tagger.py): MPNet,
fine-tuned the same way on TRAIN and the SemEval spans, trained first and saved at PATH if
PATH does not exist. A student's target for a piece is then the mean of the gold label and the
teacher's probability, and unlabelled KCNA stories (``--unlabelled``) add windows whose target
is the teacher's probability alone.
TEST (id % 5 == 0) is never read here. Seeds are fixed.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np
import torch

from ..capture import read_path
from ..errors import InputError, ModelError
from ..rhetoric import mpnet_tagger
from ..rhetoric.token_tagger import TokenTagger, Window, base_encoder, batch_tensors, windows
from ..rhetoric.transformer import (
    DEFAULT_ADAPTERS,
    FORMAT,
    MPNET4_ADAPTERS,
    TransformerTagger,
    native_bfloat16,
    quantized,
)
from .ptc import Article, Split, line_sentences, load_articles, load_span_articles
from .span_scoring import si_score

if TYPE_CHECKING:
    from transformers import PreTrainedModel

__all__ = ["MINILM", "MPNET", "MPNET4", "STUDENTS", "Backbone", "train_tagger"]

# LoRA on every linear layer of the six blocks (query/key/value/attention output, the two
# feed-forward layers), rank 8: ~0.33 M adapter weights, 0.4 MB in int8.
RANK = 8
ALPHA = 16
TARGETS = ["query", "key", "value", "dense"]
DROPOUT = 0.1
# DEV SI F1 after 3 epochs (MiniLM alone, best threshold) was higher at 1.5e-3 than at 5e-4
# (docs/rhetoric.md, "Settings chosen on DEV").
LEARNING_RATE = 1.5e-3
# The MPNet teacher's (not tuned: a wider model is usually fine-tuned more gently; DEV SI F1
# already high after epoch 1: docs/rhetoric.md, "Settings chosen on DEV").
TEACHER_LR = 1e-3
BATCH = 8
EPOCHS = 3
# Taggers in the shipped ensemble. Untaught, two averaged with the linear tagger scored best on
# DEV, three no better; one tagger taught by MPNet reaches about what two did at half the cost,
# so one ships (docs/rhetoric.md, the DEV SI F1 table).
MEMBERS = 1
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
# A student's target on a gold-labelled piece: this share of the gold label, the rest the
# teacher's probability (the textbook even mix; not tuned).
GOLD_SHARE = 0.5
# Unlabelled KCNA stories the teacher labels for the students: every 9th English story of a
# file, up to this many (a spread over the year; ~1.6 windows a story).
UNLABELLED = 1000
UNLABELLED_STEP = 9

Labelled = tuple[Window, list[float]]  # a target in [0, 1] per piece


@dataclass(frozen=True, slots=True)
class Backbone:
    """A pre-trained encoder, the layers LoRA adapts in it, and the tagger class around it."""

    name: str  # as the artefact records it (transformer.TransformerTagger.load)
    load: Callable[[], PreTrainedModel]
    targets: list[str]
    tagger: type[TokenTagger]


MINILM = Backbone("minilm", base_encoder, TARGETS, TokenTagger)
MPNET = Backbone("mpnet", mpnet_tagger.teacher_encoder, mpnet_tagger.TARGETS, mpnet_tagger.TeacherTagger)
# MPNet's first 4 of 12 layers, chosen from the techniques component's speed with eager
# attention (3, 4, 6 and 12 layers timed) as the most likely to pass the speed target once
# attention was fused (mpnet_tagger.FusedSelfAttention); fused, with bfloat16 weights, 4 pass it
# in bench/techniques.py (5 or 6 untried). Taught, its DEV SI F1 beats MiniLM's from the same
# teacher and data (figures: docs/rhetoric.md, "MPNet-4").
MPNET4 = Backbone("mpnet", partial(mpnet_tagger.teacher_encoder, 4), mpnet_tagger.TARGETS, mpnet_tagger.TeacherTagger)
STUDENTS = {"minilm": (MINILM, DEFAULT_ADAPTERS), "mpnet4": (MPNET4, MPNET4_ADAPTERS)}


def labelled_windows(articles: list[Article]) -> list[Labelled]:
    """Windows with a 0/1 label per piece: 1 if it overlaps a gold propaganda span."""
    out = []
    for a in articles:
        for w in windows(a.text, a.sentences()):
            labels = [float(any(s < ge and gs < e for gs, ge in a.propaganda)) for s, e in w.offsets]
            out.append((w, labels))
    return out


def unlabelled_windows(paths: Sequence[Path], per_file: int = UNLABELLED) -> list[Window]:
    """Windows over every ``UNLABELLED_STEP``-th English story of each corpus file (lines as sentences)."""
    out: list[Window] = []
    for path in paths:
        english = (
            item for item in read_path(path) if isinstance(item, InputError) or (item.language or "").startswith("en")
        )
        for item in islice(english, 0, per_file * UNLABELLED_STEP, UNLABELLED_STEP):
            if isinstance(item, InputError):
                raise item
            out.extend(windows(item.text, line_sentences(item.text)))
    return out


def taught_windows(model: TokenTagger, items: list[Labelled], unlabelled: list[Window]) -> list[Labelled]:
    """Targets mixing gold and the teacher's probabilities (``GOLD_SHARE``); the teacher's alone where unlabelled."""
    started = time.perf_counter()
    probs = model.window_probs([w for w, _ in items] + unlabelled, bfloat16=native_bfloat16())
    print(f"teacher labelled {len(probs)} windows in {time.perf_counter() - started:.0f} s", flush=True)
    mixed = [
        (w, [GOLD_SHARE * g + (1 - GOLD_SHARE) * float(p) for g, p in zip(gold, prob, strict=True)])
        for (w, gold), prob in zip(items, probs[: len(items)], strict=True)
    ]
    return mixed + [(w, [float(p) for p in prob]) for w, prob in zip(unlabelled, probs[len(items) :], strict=True)]


def _batches(items: list[Labelled], rng: random.Random) -> list[list[Labelled]]:
    """Shuffled batches of windows of similar length (less padding)."""
    order = items[:]
    rng.shuffle(order)
    chunks = [sorted(order[i : i + BATCH * 16], key=lambda x: len(x[0].ids)) for i in range(0, len(order), BATCH * 16)]
    batches = [chunk[i : i + BATCH] for chunk in chunks for i in range(0, len(chunk), BATCH)]
    rng.shuffle(batches)
    return batches


def dev_report(model: TokenTagger, dev: list[Article]) -> dict[int, np.ndarray]:
    """DEV SI F1 per threshold; returns each DEV article's token probabilities (sentence order)."""
    tagger = TransformerTagger([model], 0.5)
    probs = tagger.sentence_probs_many([(a.text, a.sentences()) for a in dev])
    gold = {a.id: a.propaganda for a in dev}
    for threshold in THRESHOLDS:
        tagger.threshold = threshold
        predicted = {a.id: tagger.decode_sentences(p) for a, p in zip(dev, probs, strict=True)}
        print(f"  DEV SI threshold {threshold}: {si_score(predicted, gold)}", flush=True)
    return {a.id: np.concatenate([pr for _, pr in p] + [np.zeros(0)]) for a, p in zip(dev, probs, strict=True)}


def train_tagger(
    items: list[Labelled],
    *,
    backbone: Backbone = MINILM,
    epochs: int = EPOCHS,
    lr: float = LEARNING_RATE,
    seed: int = 0,
    dev: list[Article] | None = None,
    dev_out: Path | None = None,
) -> TokenTagger:
    from transformers import get_linear_schedule_with_warmup

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    model = _lora_tagger(backbone)
    rng = random.Random(seed)
    steps = epochs * len(_batches(items, random.Random(seed)))
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.06 * steps), steps)  # type: ignore[no-untyped-call]
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="sum")
    print(f"{len(items)} windows, {sum(len(w.ids) for w, _ in items)} pieces, {steps} steps", flush=True)
    for epoch in range(epochs):
        model.train()
        started, total = time.perf_counter(), 0.0
        for batch in _batches(items, rng):
            ids, mask = batch_tensors([w for w, _ in batch])
            target = torch.zeros(ids.shape)
            for row, (_, labels) in enumerate(batch):
                target[row, 1 : len(labels) + 1] = torch.tensor(labels)
            inside = mask.bool()
            inside[:, 0] = False  # [CLS] has no label; [SEP] and padding weigh nothing below
            for row, (w, _) in enumerate(batch):
                inside[row, len(w.ids) + 1 :] = False
            # bfloat16 autocast where native (faster than float32: docs/rhetoric.md, "Transformer span taggers")
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=native_bfloat16()):
                logits = model(ids, mask).float()
            loss = loss_fn(logits[inside], target[inside]) / inside.sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item()
        print(f"epoch {epoch + 1}: loss {total:.2f}, {time.perf_counter() - started:.0f} s", flush=True)
        if dev:
            model.eval()
            probs = dev_report(model, dev)
            if dev_out:
                np.savez(dev_out.with_suffix(f".e{epoch + 1}.npz"), **{str(k): v for k, v in probs.items()})  # type: ignore[arg-type]
    return model.eval()


def _lora_tagger(backbone: Backbone) -> TokenTagger:
    from peft import LoraConfig, get_peft_model

    config = LoraConfig(r=RANK, lora_alpha=ALPHA, target_modules=backbone.targets, lora_dropout=DROPOUT)
    return backbone.tagger(get_peft_model(backbone.load(), config))


def load_teacher(path: Path, ptc: Path) -> TokenTagger:
    """The MPNet tagger saved at ``path``; trained on TRAIN and the SemEval spans and saved there first if missing."""
    if not path.exists():
        articles = load_articles(ptc, [Split.TRAIN]) + load_span_articles(ptc)
        save_adapters([train_tagger(labelled_windows(articles), backbone=MPNET, lr=TEACHER_LR)], path, MPNET)
    # float32 weights: it labels under autocast (taught_windows), as when the shipped students learnt.
    found = TransformerTagger.load(path, 0.5, precision="float32").models
    if len(found) != 1 or not isinstance(found[0], mpnet_tagger.TeacherTagger):
        raise ModelError("not an MPNet tagger (one member, backbone mpnet)", where=str(path))
    return found[0]


def save_adapters(models: Sequence[TokenTagger], path: Path, backbone: Backbone = MINILM) -> None:
    """Each member's LoRA matrices (int8 + row scales, keyed ``m<i>/`` + the base layer's name) and head, as an NPZ."""
    arrays: dict[str, np.ndarray] = {
        "format": np.asarray(FORMAT),
        "backbone": np.asarray(backbone.name),
        "members": np.asarray(len(models)),
        "scale": np.asarray(ALPHA / RANK),
        # The encoder layers the adapters were trained on; the MPNet loader keeps that many.
        "layers": np.asarray(cast("PreTrainedModel", models[0].encoder).config.num_hidden_layers),  # peft forwards it
    }
    for i, model in enumerate(models):
        prefix = f"m{i}/"
        for key, param in model.head_params().items():
            arrays[prefix + key] = param.detach().numpy().astype(np.float32)
        for name, param in model.encoder.named_parameters():
            if ".lora_" in name:
                base = name.removeprefix("base_model.model.").replace(".default.weight", "")
                arrays[prefix + base], arrays[prefix + base + "_scale"] = quantized(param.detach().numpy())
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ptc", type=Path, default=Path("../shared/data/ptc"))
    parser.add_argument("--student", choices=sorted(STUDENTS), default="minilm", help="the encoder to fine-tune")
    parser.add_argument("--out", type=Path, help="adapters NPZ (default: the student's shipped one in the package)")
    parser.add_argument("--dev", action="store_true", help="report DEV SI F1 after each epoch")
    parser.add_argument(
        "--dev-probs",
        type=Path,
        help="with --dev: write each tagger's DEV token probabilities (per epoch, <stem>-s<seed>.e<epoch>.npz)",
    )
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--lr", type=float, default=LEARNING_RATE)
    parser.add_argument("--seed", type=int, default=0, help="the (first) member's seed")
    parser.add_argument("--members", type=int, default=MEMBERS, help="taggers in the ensemble, seeds counting up")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--teacher", type=Path, help="learn from the MPNet tagger NPZ here (trained first if missing)")
    parser.add_argument(
        "--unlabelled", type=Path, action="append", default=[], help="with --teacher: KCNA JSON Lines (repeatable)"
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    backbone, shipped = STUDENTS[args.student]
    out = args.out or Path(__file__).resolve().parent.parent / shipped
    items = labelled_windows(load_articles(args.ptc, [Split.TRAIN]) + load_span_articles(args.ptc))
    if args.teacher:
        items = taught_windows(load_teacher(args.teacher, args.ptc), items, unlabelled_windows(args.unlabelled))
    dev = load_articles(args.ptc, [Split.DEV]) if args.dev else None
    models = [
        train_tagger(
            items,
            backbone=backbone,
            epochs=args.epochs,
            lr=args.lr,
            seed=seed,
            dev=dev,
            dev_out=args.dev_probs.with_stem(f"{args.dev_probs.stem}-s{seed}") if args.dev_probs else None,
        )
        for seed in range(args.seed, args.seed + args.members)
    ]
    save_adapters(models, out, backbone)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")
    print(f"training took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
