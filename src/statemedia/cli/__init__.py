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
    from ..errors import StatemediaError
    from . import commands  # noqa: F401
    from ._common import EXIT_INPUT, report_error

    try:
        app()
    except StatemediaError as error:
        # Anything a command did not handle itself (a missing model, a broken store) is still
        # one line on stderr naming what and why, never a traceback.
        report_error(error)
        raise SystemExit(EXIT_INPUT) from None
