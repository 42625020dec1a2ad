"""SI F1 of the MPNet teacher itself on the PTC TEST split (what distillation aims at; issue 5 notes).

The teacher (rhetoric/teacher.py, trained on TRAIN and the SemEval spans by ``train_transformer
--teacher PATH``) takes the MiniLM tagger's place in the shipped technique model, averaged with
the linear tagger as MiniLM is, with the weight and thresholds chosen on DEV and given here.
Analysis never runs it: it is ~8x slower than MiniLM (docs/rhetoric.md).

Run: ``python tools/si_teacher_test.py TEACHER.pt WEIGHT THRESHOLD TRIM``
"""

from __future__ import annotations

import sys
from pathlib import Path

from statemedia.rhetoric.evaluate import evaluate
from statemedia.rhetoric.model import TechniqueModel
from statemedia.rhetoric.train_transformer import load_teacher
from statemedia.rhetoric.transformer import TransformerTagger

PTC = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ptc"


def main(path: Path, weight: float, threshold: float, trim: float) -> None:
    model = TechniqueModel.load()
    model.decoder = TransformerTagger([load_teacher(path, PTC)], threshold, 0.5, trim, model.tagger, weight)
    report = evaluate(PTC, model)
    print(f"TEST ({report.articles} articles): SI {report.si}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]))
