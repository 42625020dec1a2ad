"""Security of the workbench: response headers (CSP and friends) and the write token.

Pages carry no inline script or style (JS and CSS are files under /static), so the
policy can forbid both: an article whose text smuggles markup past escaping still
cannot run script. Reads are open; writes need the operator's token.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import Response

__all__ = ["CSP", "SecurityHeaders", "TokenCheck", "operator_token", "require_token"]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def operator_token(token: str | None) -> str | None:
    """The write token: given (``--token``), else $STATEMEDIA_TOKEN; empty means writes are off."""
    chosen = token if token is not None else os.environ.get("STATEMEDIA_TOKEN")
    return chosen or None


class TokenCheck:
    """A dependency for write endpoints: ``Authorization: Bearer <token>``."""

    def __init__(self, token: str | None) -> None:
        self.token = token

    def __call__(self, request: Request) -> None:
        if self.token is None:
            raise HTTPException(403, "writes are disabled: the operator sets STATEMEDIA_TOKEN or --token")
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(given.encode(), self.token.encode()):
            raise HTTPException(401, "a valid token is required: Authorization: Bearer <token>",
                                headers={"WWW-Authenticate": "Bearer"})


def require_token(request: Request) -> None:
    """The app's :class:`TokenCheck` (set by ``create_app``) as a route dependency."""
    check: TokenCheck = request.app.state.token_check
    check(request)
