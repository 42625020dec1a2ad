"""``statemedia serve``: the web workbench and REST API over a store (uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import StatemediaError
from ..store import default_db_path
from . import app
from ._common import ConfigOption, err, fail, load_settings
from ._db import DbOption, existing_db


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="address to listen on (127.0.0.1: this machine only)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    token: Annotated[
        str | None, typer.Option(help="enables writes (POST /api/ingest) for this bearer token [$STATEMEDIA_TOKEN]")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Serve the workbench: search, articles with highlights, activities, trends; REST API under /api."""
    import uvicorn

    from ..web.app import create_app

    settings = load_settings(config)  # [web] limits, and the pipeline /analyze runs
    path = existing_db(db if db is not None else default_db_path(settings))
    try:
        web = create_app(path, token=token, config=settings)
    except StatemediaError as exc:
        fail(exc)
    mode = "read-write (token set)" if web.state.token_check.token else "read-only"
    err.print(f"serving {path} on http://{host}:{port} ({mode})", markup=False)
    uvicorn.run(web, host=host, port=port, log_level="warning")
