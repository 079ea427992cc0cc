"""Who sees which restaurant and who may act on it.

- A restaurant's **manager** sees its page and acts (pause, resume, publish the menu).
- A restaurant's **staff** member sees its page and acts on nothing: the buttons are not shown, a POST is a 403.
- **Support staff** (``is_staff``) see every restaurant when they hold the admin permission
  ``restaurants.view_restaurant`` and act when they hold ``restaurants.change_restaurant``
  (superusers hold both): being staff is not, by itself, a right to change a restaurant.
- Anyone else gets a 404 for a restaurant they may not see: a restaurant user must not learn which others exist.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from restaurants.models import Restaurant, RestaurantMember

SUPPORT_MAY_SEE = "restaurants.view_restaurant"
SUPPORT_MAY_ACT = "restaurants.change_restaurant"


def visible_restaurants(user: AbstractBaseUser) -> QuerySet[Restaurant]:
    if user.is_staff and user.has_perm(SUPPORT_MAY_SEE):
        return Restaurant.objects.all()
    return Restaurant.objects.filter(memberships__user=user)


def may_act(user: AbstractBaseUser, restaurant: Restaurant) -> bool:
    """True if ``user`` may change what ``restaurant`` shows its channels (pause, resume, publish)."""
    if user.is_staff and user.has_perm(SUPPORT_MAY_ACT):
        return True
    return RestaurantMember.objects.filter(
        restaurant=restaurant, user=user, role=RestaurantMember.Role.MANAGER
    ).exists()


def restaurant_for(user: AbstractBaseUser, slug: str, *, to_act: bool = False) -> Restaurant:
    """The restaurant ``slug`` if ``user`` may see it (else 404) and, with ``to_act``, act on it (else 403)."""
    restaurant = get_object_or_404(visible_restaurants(user), slug=slug)
    if to_act and not may_act(user, restaurant):
        raise PermissionDenied("Only the restaurant's managers can change this.")
    return restaurant
