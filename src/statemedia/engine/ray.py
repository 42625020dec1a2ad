"""Run the pipeline on a Ray cluster: Ray Data maps the same batch function as the local engine.

Documents go out in windows of ``[ray] window`` documents: each window is a Ray Dataset
(``from_items``) mapped with ``map_batches`` by a pool of actors, each of which builds the
pipeline once (spaCy loads once per worker) and runs ``engine.local``'s batch function,
so results are identical to the local engine's. Results come back to the caller in input
order, and the caller writes them through the store interface: the cluster never needs
the database. Documents travel pickled (they pickle by value, see ``model.py``).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy as np

from ..config import Config, load_config, options_for
from ..errors import PipelineError, StatemediaError
from ..model import Document
from ..registry import build_pipeline
from .local import _run_batch

__all__ = ["RayOptions", "analyze_stream"]


@dataclass(frozen=True)
class RayOptions:
    window: int = 10_000
    cpus_per_worker: float = 1.0


class _PipelineActor:
    """One per worker: the pipeline is built once, then analyses batch after batch."""

    def __init__(self, config: Config) -> None:
        self.pipeline = build_pipeline(config)

    def __call__(self, batch: dict[str, np.ndarray[Any, Any]]) -> dict[str, Any]:
        docs = [pickle.loads(raw) for raw in batch["doc"]]
        results = _run_batch(self.pipeline, docs)
        return {"i": batch["i"], "result": np.array([pickle.dumps(r) for r in results], dtype=object)}


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise PipelineError("the Ray engine needs Ray: pip install 'statemedia[ray]'", where="engine") from None
    return ray


def analyze_stream(
    docs: Iterable[Document],
    *,
    config: Config | None = None,
    n_process: int = 2,
    batch_size: int = 64,
    address: str | None = None,
) -> Iterator[Document | StatemediaError]:
    """Analyse ``docs`` on ``n_process`` Ray workers, in order.

    ``address``: ``None`` starts a local Ray instance for this call (unless one is running
    in this process already), ``"auto"`` joins the cluster of this machine, ``ray://host:10001``
    a remote one (its workers need statemedia installed, or a ``runtime_env``).
    """
    config = config if config is not None else load_config()
    options = options_for(RayOptions, config, "ray")
    ray = _import_ray()
    started = not ray.is_initialized()
    if started:
        ray.init(address=address, include_dashboard=False, logging_level="WARNING", log_to_driver=False)
    try:
        ray.data.DataContext.get_current().enable_progress_bars = False
        iterator = iter(docs)
        while window := list(islice(iterator, options.window)):
            items = [{"i": i, "doc": pickle.dumps(doc)} for i, doc in enumerate(window)]
            mapped = ray.data.from_items(items).map_batches(
                _PipelineActor,
                fn_constructor_kwargs={"config": config},
                batch_size=batch_size,
                batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=max(1, min(n_process, -(-len(window) // batch_size)))),
                num_cpus=options.cpus_per_worker,
            )
            results: list[Any] = [None] * len(window)
            for batch in mapped.iter_batches(batch_format="numpy", batch_size=None):
                for i, raw in zip(batch["i"], batch["result"], strict=True):
                    results[int(i)] = pickle.loads(raw)
            yield from results
    finally:
        if started:
            ray.shutdown()
