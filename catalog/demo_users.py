"""Demo logins: a support superuser and Casa Lucía's manager.

Existing users are never touched: their passwords may have been changed by a
person, and silently resetting them would lock that person out.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from restaurants.models import Restaurant, RestaurantMember

ADMIN_USERNAME = "admin"
MANAGER_USERNAME = "lucia"


@dataclass(frozen=True)
class DemoLogin:
    """A login to print; `password` is None when the user already existed (we do not know it)."""

    username: str
    password: str | None
    created: bool
    description: str


def generate_password() -> str:
    """A random password for a first run without DEMO_*_PASSWORD in the environment."""
    return secrets.token_urlsafe(12)


@transaction.atomic
def ensure_demo_users(
    restaurant: Restaurant, *, admin_password: str | None = None, manager_password: str | None = None
) -> list[DemoLogin]:
    """Create `admin` (superuser) and `lucia` (manager of `restaurant`) when missing."""
    user_model = get_user_model()
    logins: list[DemoLogin] = []

    admin = user_model.objects.filter(username=ADMIN_USERNAME).first()
    if admin is None:
        password = admin_password or generate_password()
        user_model.objects.create_superuser(ADMIN_USERNAME, "admin@sinqro.example", password)
        logins.append(DemoLogin(ADMIN_USERNAME, password, True, "support superuser"))
    else:
        logins.append(DemoLogin(ADMIN_USERNAME, None, False, "support superuser"))

    manager_role = f"manager of {restaurant.name}; restaurant pages, not the admin"
    manager = user_model.objects.filter(username=MANAGER_USERNAME).first()
    if manager is None:
        password = manager_password or generate_password()
        manager = user_model.objects.create_user(
            MANAGER_USERNAME, "lucia@casalucia.example", password, first_name="Lucía"
        )
        logins.append(DemoLogin(MANAGER_USERNAME, password, True, manager_role))
    else:
        logins.append(DemoLogin(MANAGER_USERNAME, None, False, manager_role))
    # The membership is data, not a credential: restore it even for an existing user.
    RestaurantMember.objects.get_or_create(
        restaurant=restaurant, user=manager, defaults={"role": RestaurantMember.Role.MANAGER}
    )
    return logins
