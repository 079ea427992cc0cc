"""Admin forms: a connection's credentials edited field by field, secrets write-only."""

from __future__ import annotations

from typing import Any

from django import forms
from pydantic import ValidationError

from ..channels.credentials import ChannelCredentials, credential_errors
from ..channels.registry import UnknownChannelModule, get_module, module_choices
from ..models import Channel, Connection

PREFIX = "cred__"
CLEAR_SUFFIX = "__clear"
REPLACE_SECRET_PERMISSION = "integrations.replace_connection_secret"


class ChannelForm(forms.ModelForm):
    module = forms.ChoiceField(choices=module_choices, help_text="The channel module that speaks this channel's API")

    class Meta:
        model = Channel
        fields = ["name", "module", "sandbox_base_url", "production_base_url", "enabled"]


class ConnectionForm(forms.ModelForm):
    """Credentials appear as one input per schema field once the channel is known.

    Secret inputs are always empty: typing replaces the stored secret, leaving
    them blank keeps it. Nothing decrypted is ever put back into the page.
    """

    class Meta:
        model = Connection
        fields = ["restaurant", "channel", "environment", "store_id", "enabled"]

    def __init__(self, *args: Any, can_replace_secrets: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.can_replace_secrets = can_replace_secrets
        self.schema = self._schema()
        if self.schema is None:
            return
        stored = dict(self.instance.credentials or {}) if self.instance.pk else {}
        secret_names = set(self.schema.secret_fields())
        required = set(self.schema.required_fields())
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
                    required=name in required,
                    initial=stored.get(name, ""),
                    help_text=info.description or "",
                )

    def _schema(self) -> type[ChannelCredentials] | None:
        channel = self.instance.channel if self.instance.pk else None
        if channel is None:
            return None
        try:
            return get_module(channel.module).credentials_schema(self.instance.environment)
        except UnknownChannelModule:
            return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.schema is None:
            return cleaned
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
