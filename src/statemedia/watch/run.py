"""What one `statemedia watch` pass does in order: crawl, analyse what is new, raise alerts.

Analysis runs after the crawl, over every stored text the pipeline has not analysed
(``ingest.reanalyze``), so the crawl itself stays at fetch speed and old versions of
edited stories are analysed too: who was removed from a story is the difference between
the entities of its versions (``analytics.changes``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..capture.options import options_from as capture_options
from ..capture.sites import Site
from ..config import Config
from ..ingest import reanalyze
from ..store.base import Store
from .crawl import PassSummary, Progress, run_pass
from .options import WatchOptions

__all__ = ["WatchResult", "watch_once"]


@dataclass
class WatchResult:
    summary: PassSummary
    analysed: int = 0
    analysis_failed: int = 0
    alerts_raised: int = 0
    alerts_delivered: int = 0

    def counts(self) -> dict[str, int]:
        extra = {
            "analysed": self.analysed,
            "analysis failed": self.analysis_failed,
            "alerts raised": self.alerts_raised,
            "alerts delivered": self.alerts_delivered,
        }
        return {**{k: v for k, v in self.summary.counts().items() if k != "pass_pk"}, **extra}


def watch_once(
    store: Store,
    sites: Sequence[Site],
    options: WatchOptions,
    *,
    config: Config,
    analyze: bool = True,
    alerts: bool = True,
    progress: Progress | None = None,
    day: str | None = None,
    n_process: int = 2,
) -> WatchResult:
    """One pass over ``sites`` (or the end of a killed one), then analysis and alerts."""
    result = WatchResult(run_pass(store, sites, options, capture=capture_options(config), progress=progress, day=day))
    if analyze:
        done = reanalyze(store, config=config, n_process=n_process)
        result.analysed, result.analysis_failed = done.analysed, done.rejected
    if alerts:
        from .deliver import run_alerts
        from .options import alert_options

        raised = run_alerts(store, alert_options(config))
        result.alerts_raised, result.alerts_delivered = raised.raised, raised.delivered
    return result
