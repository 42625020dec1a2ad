"""``statemedia watch``: crawl the outlets' sites into the store and the WARC archive."""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from ..errors import StatemediaError
from . import app
from ._common import EXIT_OK, EXIT_PARTIAL, ConfigOption, err, fail, load_settings, out
from ._db import DbOption, open_db

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Ctrl-C's conventional exit status (128 + SIGINT).
EXIT_INTERRUPTED = 130


def _interval(value: str) -> float:
    m = _EVERY.match(value)
    if m is None or float(m.group(1)) <= 0:
        fail(f"--every {value!r}: give a duration like 30m, 6h or 1d")
    return float(m.group(1)) * _SECONDS[m.group(2)]


@app.command()
def watch(
    db: DbOption = None,
    once: Annotated[bool, typer.Option("--once", help="one pass, then exit (for cron)")] = False,
    every: Annotated[str | None, typer.Option(help="a pass every DURATION (30m, 6h, 1d) until Ctrl-C")] = None,
    sources: Annotated[Path | None, typer.Option(help="sites file (TOML) [default: the shipped DPRK sites]")] = None,
    site: Annotated[list[str] | None, typer.Option(help="only this site (repeatable; see the sources file)")] = None,
    archive: Annotated[Path | None, typer.Option(help="WARC folder [default: [watch] archive]")] = None,
    analyze: Annotated[bool, typer.Option("--analyze/--no-analyze", help="analyse new texts after each pass")] = True,
    alerts: Annotated[bool, typer.Option("--alerts/--no-alerts", help="evaluate watchlists after each pass")] = True,
    delay: Annotated[float | None, typer.Option(help="seconds between requests to one host [default: [watch]]")] = None,
    user_agent: Annotated[str | None, typer.Option(help="User-Agent header [default: [watch] user_agent]")] = None,
    proxy: Annotated[str | None, typer.Option(help="http(s) proxy URL for every request")] = None,
    config: ConfigOption = None,
) -> None:
    """Crawl the sites: every response into WARC files, new articles and edited versions into
    the store, withdrawals and restorations noted; then analysis and alerts.

    A killed or interrupted pass is resumed by the next run. Exit status: 0 every pass ran
    without a failed fetch; 1 some fetches failed (listed on stderr); 2 bad usage, sources
    file or database; 130 interrupted (the next run resumes the pass).
    """
    from ..capture.sites import load_sites
    from ..watch.options import watch_options
    from ..watch.run import watch_once

    if once == (every is not None):
        fail("choose one of --once and --every DURATION")
    pause = _interval(every) if every is not None else 0.0
    try:
        settings = load_settings(config)
        options = watch_options(settings)
        changes: dict[str, Any] = {
            "archive": str(archive) if archive else None,
            "host_delay": delay,
            "user_agent": user_agent,
            "proxy": proxy,
        }
        options = dataclasses.replace(options, **{k: v for k, v in changes.items() if v is not None})
        sites = load_sites(sources or options.sources or None, only=site or ())
    except StatemediaError as exc:
        fail(exc)
    untested = sorted({s.name for s in sites if not s.tested})
    if untested:
        err.print(f"note: untested site definitions (never crawled from here): {', '.join(untested)}")
    store = open_db(db)
    failed = 0
    try:
        while True:
            columns = (SpinnerColumn(), TextColumn("watch"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=err, transient=True) as bar:
                task = bar.add_task("watch", total=None)

                def shown(done: int, total: int, bar: Progress = bar, task: TaskID = task) -> None:
                    bar.update(task, completed=done, total=total)

                result = watch_once(
                    store, sites, options, config=settings, analyze=analyze, alerts=alerts, progress=shown
                )
            summary = result.summary
            out.print(
                f"pass {summary.pass_pk}{' (resumed)' if summary.resumed else ''}: "
                + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.counts().items())
            )
            for line in summary.errors:
                err.print(f"failed: {line}")
            failed += summary.failed
            if once:
                break
            time.sleep(pause)
    except KeyboardInterrupt:
        err.print("interrupted: the next `statemedia watch` resumes this pass")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    raise typer.Exit(EXIT_PARTIAL if failed else EXIT_OK)
