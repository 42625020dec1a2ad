"""``statemedia serve``: the web workbench and REST API over a store (uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import StatemediaError
from . import app
from ._common import err, fail
from ._db import DbOption, existing_db


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="address to listen on (127.0.0.1: this machine only)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    token: Annotated[
        str | None, typer.Option(help="enables writes (POST /api/ingest) for this bearer token [$STATEMEDIA_TOKEN]")
    ] = None,
) -> None:
    """Serve the workbench: search, articles with highlights, activities, trends; REST API under /api."""
    import uvicorn

    from ..web.app import create_app

    path = existing_db(db)
    try:
        web = create_app(path, token=token)
    except StatemediaError as exc:
        fail(exc)
    mode = "read-write (token set)" if web.state.token_check.token else "read-only"
    err.print(f"serving {path} on http://{host}:{port} ({mode})", markup=False)
    uvicorn.run(web, host=host, port=port, log_level="warning")
