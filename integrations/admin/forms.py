"""Admin forms: a connection's credentials edited field by field (secrets write-only), its auto-accept and pause."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from ..channels.credentials import ChannelCredentials, credential_errors
from ..channels.features import Feature, PostAvailabilityOptions
from ..channels.registry import UnknownChannelModule, get_module, module_choices
from ..models import Channel, Connection
from ..models.connections import Environment

PREFIX = "cred__"
CLEAR_SUFFIX = "__clear"
REPLACE_SECRET_PERMISSION = "integrations.replace_connection_secret"
PAUSE_FIELDS = ("pause_now", "pause_until", "pause_reason")
RESUME_FIELDS = ("resume_now",)


class ChannelForm(forms.ModelForm):
    module = forms.ChoiceField(choices=module_choices, help_text="The channel module that speaks this channel's API")

    class Meta:
        model = Channel
        fields = ["name", "module", "sandbox_base_url", "production_base_url", "enabled"]


class ConnectionForm(forms.ModelForm):
    """Credentials appear as one input per schema field once the channel is known.

    Secret inputs are always empty: typing replaces the stored secret, leaving
    them blank keeps it. Nothing decrypted is ever put back into the page.

    On a new connection the channel and environment come from the submitted form
    (or the add page's ``?channel=&environment=``, which the page sets when they
    are chosen), so the credentials are taken in the first save. A new connection
    saved with every credential left blank stores none yet, as before.

    An existing connection also offers its channel's pause (``pause_now`` with
    an end and a reason, or ``resume_now``): the admin saves it through
    ``pause_channel`` / ``resume_channel``, so the channel is told.
    """

    pause_now = forms.BooleanField(label=_("Pause this channel"), required=False,
                                   help_text=_("The restaurant keeps selling on its other channels."))
    pause_until = forms.SplitDateTimeField(label=_("Until"), required=False, widget=AdminSplitDateTime,
                                           help_text=_("Blank: until resumed (some channels need an end)."))
    pause_reason = forms.CharField(label=_("Reason"), required=False, max_length=200)
    resume_now = forms.BooleanField(label=_("Resume this channel now"), required=False)

    class Meta:
        model = Connection
        fields = ["restaurant", "channel", "environment", "store_id", "enabled", "auto_accept",
                  "auto_accept_prep_minutes"]
        labels = {"auto_accept": _("Accept new orders at once"),
                  "auto_accept_prep_minutes": _("Preparation minutes sent with the accept")}

    def __init__(self, *args: Any, can_replace_secrets: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.can_replace_secrets = can_replace_secrets
        self.fields["auto_accept_prep_minutes"].required = False  # blank keeps what is stored
        self._offer_pause()
        self.chosen_channel, self.chosen_environment = self._chosen()
        self.schema = self._schema()
        if self.schema is None:
            return
        stored = dict(self.instance.credentials or {}) if self.instance.pk else {}
        secret_names = set(self.schema.secret_fields())
        required = set(self.schema.required_fields())
        # A new connection has no secret to replace: whoever may add one types its first secrets.
        can_replace_secrets = can_replace_secrets or self.instance.pk is None
        for name, info in self.schema.model_fields.items():
            label = name.replace("_", " ").capitalize()
            if name in secret_names:
                is_set = bool(stored.get(name))
                self.fields[PREFIX + name] = forms.CharField(
                    label=label,
                    required=False,
                    strip=True,
                    disabled=not can_replace_secrets,
                    widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                    help_text=(
                        ("Set (encrypted). Type a new value to replace it; leave blank to keep it."
                         if is_set else "Not set.")
                        if can_replace_secrets
                        else "Secret: you need the 'replace connection secret' permission to change it."
                    ),
                )
                if is_set and name not in required and can_replace_secrets:
                    self.fields[PREFIX + name + CLEAR_SUFFIX] = forms.BooleanField(
                        label=f"Remove {label.lower()}", required=False
                    )
            else:
                self.fields[PREFIX + name] = forms.CharField(
                    label=label,
                    required=name in required and self.instance.pk is not None,  # schema checks in clean
                    initial=stored.get(name, ""),
                    help_text=info.description or "",
                )

    def _offer_pause(self) -> None:
        """Pause fields on a connection that is not paused, the resume box on one that is; none on a new one."""
        paused = self.instance.pk is not None and self.instance.is_channel_paused()
        unused = (*PAUSE_FIELDS, *RESUME_FIELDS) if self.instance.pk is None else (
            PAUSE_FIELDS if paused else RESUME_FIELDS
        )
        for name in unused:
            del self.fields[name]

    def _chosen(self) -> tuple[Channel | None, str]:
        """The channel and environment the credentials are for: the connection's, or the ones being chosen."""
        if self.instance.pk:
            return self.instance.channel, self.instance.environment
        source = self.data if self.is_bound else self.initial
        channel_id = str(source.get("channel") or "")
        environment = str(source.get("environment") or Environment.SANDBOX)
        channel = Channel.objects.filter(pk=int(channel_id)).first() if channel_id.isdigit() else None
        return channel, environment

    def _schema(self) -> type[ChannelCredentials] | None:
        if self.chosen_channel is None:
            return None
        try:
            return get_module(self.chosen_channel.module).credentials_schema(self.chosen_environment)
        except (UnknownChannelModule, ValueError):
            return None

    def clean_auto_accept_prep_minutes(self) -> int:
        value = self.cleaned_data.get("auto_accept_prep_minutes")
        if value is None:
            return self.instance.auto_accept_prep_minutes
        if value < 1:
            raise forms.ValidationError(_("At least one minute."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._clean_pause(cleaned)
        if self.schema is None:
            return cleaned
        if self.instance.pk is None and not any(
            cleaned.get(PREFIX + name) for name in self.schema.model_fields
        ):
            return cleaned  # a new connection without credentials yet: they are entered on its page later
        if self.instance.pk and (
            cleaned.get("channel") != self.instance.channel or cleaned.get("environment") != self.instance.environment
        ):
            # Credentials belong to one channel and environment; a move starts from empty credentials.
            merged: dict[str, Any] = {}
        else:
            merged = dict(self.instance.credentials or {})
        for name in self.schema.model_fields:
            if name in self.schema.secret_fields():
                if cleaned.get(PREFIX + name + CLEAR_SUFFIX):
                    merged[name] = None
                elif cleaned.get(PREFIX + name):
                    merged[name] = cleaned[PREFIX + name]
            else:
                value = cleaned.get(PREFIX + name)
                merged[name] = value if value not in ("", None) else None
        merged = {key: value for key, value in merged.items() if value is not None}
        try:
            credentials = self.schema.model_validate(merged)
        except ValidationError as exc:
            for name, message in credential_errors(exc).items():
                field = PREFIX + name if PREFIX + name in self.fields else None
                self.add_error(field, f"{name}: {message}" if field is None else message)
            return cleaned
        self.instance.credentials = credentials.to_storage()
        return cleaned

    def _clean_pause(self, cleaned: dict[str, Any]) -> None:
        """Refuse, before anything is saved, a pause the channel cannot take (``pause_channel`` refuses it too)."""
        if not cleaned.get("pause_now"):
            return
        until = cleaned.get("pause_until")
        if until is not None and until <= timezone.now():
            self.add_error("pause_until", _("Must be in the future: a pause already over would stop nothing."))
            return
        refusal = pause_refusal(self.instance.channel, until)
        if refusal:
            self.add_error("pause_until" if until is None else "pause_now", refusal)


def pause_refusal(channel: Channel, until: Any) -> str:
    """Why ``channel`` would refuse a pause until ``until`` (None: open-ended), or "" when it takes it.

    The module's declaration says it; the service (``pause_channel``) holds the same rule and is
    the one that writes. Asked here so the refusal is a form error rather than a half-saved page.
    """
    try:
        module = get_module(channel.module)
    except UnknownChannelModule as exc:
        return str(exc)
    declaration = module.features[Feature.POST_AVAILABILITY]
    options = module.features.options(Feature.POST_AVAILABILITY)
    if not declaration.supported or not isinstance(options, PostAvailabilityOptions) or not options.pause:
        why = getattr(declaration, "reason", "") or "its API has no pause"
        return f"{channel.name} cannot be paused from here: {why}"
    if until is None and options.pause_needs_until:
        return f"{channel.name} needs an end time for a pause"
    return ""
