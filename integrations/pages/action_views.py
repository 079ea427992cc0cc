"""The page's buttons on orders, reservations, menu items and failed sync jobs; each calls its service.

- an order or reservation moves through ``change_order_status`` (which queues it for the channel);
- an item goes out of stock until a time, or back on sale, through the catalog's ``snooze`` / ``unsnooze``
  (found by SKU with the catalog API's ``find_item``), which queue one catalog job per channel;
- a failed job is sent again through ``job_actions.retry_jobs``.
Managers act; anyone else who may see the restaurant gets a 403 (``access.restaurant_for``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api.services.catalog_items import find_item
from catalog.models import Option, Product
from integrations.models import SyncJob
from integrations.outbound.job_actions import retry_jobs
from integrations.outbound.services import change_order_status, snooze, unsnooze
from orders.models import Order, StatusSource

from .access import restaurant_for
from .formatting import RestaurantLocale
from .menu_items import until_from_clock
from .order_actions import action_for
from .views import back


@login_required
@require_POST
def order_action(request: HttpRequest, slug: str, order_id: int, verb: str) -> HttpResponse:
    restaurant = restaurant_for(request.user, slug, to_act=True)
    order = get_object_or_404(Order.objects.filter(restaurant=restaurant, is_test=False), pk=order_id)
    action = action_for(order, verb)
    if action is None:
        raise Http404("no such action for this order")
    code = order.display_code or order.channel_order_id or str(order.pk)
    reason = request.POST.get("reason", "").strip()[:300]
    try:
        change = change_order_status(order, action.status, reason=reason, source=StatusSource.STAFF)
    except ValueError as exc:
        messages.error(request, _("%(code)s not changed: %(why)s.") % {"code": code, "why": exc})
        return back(slug, f"order-{order.pk}")
    if change.applied:
        messages.success(request, _("%(code)s: %(action)s. Telling the channel…") % {"code": code,
                                                                                  "action": action.label})
    else:
        messages.warning(request, _("%(code)s was not changed: %(why)s.") % {"code": code, "why": change.reason})
    return back(slug, f"order-{order.pk}")


@login_required
@require_POST
def item_out_of_stock(request: HttpRequest, slug: str) -> HttpResponse:
    restaurant = restaurant_for(request.user, slug, to_act=True)
    item = _snoozable(restaurant, request.POST.get("sku", ""))
    locale = RestaurantLocale.of(restaurant)
    now = timezone.now()
    try:
        until = until_from_clock(request.POST.get("until", ""), locale, now)
    except ValueError:
        messages.error(request, _("Give the time it is back on sale, e.g. 23:00."))
        return back(slug, "items")
    jobs = snooze(item, until)
    messages.success(request, _("%(item)s is out of stock until %(when)s; telling %(count)s channel(s)…")
                     % {"item": item.name, "when": locale.when(until, now), "count": len(jobs)})
    return back(slug, "items")


@login_required
@require_POST
def item_back_on_sale(request: HttpRequest, slug: str) -> HttpResponse:
    restaurant = restaurant_for(request.user, slug, to_act=True)
    item = _snoozable(restaurant, request.POST.get("sku", ""))
    jobs = unsnooze(item)
    messages.success(request, _("%(item)s is back on sale; telling %(count)s channel(s)…")
                     % {"item": item.name, "count": len(jobs)})
    return back(slug, "items")


@login_required
@require_POST
def retry_job(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    restaurant = restaurant_for(request.user, slug, to_act=True)
    job = get_object_or_404(SyncJob.objects.filter(connection__restaurant=restaurant).only("id"), pk=job_id)
    changed = retry_jobs([job.pk])
    if changed.changed:
        messages.success(request, _("Sending it again…"))
    else:
        why = "; ".join(refusal.reason for refusal in changed.refused)
        messages.error(request, _("Not sent again: %(why)s.") % {"why": why})
    return back(slug)


def _snoozable(restaurant, sku: str) -> Product | Option:
    item = find_item(restaurant, sku.strip())  # 404 for a SKU that is not this restaurant's
    if not isinstance(item, Product | Option):
        raise Http404("a size cannot be marked out of stock alone: mark its product")
    return item
