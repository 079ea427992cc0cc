"""The one error shape of the market: ``{"error": {"code", "message"}}`` with a 4xx/5xx status.

Handlers raise the kit's :class:`ApiError`; the market's App words it in this
shape (see :mod:`.routes`), so bad input can never surface as a 500 or kill a
server thread.
"""

from __future__ import annotations

from ..kit.http import ApiError

__all__ = ["ApiError", "body", "conflict", "not_found", "unprocessable"]


def body(code: str, message: str) -> dict[str, object]:
    return {"error": {"code": code, "message": message}}


def unprocessable(code: str, message: str) -> ApiError:
    return ApiError(422, code, message)


def not_found(code: str, message: str) -> ApiError:
    return ApiError(404, code, message)


def conflict(code: str, message: str) -> ApiError:
    return ApiError(409, code, message)
