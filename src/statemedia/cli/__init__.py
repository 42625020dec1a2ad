"""The ``statemedia`` command: a thin Typer layer, one module per command."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="statemedia",
    help="The analyst's workbench for state media.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """The analyst's workbench for state media: capture, normalise, extract, store, search."""


def main() -> None:
    # Commands register themselves on `app` when their module is imported; importing
    # them here (not at package import) keeps `import statemedia.cli` cheap for tests.
    import os
    import traceback

    from ..errors import StatemediaError, WorkerError
    from . import commands  # noqa: F401
    from ._common import DEBUG_ENV, EXIT_CRASH, EXIT_INPUT, EXIT_WORKER, report_error

    try:
        app()
    except WorkerError as error:
        # A worker process died (killed, out of memory): one line naming it, its own exit status.
        report_error(error)
        raise SystemExit(EXIT_WORKER) from None
    except StatemediaError as error:
        # Anything a command did not handle itself (a missing model, a broken store) is still
        # one line on stderr naming what and why, never a traceback.
        report_error(error)
        raise SystemExit(EXIT_INPUT) from None
    except Exception as error:
        # A bug, not bad input: its own exit status (3), one line, the traceback only if asked for.
        if os.environ.get(DEBUG_ENV):
            traceback.print_exc()
        reason = " ".join(str(error).split())
        report_error(f"unexpected {type(error).__name__}: {reason} (a bug; {DEBUG_ENV}=1 shows the traceback)")
        raise SystemExit(EXIT_CRASH) from None
