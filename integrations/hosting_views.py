"""``GET /channel-files/<token>``: a hosted document for the channel that downloads it (no login: the token is
the secret). 404 when unknown or expired; 401 when the document needs a Bearer token and the request lacks it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from . import hosting


@require_safe
def channel_file(request: HttpRequest, token: str) -> HttpResponse:
    document = hosting.servable(token)
    if document is None:
        raise Http404("no such file, or it has expired")
    if not hosting.bearer_accepted(document, request.headers.get("Authorization", "")):
        response = HttpResponse("this file needs Authorization: Bearer <token>", status=401,
                                content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = 'Bearer realm="channel-files"'
        return response
    hosting.count_download(document)
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
