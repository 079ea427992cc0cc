"""The webhook endpoint: thin; ``receiving`` decides, this turns its reply into JSON or the channel's own answer."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from .receiving import Reply, error, receive


def _respond(reply: Reply) -> HttpResponse:
    declared = reply.acknowledgement
    if declared is None:
        return JsonResponse(reply.body, status=reply.status)
    response = HttpResponse(declared.body, status=declared.status, content_type=declared.content_type)
    if declared.content_type is None:
        del response["Content-Type"]  # an empty body has no type (Django would say text/html)
    return response


# A plain Django view, not DRF: the hot path needs no negotiation, parsers or auth classes.
# Outside ATOMIC_REQUESTS so a stored event (or rejection) never rolls back with the answer.
@method_decorator([csrf_exempt, transaction.non_atomic_requests], name="dispatch")
class WebhookView(View):
    http_method_names = ["post", "put"]

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        return _respond(receive(request, token))

    def put(self, request: HttpRequest, token: str) -> HttpResponse:
        return _respond(receive(request, token))

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = _respond(error(405, "method_not_allowed", "webhooks are POST or PUT"))
        response["Allow"] = "POST, PUT"
        return response
