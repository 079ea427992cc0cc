"""The integration coverage document: what we integrated for a channel, what not, and why.

Built from the module's declaration (and, once validation runs exist, the
latest result per feature). Rendered as Markdown or printable HTML, in the
active language (English or Spanish: build and render it inside
``translation.override``). The platform's words are translated; the module's
own texts (why a feature is not integrated, its notes, the consequence of a
missed deadline, the fields it does not read) stay as the module wrote them,
in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .channels.base import ChannelModule
from .channels.features import Feature, Supported
from .channels.limits import CountsFrom, Deadline, RateLimit
from .coverage_labels import (
    COUNTS_FROM,
    FEATURE_TITLES,
    KINDS,
    RESULTS,
    SCOPES,
    describe_options,
    service_word,
    status_word,
)


@dataclass(frozen=True)
class ValidationOutcome:
    result: str  # passed / failed / skipped
    detail: str
    at: datetime

    @property
    def result_label(self) -> str:
        return str(RESULTS.get(self.result, self.result))


@dataclass(frozen=True)
class FeatureCoverage:
    feature: Feature
    title: str
    integrated: bool
    reason: str
    options: list[str]
    notes: str
    validation: ValidationOutcome | None = None


@dataclass(frozen=True)
class CoverageDocument:
    slug: str
    channel_name: str
    generated_at: datetime
    features: list[FeatureCoverage]
    rate_limits: list[str]
    deadlines: list[str]
    credentials: list[str]
    secret_credentials: list[str]
    statuses_in: list[tuple[str, str]]
    statuses_out: list[tuple[str, str]]
    documentation: list[str] = field(default_factory=list)
    webhook_signs_body: bool = True
    webhook_content_types: list[str] = field(default_factory=lambda: ["application/json"])
    ignored_fields: list[tuple[str, str]] = field(default_factory=list)
    """(field path, why we do not read it): the module's ``ignored_fields``."""
    known_gaps: list[tuple[str, str]] = field(default_factory=list)
    """(field path, the defect): fields the module drops today although the channel means something by them."""
    webhook_acknowledgement: str = ""
    language: str = "en"

    @property
    def integrated_count(self) -> int:
        return sum(1 for item in self.features if item.integrated)

    @property
    def webhook_authentication(self) -> str:
        """How the channel's webhooks prove themselves, from ``webhook_signs_body`` and ``webhook_content_types``."""
        if self.webhook_signs_body:
            how = _("the body is signed: a changed body is rejected before it is stored")
        else:
            how = _(
                "a shared token, the body is not signed: the token proves the sender, "
                "a changed body cannot be detected"
            )
        return _("%(how)s; content types: %(types)s") % {"how": how, "types": ", ".join(self.webhook_content_types)}


def platform_acknowledgement() -> str:
    return _(
        'the platform\'s JSON: HTTP 202 {"event_id", "status": "accepted"}; a redelivery of an event we hold gets '
        'HTTP 200 "duplicate"'
    )


def fields_note() -> str:
    return _(
        "Every field the channel sends is read or listed here with the reason (paths: keys joined with '.', '[]' "
        "for the items of a list, '**' at any depth). Our automated checks fail on a field of the channel's "
        "documented payloads that is neither."
    )


def known_gaps_note() -> str:
    return _("Fields the channel means something by that the module drops today: defects, not choices.")


def status_override_note() -> str:
    return _("A row naming a service (e.g. Collection) overrides the general row for orders of that service.")


def module_texts_note() -> str:
    return _("The reasons, notes and field explanations are the module's own words, in English.")


def build_coverage(
    module: ChannelModule, validations: Mapping[Feature, ValidationOutcome] | None = None
) -> CoverageDocument:
    """The document in the active language (see the module docstring)."""
    validations = validations or {}
    features = []
    for feature, declaration in module.features.items():
        supported = isinstance(declaration, Supported)
        features.append(
            FeatureCoverage(
                feature=feature,
                title=str(FEATURE_TITLES[feature]),
                integrated=supported,
                reason="" if supported else declaration.reason,
                options=describe_options(module.features.options(feature)) if supported else [],
                notes=declaration.notes if supported else "",
                validation=validations.get(feature),
            )
        )
    statuses_in, statuses_out = [], []
    for kind, status_map in (("order", module.order_statuses), ("reservation", module.reservation_statuses)):
        if status_map is None:
            continue
        label = str(KINDS[kind])
        statuses_in += [(f"{code} ({label})", status_word(str(s))) for code, s in status_map.inbound.items()]
        statuses_out += [(f"{status_word(str(s))} ({label})", code) for s, code in status_map.outbound.items()]
        # Per service type overrides: the row naming a service type wins over the general row for that type.
        for service_type, mapping in status_map.inbound_by_service.items():
            service = service_word(str(service_type))
            statuses_in += [(f"{code} ({service})", status_word(str(status))) for code, status in mapping.items()]
        for service_type, mapping in status_map.outbound_by_service.items():
            service = service_word(str(service_type))
            statuses_out += [(f"{status_word(str(status))} ({service})", code) for status, code in mapping.items()]
    schema = module.credentials
    return CoverageDocument(
        slug=module.slug,
        channel_name=module.name,
        generated_at=timezone.now(),
        features=features,
        rate_limits=[_rate_limit(limit) for limit in module.rate_limits],
        deadlines=[_deadline(deadline) for deadline in module.deadlines],
        credentials=schema.plain_fields(),
        secret_credentials=schema.secret_fields(),
        statuses_in=statuses_in,
        statuses_out=statuses_out,
        documentation=list(module.documentation),
        webhook_signs_body=module.webhook_signs_body,
        webhook_content_types=list(module.webhook_content_types),
        ignored_fields=sorted(module.ignored_fields.items()),
        known_gaps=sorted(module.known_gaps.items()),
        webhook_acknowledgement=(
            module.acknowledgement.describe() if module.acknowledgement is not None else platform_acknowledgement()
        ),
        language=translation.get_language() or "en",
    )


