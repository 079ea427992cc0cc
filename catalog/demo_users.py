"""Demo logins: a support superuser and Casa Lucía's manager.

An existing user's password changes only when asked: ``DEMO_ADMIN_PASSWORD`` / ``DEMO_MANAGER_PASSWORD`` set
it (on a first run and on every later one), ``reset`` generates new ones. Without either, it stays as it is (a
person may have changed it); the password cannot be shown again (only its hash is stored), so the command says
how to get one.
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
    """A login to print; `password` is None when it was left unchanged (we do not know it)."""

    username: str
    password: str | None
    created: bool
    description: str
    reset: bool = False
    """An existing user whose password was set now (from the environment, or generated on request)."""


def generate_password() -> str:
    """A random password for a first run (or a reset) without DEMO_*_PASSWORD in the environment."""
    return secrets.token_urlsafe(12)


@transaction.atomic
def ensure_demo_users(
    restaurant: Restaurant,
    *,
    admin_password: str | None = None,
    manager_password: str | None = None,
    reset: bool = False,
) -> list[DemoLogin]:
    """Create `admin` (superuser) and `lucia` (manager of `restaurant`) when missing; set given passwords."""
    user_model = get_user_model()

    admin = user_model.objects.filter(username=ADMIN_USERNAME).first()
    admin_created = admin is None
    if admin is None:
        admin = user_model.objects.create_superuser(ADMIN_USERNAME, "admin@sinqro.example", None)
    manager = user_model.objects.filter(username=MANAGER_USERNAME).first()
    manager_created = manager is None
    if manager is None:
        manager = user_model.objects.create_user(MANAGER_USERNAME, "lucia@casalucia.example", None, first_name="Lucía")
    manager_role = f"manager of {restaurant.name}; restaurant pages, not the admin"
    logins = [
        _password(admin, admin_created, admin_password, reset, "support superuser"),
        _password(manager, manager_created, manager_password, reset, manager_role),
    ]
    # The membership is data, not a credential: restore it even for an existing user.
    RestaurantMember.objects.get_or_create(
        restaurant=restaurant, user=manager, defaults={"role": RestaurantMember.Role.MANAGER}
    )
    return logins


def _password(user, created: bool, given: str | None, reset: bool, description: str) -> DemoLogin:
    if not (created or given or reset):
        return DemoLogin(user.username, None, False, description)
    password = given or generate_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    return DemoLogin(user.username, password, created, description, reset=not created)
