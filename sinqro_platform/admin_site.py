"""The admin site: a password and, when ``SINQRO_ADMIN_REQUIRES_2FA`` is on, a TOTP code.

Support staff see channel credentials in admin, so in production (the default whenever ``DEBUG`` is off) a password
alone does not open it: the login form asks for the 6-digit code of a confirmed TOTP device
(``manage.py add_totp_device <username>``, or a "TOTP device" added in admin), and a session counts as staff for
admin only once a device verified it. In development, the demo and the test suite the setting is off and the site
is Django's plain one. The setting is read per request, so tests can switch it with ``settings``.

A wrong code counts as a failed login for django-axes, like a wrong password: five of either lock that username
from that address (README "Staff logins").
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.auth.signals import user_login_failed
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.models import Device


def admin_requires_2fa() -> bool:
    return bool(getattr(settings, "SINQRO_ADMIN_REQUIRES_2FA", False))


class TwoFactorAdminLoginForm(OTPAdminAuthenticationForm):
    """Username, password and the 6-digit code; the device is the user's only one unless they have several."""

    otp_token = forms.CharField(
        required=False, label="Code from your authenticator app", max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}),
    )
    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": "Enter the 6-digit code from your authenticator app.",
        "invalid_token": "That code is not right (or has expired): enter the current 6-digit code.",
        "device_required": "Choose which authenticator the code comes from.",
        "no_device": (
            "Two-factor login is required for admin and this account has no authenticator yet: ask an "
            "administrator to enrol one (manage.py add_totp_device <username>)."
        ),
    }

    def clean_otp(self, user):
        if user is None:  # the password was wrong: Django's error (and axes' count) already apply
            return
        if not list(devices_for_user(user)):
            raise forms.ValidationError(self.otp_error_messages["no_device"], code="no_device")
        try:
            super().clean_otp(user)
        except forms.ValidationError:
            if self.cleaned_data.get("otp_token"):
                # A guessed code is a failed login like a guessed password: axes counts it for the lockout.
                user_login_failed.send(
                    sender=type(self), request=self.request,
                    credentials={"username": self.cleaned_data.get("username")},
                )
            raise

    def _chosen_device(self, user):
        if self.cleaned_data.get("otp_device"):
            return super()._chosen_device(user)  # checks the chosen device is this user's
        devices = list(devices_for_user(user))
        if len(devices) == 1:
            return Device.from_persistent_id(devices[0].persistent_id, for_verify=True)
        return None  # several: the form shows the choice (device_required)

    def has_several_devices(self) -> bool:
        user = self.get_user()
        return user is not None and len(list(devices_for_user(user))) > 1


class SinqroAdminSite(OTPAdminSite):
    """``admin.site``: django-otp's admin site when ``SINQRO_ADMIN_REQUIRES_2FA`` is on, Django's plain one when off."""

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)  # "admin", not OTPAdminSite's "otpadmin": every reverse("admin:…") keeps working

    @property
    def login_form(self):
        return TwoFactorAdminLoginForm if admin_requires_2fa() else None  # None: Django's AdminAuthenticationForm

    @property
    def login_template(self):
        return "admin/login_2fa.html" if admin_requires_2fa() else None

    def has_permission(self, request) -> bool:
        if admin_requires_2fa():
            return super().has_permission(request)  # active staff and verified by a device in this session
        return AdminSite.has_permission(self, request)
