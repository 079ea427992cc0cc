"""Restaurant status pages: thin views over ``status.restaurant_status`` and the outbound services."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from integrations.outbound.services import (
    ChannelCannotPause,
    pause_channel,
    pause_restaurant,
    publish_catalog,
    resume_channel,
    resume_restaurant,
)

from .access import may_act, restaurant_for, visible_restaurants
from .formatting import RestaurantLocale
from .menu_items import menu_items
from .status import restaurant_status

PAUSE_CHOICES = {"15": 15, "30": 30, "60": 60, "resume": None}


@login_required
@require_GET
def restaurant_list(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/restaurant_list.html", {"restaurants": visible_restaurants(request.user)})


@login_required
@require_GET
def restaurant_page(request: HttpRequest, slug: str) -> HttpResponse:
    restaurant = restaurant_for(request.user, slug)
    can_act = may_act(request.user, restaurant)
    status = restaurant_status(restaurant, can_act=can_act)
    return render(
        request,
        "pages/restaurant.html",
        {
            "status": status,
            "refresh_ms": settings.STATUS_PAGE_REFRESH_MS,
            "can_act": can_act,
            "items": menu_items(restaurant, RestaurantLocale.of(restaurant), status.generated_at),
        },
    )


@login_required
@require_GET
def restaurant_live(request: HttpRequest, slug: str) -> HttpResponse:
    """The cards and orders alone, for the page's self-refresh (an HTML fragment)."""
    restaurant = restaurant_for(request.user, slug)
    can_act = may_act(request.user, restaurant)
    response = render(
        request, "pages/_live.html", {"status": restaurant_status(restaurant, can_act=can_act), "can_act": can_act},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def publish_menu(request: HttpRequest, slug: str, connection_id: int) -> HttpResponse:
    restaurant = restaurant_for(request.user, slug, to_act=True)
    connection = get_object_or_404(restaurant.connections.select_related("channel", "restaurant"), pk=connection_id)
    jobs = publish_catalog(restaurant, connections=[connection])
    channel = connection.channel.name
    if jobs:
        messages.success(request, _("Publishing the menu on %(channel)s…") % {"channel": channel})
    else:
        messages.warning(request, _("%(channel)s takes no menu from us (or the connection is off).")
                         % {"channel": channel})
    return back(slug)


@login_required
@require_POST
def pause(request: HttpRequest, slug: str) -> HttpResponse:
    restaurant = restaurant_for(request.user, slug, to_act=True)
    choice = request.POST.get("minutes", "30")
    if choice not in PAUSE_CHOICES:
        messages.error(request, _("Choose how long to pause."))
        return back(slug)
    minutes = PAUSE_CHOICES[choice]
    until = timezone.now() + timedelta(minutes=minutes) if minutes else None
    reason = request.POST.get("reason", "").strip()[:200] or "paused from the status page"
    try:
        pause_restaurant(restaurant, until, reason, by=request.user)
    except ValueError as exc:
        messages.error(request, _("Not paused: %(why)s.") % {"why": exc})
    else:
        messages.success(request, _("Paused on every channel for %(minutes)s minutes.") % {"minutes": minutes}
                         if minutes else _("Paused on every channel."))
    return back(slug)


@login_required
@require_POST
def resume(request: HttpRequest, slug: str) -> HttpResponse:
    restaurant = restaurant_for(request.user, slug, to_act=True)
    ended = resume_restaurant(restaurant, by=request.user)
    messages.success(request, _("Taking orders again on every channel.") if ended else _("It was not paused."))
    return back(slug)


@login_required
@require_POST
def pause_one_channel(request: HttpRequest, slug: str, connection_id: int) -> HttpResponse:
    """Pause this channel only; the restaurant keeps selling on the others."""
    restaurant = restaurant_for(request.user, slug, to_act=True)
    connection = get_object_or_404(restaurant.connections.select_related("channel", "restaurant"), pk=connection_id)
    choice = request.POST.get("minutes", "30")
    if choice not in PAUSE_CHOICES:
        messages.error(request, _("Choose how long to pause."))
        return back(slug)
    minutes = PAUSE_CHOICES[choice]
    until = timezone.now() + timedelta(minutes=minutes) if minutes else None
    reason = request.POST.get("reason", "").strip()[:200] or "paused from the status page"
    channel = connection.channel.name
    try:
        pause_channel(connection, until, reason, by=request.user)
    except ChannelCannotPause as exc:
        messages.error(request, _("Not paused: %(why)s.") % {"why": exc})
    else:
        if minutes:
            messages.success(request, _("Paused on %(channel)s for %(minutes)s minutes.")
                             % {"channel": channel, "minutes": minutes})
        else:
            messages.success(request, _("Paused on %(channel)s until you resume it.") % {"channel": channel})
    return back(slug)


@login_required
@require_POST
def resume_one_channel(request: HttpRequest, slug: str, connection_id: int) -> HttpResponse:
    restaurant = restaurant_for(request.user, slug, to_act=True)
    connection = get_object_or_404(restaurant.connections.select_related("channel", "restaurant"), pk=connection_id)
    try:
        resume_channel(connection, by=request.user)
    except ChannelCannotPause as exc:
        messages.error(request, _("Not resumed: %(why)s.") % {"why": exc})
    else:
        messages.success(request, _("Taking orders again on %(channel)s.") % {"channel": connection.channel.name})
    return back(slug)


def back(slug: str, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("pages:restaurant", args=[slug])
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)
