"""Watchlists in the workbench: the /watchlists page (watchlists, their recent alerts, a form
to add or remove one), each watchlist's Atom feed, and the JSON API.

Reads are open. Writes need the operator's token, as every write route: ``Authorization:
Bearer <token>`` (the API, scripts), or for the page's forms, which a browser cannot give
that header, the same token in the form's ``token`` field, checked the same way.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..errors import StatemediaError
from ..store import Store, open_store
from ..watch import alerts as model
from ..watch.deliver import atom_feed
from .pages import render
from .params import capped_body, workbench
from .security import TokenCheck, require_token
from .service import Workbench

__all__ = ["router"]

router = APIRouter()
WB = Annotated[Workbench, Depends(workbench)]
_RECENT = 20  # alerts shown per watchlist on the page and in the API
_FEED = 100  # alerts in a feed
_MAX_FORM = 64 * 1024  # a watchlist form or JSON body is a few hundred bytes


@contextmanager
def _store(wb: Workbench) -> Iterator[Store]:
    # A connection of its own: the workbench's connection serves the index and searches.
    store = open_store(wb.db_path, wb.config)
    try:
        yield store
    finally:
        store.close()


def _listing(wb: Workbench) -> list[dict[str, Any]]:
    with _store(wb) as store:
        return [{**wl.to_dict(), "alerts": [a.to_dict() for a in model.recent_alerts(store, wl.name, _RECENT)]}
                for wl in model.watchlists(store)]


def _authorize(request: Request, form_token: str | None) -> None:
    """The app's token check: the Authorization header when given, else the form's token field."""
    if request.headers.get("authorization") or form_token is None:
        require_token(request)
        return
    check: TokenCheck = request.app.state.token_check
    if check.token is None:
        raise HTTPException(403, "writes are disabled: the operator sets STATEMEDIA_TOKEN or --token")
    if not secrets.compare_digest(form_token.encode(), check.token.encode()):
        raise HTTPException(401, "a valid token is required")


def _rules_from_form(form: dict[str, str]) -> list[dict[str, Any]]:
    """The rules the page's form fills in (each group of fields one rule, when its main field is set)."""
    rules: list[dict[str, Any]] = []
    if form.get("match"):
        rules.append({"kind": "match", "query": form["match"], "person": form.get("person"),
                      "outlet": form.get("outlet")})
    if form.get("removed"):
        rules.append({"kind": "removed", "person": form["removed"]})
    if form.get("unseen"):
        try:
            days = int(form.get("days") or "")
        except ValueError:
            raise HTTPException(422, "rule (unseen): 'days' must be a whole number of days") from None
        rules.append({"kind": "unseen", "person": form["unseen"], "days": days})
    if form.get("activity"):
        rules.append({"kind": "activity", "activity": form["activity"], "leader": form.get("leader")})
    return rules


def _create(wb: Workbench, name: str, rules: list[Any], webhook: str | None, emails: list[str]) -> model.Watchlist:
    with _store(wb) as store:
        try:
            return model.add_watchlist(store, name, rules, webhook=webhook or None, emails=emails)
        except StatemediaError as exc:
            raise HTTPException(422, str(exc)) from None


def _remove(wb: Workbench, name: str) -> None:
    with _store(wb) as store:
        if not model.remove_watchlist(store, name):
            raise HTTPException(404, f"no watchlist named {name!r}")


async def _form(request: Request) -> dict[str, str]:
    body = await capped_body(request, _MAX_FORM, "a watchlist form")
    return {k: v[0].strip() for k, v in parse_qs(body.decode("utf-8", errors="replace")).items()}


# --- pages ----------------------------------------------------------------------------------


@router.get("/watchlists", include_in_schema=False, response_class=HTMLResponse)
def watchlists_page(request: Request, wb: WB) -> HTMLResponse:
    from ..extract.activity_model import KINDS

    return render(request, "watchlists.html", watchlists=_listing(wb), kinds=KINDS)


@router.post("/watchlists", include_in_schema=False)
async def watchlists_add(request: Request, wb: WB) -> Response:
    """Add a watchlist from the page's form (one rule of each kind at most), then back to the page."""
    form = await _form(request)
    _authorize(request, form.get("token"))
    emails = [e.strip() for e in form.get("email", "").split(",") if e.strip()]
    await run_in_threadpool(_create, wb, form.get("name", ""), _rules_from_form(form), form.get("webhook"), emails)
    return RedirectResponse("/watchlists", status_code=303)


@router.post("/watchlists/{name}/remove", include_in_schema=False)
async def watchlists_remove(request: Request, wb: WB, name: str) -> Response:
    form = await _form(request)
    _authorize(request, form.get("token"))
    await run_in_threadpool(_remove, wb, name)
    return RedirectResponse("/watchlists", status_code=303)


@router.get("/watchlists/{name}.atom", summary="An Atom feed of a watchlist's alerts", tags=["api"])
def watchlist_feed(request: Request, wb: WB, name: str) -> Response:
    with _store(wb) as store:
        if model.get_watchlist(store, name) is None:
            raise HTTPException(404, f"no watchlist named {name!r}")
        recent = model.recent_alerts(store, name, _FEED)
    body = atom_feed(name, recent, self_url=str(request.url), base_url=str(request.base_url))
    return Response(body, media_type="application/atom+xml; charset=utf-8")


# --- API ------------------------------------------------------------------------------------


@router.get("/api/watchlists", summary="Watchlists with their rules, channels and recent alerts", tags=["api"])
def api_watchlists(wb: WB) -> dict[str, Any]:
    return {"watchlists": _listing(wb)}


@router.post(
    "/api/watchlists", summary="Add a watchlist (needs the operator's token)", tags=["api"], status_code=201,
    dependencies=[Depends(require_token)],
)
async def api_watchlists_add(request: Request, wb: WB) -> dict[str, Any]:
    """Body: ``{"name": ..., "rules": [{"kind": ...}, ...], "webhook": URL?, "email": [ADDR, ...]?}``."""
    try:
        body = json.loads(await capped_body(request, _MAX_FORM, "a watchlist body"))
    except ValueError:
        raise HTTPException(400, "the body is not JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("rules"), list):
        raise HTTPException(422, 'send {"name": ..., "rules": [...], "webhook": ..., "email": [...]}')
    emails = body.get("email") or []
    if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
        raise HTTPException(422, "'email' is a list of addresses")
    webhook = body.get("webhook")
    if webhook is not None and not isinstance(webhook, str):
        raise HTTPException(422, "'webhook' is a URL")
    wl = await run_in_threadpool(_create, wb, str(body.get("name") or ""), body["rules"], webhook, emails)
    return wl.to_dict()


@router.delete(
    "/api/watchlists/{name}", summary="Remove a watchlist and its alerts (needs the operator's token)", tags=["api"],
    dependencies=[Depends(require_token)],
)
async def api_watchlists_remove(wb: WB, name: str) -> dict[str, Any]:
    await run_in_threadpool(_remove, wb, name)
    return {"removed": name}
