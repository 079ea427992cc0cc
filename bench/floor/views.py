"""The floor endpoint: same middleware, same server, same database; no lookup, no check, no dedup, no queue."""

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .models import FloorEvent


@csrf_exempt
@transaction.non_atomic_requests
def floor(request: HttpRequest, token: str) -> JsonResponse:
    event = FloorEvent.objects.create(body=request.body)
    return JsonResponse({"event_id": event.pk, "status": "accepted"}, status=202)
