"""The integration coverage document: what we integrated for a channel, what not, and why.

Built from the module's declaration (and, once validation runs exist, the
latest result per feature). Rendered as Markdown or printable HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from .channels.base import ChannelModule
from .channels.features import Feature, Supported


@dataclass(frozen=True)
class ValidationOutcome:
    result: str  # passed / failed / skipped
    detail: str
    at: datetime


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

    @property
    def integrated_count(self) -> int:
        return sum(1 for item in self.features if item.integrated)

    @property
    def webhook_authentication(self) -> str:
        """How the channel's webhooks prove themselves, from ``webhook_signs_body`` and ``webhook_content_types``."""
        if self.webhook_signs_body:
            how = "the body is signed (webhook_signs_body: yes): a changed body is rejected before it is stored"
        else:
            how = (
                "a shared token, the body is not signed (webhook_signs_body: no): the token proves the sender, "
                "a changed body cannot be detected"
            )
        return f"{how}; content types: {', '.join(self.webhook_content_types)}"


PLATFORM_ACKNOWLEDGEMENT = (
    'the platform\'s JSON: HTTP 202 {"event_id", "status": "accepted"}; a redelivery of an event we hold gets '
    'HTTP 200 "duplicate"'
)
FIELDS_NOTE = (
    "Every field the channel sends is read or listed here with the reason (paths: keys joined with '.', '[]' for "
    "the items of a list, '**' at any depth). The contract kit fails on a field of the channel's documented "
    "payloads that is neither."
)
KNOWN_GAPS_NOTE = "Fields the channel means something by that the module drops today: defects, not choices."
STATUS_OVERRIDE_NOTE = (
    "A row naming a service type (e.g. collection) overrides the general row for orders of that service type."
)


def build_coverage(
    module: ChannelModule, validations: Mapping[Feature, ValidationOutcome] | None = None
) -> CoverageDocument:
    validations = validations or {}
    features = []
    for feature, declaration in module.features.items():
        supported = isinstance(declaration, Supported)
        features.append(
            FeatureCoverage(
                feature=feature,
                title=feature.title,
                integrated=supported,
                reason="" if supported else declaration.reason,
                options=module.features.options(feature).describe() if supported else [],
                notes=declaration.notes if supported else "",
                validation=validations.get(feature),
            )
        )
    statuses_in, statuses_out = [], []
    for label, status_map in (("order", module.order_statuses), ("reservation", module.reservation_statuses)):
        if status_map is None:
            continue
        statuses_in += [(f"{code} ({label})", str(status)) for code, status in status_map.inbound.items()]
        statuses_out += [(f"{status} ({label})", code) for status, code in status_map.outbound.items()]
        # Per service type overrides: the row naming a service type wins over the general row for that type.
        for service_type, mapping in status_map.inbound_by_service.items():
            statuses_in += [(f"{code} ({service_type})", str(status)) for code, status in mapping.items()]
        for service_type, mapping in status_map.outbound_by_service.items():
            statuses_out += [(f"{status} ({service_type})", code) for status, code in mapping.items()]
    schema = module.credentials
    return CoverageDocument(
        slug=module.slug,
        channel_name=module.name,
        generated_at=timezone.now(),
        features=features,
        rate_limits=[limit.describe() for limit in module.rate_limits],
        deadlines=[deadline.describe() for deadline in module.deadlines],
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
            module.acknowledgement.describe() if module.acknowledgement is not None else PLATFORM_ACKNOWLEDGEMENT
        ),
    )


def render_markdown(document: CoverageDocument) -> str:
    lines = [
        f"# Integration coverage: {document.channel_name}",
        "",
        f"Module `{document.slug}` · generated {document.generated_at:%Y-%m-%d %H:%M} UTC · "
        f"{document.integrated_count} of {len(document.features)} features integrated",
        "",
        "| Feature | Integrated | Why not / options | Last validation |",
        "| --- | --- | --- | --- |",
    ]
    for item in document.features:
        detail = item.reason if not item.integrated else "; ".join(item.options + ([item.notes] if item.notes else []))
        validation = (
            f"{item.validation.result} ({item.validation.at:%Y-%m-%d})"
            + (f": {item.validation.detail}" if item.validation.detail else "")
            if item.validation
            else "not validated yet"
        )
        lines.append(
            f"| {item.title} | {'yes' if item.integrated else 'no'} | {_cell(detail)} | {_cell(validation)} |"
        )
    lines += ["", "## Limits and deadlines", ""]
    lines += [f"- Rate limit: {limit}" for limit in document.rate_limits] or ["- No rate limits declared"]
    lines += [f"- Deadline: {deadline}" for deadline in document.deadlines] or ["- No deadlines declared"]
    lines += ["", "## Webhooks", "", f"- Webhook authentication: {document.webhook_authentication}"]
    if document.webhook_acknowledgement:
        lines += [f"- Webhook acknowledgement: {document.webhook_acknowledgement}"]
    lines += ["", "## Status mapping", "", STATUS_OVERRIDE_NOTE, ""]
    lines += ["| Channel status | Canonical |", "| --- | --- |"]
    lines += [f"| {code} | {status} |" for code, status in document.statuses_in]
    lines += ["", "| We post | Channel status |", "| --- | --- |"]
    lines += [f"| {status} | {code} |" for status, code in document.statuses_out]
    lines += ["", "## Fields we do not read", "", FIELDS_NOTE, ""]
    lines += ["| Field | Why |", "| --- | --- |"]
    lines += [f"| `{path}` | {_cell(reason)} |" for path, reason in document.ignored_fields] or [
        "| (none) | the module reads every field it was shown |"
    ]
    if document.known_gaps:
        lines += ["", "### Known gaps (dropped today, to be fixed)", "", KNOWN_GAPS_NOTE, ""]
        lines += ["| Field | Defect |", "| --- | --- |"]
        lines += [f"| `{path}` | {_cell(reason)} |" for path, reason in document.known_gaps]
    lines += ["", "## Credentials", ""]
    lines += [f"- {name}" for name in document.credentials]
    lines += [f"- {name} (secret, encrypted at rest)" for name in document.secret_credentials]
    if document.documentation:
        lines += ["", "## Built from", ""]
        lines += [f"- {page}" for page in document.documentation]
    return "\n".join(lines) + "\n"


def render_html(document: CoverageDocument) -> str:
    return render_to_string(
        "integrations/coverage_document.html", {"doc": document, "status_override_note": STATUS_OVERRIDE_NOTE}
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
