"""The workbench app: ``create_app(db_path)`` for uvicorn, tests and ``statemedia serve``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from ..config import Config
from ..errors import QueryError, StatemediaError
from . import api, changes, claims, pages, watchlists
from .security import SecurityHeaders, TokenCheck, operator_token
from .service import Workbench

__all__ = ["create_app"]


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return pages.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status, headers=headers
    )


def create_app(db_path: str | Path, *, token: str | None = None, config: Config | None = None) -> FastAPI:
    """The web app over the store at ``db_path``. Writes need ``token`` (else $STATEMEDIA_TOKEN);
    with neither, the app is read-only."""
    workbench = Workbench(db_path, config)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        workbench.close()

    app = FastAPI(
        title="statemedia",
        summary="The analyst's workbench for state media: search, articles, activities, trends.",
        version="1",
        openapi_url="/api/openapi.json",
        # The interactive docs load their script from a CDN: the schema is served, the UI is not.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.workbench = workbench
    app.state.token_check = TokenCheck(operator_token(token))
    app.add_middleware(SecurityHeaders)
    static = resources.files("statemedia.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(changes.router)
    app.include_router(claims.router)
    app.include_router(watchlists.router)

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> Response:
        return _error(request, 400, exc.reason)

    @app.exception_handler(StatemediaError)
    async def failed(request: Request, exc: StatemediaError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail), dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}" for e in exc.errors()
        )
        return _error(request, 422, problems)

    return app