def render_markdown(document: CoverageDocument) -> str:
    with translation.override(document.language):
        return _markdown(document)


def _markdown(document: CoverageDocument) -> str:
    yes, no = _("yes"), _("no")
    lines = [
        _("# Integration coverage: %(channel)s") % {"channel": document.channel_name},
        "",
        _("Module `%(slug)s` · generated %(when)s UTC · %(count)s of %(total)s features integrated")
        % {
            "slug": document.slug, "when": f"{document.generated_at:%Y-%m-%d %H:%M}",
            "count": document.integrated_count, "total": len(document.features),
        },
        "",
        module_texts_note(),
        "",
        f"| {_('Feature')} | {_('Integrated')} | {_('Why not / options')} | {_('Last validation')} |",
        "| --- | --- | --- | --- |",
    ]
    for item in document.features:
        detail = item.reason if not item.integrated else "; ".join(item.options + ([item.notes] if item.notes else []))
        validation = (
            f"{item.validation.result_label} ({item.validation.at:%Y-%m-%d})"
            + (f": {item.validation.detail}" if item.validation.detail else "")
            if item.validation
            else _("not validated yet")
        )
        lines.append(f"| {item.title} | {yes if item.integrated else no} | {_cell(detail)} | {_cell(validation)} |")
    lines += ["", "## " + _("Limits and deadlines"), ""]
    lines += [f"- {_('Rate limit')}: {limit}" for limit in document.rate_limits] or [
        f"- {_('No rate limits declared')}"
    ]
    lines += [f"- {_('Deadline')}: {deadline}" for deadline in document.deadlines] or [
        f"- {_('No deadlines declared')}"
    ]
    lines += ["", "## " + _("Webhooks"), "", f"- {_('Webhook authentication')}: {document.webhook_authentication}"]
    if document.webhook_acknowledgement:
        lines += [f"- {_('Webhook acknowledgement')}: {document.webhook_acknowledgement}"]
    lines += ["", "## " + _("Status mapping"), "", status_override_note(), ""]
    lines += [f"| {_('Channel status')} | {_('Sinqro status')} |", "| --- | --- |"]
    lines += [f"| {code} | {status} |" for code, status in document.statuses_in]
    lines += ["", f"| {_('We post')} | {_('Channel status')} |", "| --- | --- |"]
    lines += [f"| {status} | {code} |" for status, code in document.statuses_out]
    lines += ["", "## " + _("Fields we do not read"), "", fields_note(), ""]
    lines += [f"| {_('Field')} | {_('Why')} |", "| --- | --- |"]
    lines += [f"| `{path}` | {_cell(reason)} |" for path, reason in document.ignored_fields] or [
        f"| {_('(none)')} | {_('the module reads every field it was shown')} |"
    ]
    if document.known_gaps:
        lines += ["", "### " + _("Known gaps (dropped today, to be fixed)"), "", known_gaps_note(), ""]
        lines += [f"| {_('Field')} | {_('Defect')} |", "| --- | --- |"]
        lines += [f"| `{path}` | {_cell(reason)} |" for path, reason in document.known_gaps]
    lines += ["", "## " + _("Credentials"), ""]
    lines += [f"- {name}" for name in document.credentials]
    lines += [f"- {name} ({_('secret, encrypted at rest')})" for name in document.secret_credentials]
    if document.documentation:
        lines += ["", "## " + _("Built from"), ""]
        lines += [f"- {page}" for page in document.documentation]
    return "\n".join(lines) + "\n"


def render_html(document: CoverageDocument) -> str:
    with translation.override(document.language):
        return render_to_string(
            "integrations/coverage_document.html",
            {
                "doc": document, "status_override_note": status_override_note(), "fields_note": fields_note(),
                "known_gaps_note": known_gaps_note(), "module_texts_note": module_texts_note(),
            },
        )


def _rate_limit(limit: RateLimit) -> str:
    what = _("all calls") if limit.operation == "*" else limit.operation
    return _("%(what)s: at most %(calls)s per %(seconds)s s per %(scope)s") % {
        "what": what, "calls": limit.calls, "seconds": f"{limit.per_seconds:g}",
        "scope": SCOPES.get(str(limit.scope), str(limit.scope)),
    }


def _deadline(deadline: Deadline) -> str:
    minutes = f"{deadline.within.total_seconds() / 60:g}"
    start = "" if deadline.counts_from == CountsFrom.PLACED_AT else " " + str(
        COUNTS_FROM.get(str(deadline.counts_from), deadline.counts_from)
    )
    return _("%(status)s within %(minutes)s min%(start)s, otherwise %(consequence)s") % {
        "status": status_word(str(deadline.status)), "minutes": minutes, "start": start,
        "consequence": deadline.consequence,
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
