"""Run a validation: every feature of the module, in the declaration's order, each with its own result.

A feature the module does not support is skipped with the module's reason.
A check that breaks fails that feature only; the run goes on, so staff see
every problem at once. Webhook checks come last: by then the test orders'
webhooks have had time to arrive.

A run keeps to its own space (``space``): it purges the connection's old
test orders first, marks every test order it made as one at the end (waiting
a little for those its webhooks have still to bring), and then accepts the
real orders auto-accept held back while it ran.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from integrations.channels.features import NotSupported
from integrations.connections import PlatformTransport, client_for, connection_info, module_for
from integrations.models import Connection, Environment, ValidationResult, ValidationRun
from integrations.outbound.auto_accept import auto_accept_if_enabled
from orders.models import Order, OrderStatus

from .checks import CHECKS
from .context import CheckFailed, Skip, ValidationContext
from .space import TEST_ORDER_WAIT_SECONDS, mark_test_orders, purge_test_orders, validation_running

logger = logging.getLogger("integrations.validation")

Progress = Callable[[ValidationResult], None]


class NotASandbox(ValueError):
    """Validation posts test orders, statuses and pauses: never against production."""


def start_run(connection: Connection, by: AbstractBaseUser | None = None) -> ValidationRun:
    """The run row, ``running``, before any check (the admin redirects to it while a worker runs it)."""
    if connection.environment != Environment.SANDBOX:
        raise NotASandbox(f"{connection} is a production connection: validation runs only against a sandbox")
    return ValidationRun.objects.create(connection=connection, module=connection.channel.module, by=by)


def run_validation(
    connection: Connection, *, on_progress: Progress | None = None, by: AbstractBaseUser | None = None
) -> ValidationRun:
    return execute_run(start_run(connection, by), on_progress=on_progress)


def execute_run(run: ValidationRun, *, on_progress: Progress | None = None) -> ValidationRun:
    connection = Connection.objects.select_related("channel", "restaurant").get(pk=run.connection_id)
    try:
        module = module_for(connection)
        ctx = ValidationContext(
            connection=connection,
            module=module,
            client=client_for(connection, correlation_id=f"validation-{run.pk}"),
            tools=module.sandbox_controls(
                connection_info(connection), PlatformTransport(connection.pk, f"validation-{run.pk}")
            ),
            started_at=run.started_at,
            correlation_id=f"validation-{run.pk}",
        )
    except Exception as exc:  # unknown module, invalid credentials: nothing can be checked
        return _finish(run, error=f"{type(exc).__name__}: {exc}")
    purge_test_orders(connection)
    try:
        _run_checks(run, ctx, module, on_progress)
    finally:
        _mark_all(ctx)
        finished = _finish(run)
        accept_held_orders(connection, run.started_at)
    return finished


def _run_checks(run: ValidationRun, ctx: ValidationContext, module, on_progress: Progress | None) -> None:
    for feature, declaration in module.features.items():
        if run.results.filter(feature=feature.value).exists():
            continue  # a task redelivered after a crash picks up where it stopped
        started = time.monotonic()
        if isinstance(declaration, NotSupported):
            result, detail = ValidationResult.Result.SKIPPED, f"not supported: {declaration.reason}"
        else:
            result, detail = _check(CHECKS[feature], ctx)
        row = ValidationResult.objects.create(
            run=run,
            feature=feature.value,
            result=result,
            detail=detail,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        if on_progress is not None:
            on_progress(row)


def _mark_all(ctx: ValidationContext) -> None:
    """Every test order of the run marked as one; those whose webhook has not brought them yet are waited for."""
    ids = {ref.channel_order_id for ref in ctx.test_orders}
    deadline = time.monotonic() + TEST_ORDER_WAIT_SECONDS
    while mark_test_orders(ctx.connection, ids) < len(ids) and time.monotonic() < deadline:
        time.sleep(0.25)


def accept_held_orders(connection: Connection, since: datetime) -> int:
    """Auto-accept the real orders that arrived while the run held auto-accept back; returns how many."""
    if validation_running(connection.pk):  # another run is going: its end does it
        return 0
    accepted = 0
    held = Order.objects.filter(
        connection=connection, is_test=False, status=OrderStatus.RECEIVED, created_at__gte=since
    ).select_related("connection")
    for order in held:
        try:
            with transaction.atomic():
                accepted += auto_accept_if_enabled(order) is not None
        except Exception:
            logger.exception("auto-accept of order %s, held during a validation run, failed", order.pk)
    return accepted


def _check(check: Callable[[ValidationContext], str], ctx: ValidationContext) -> tuple[str, str]:
    try:
        return ValidationResult.Result.PASSED, check(ctx)
    except Skip as exc:
        return ValidationResult.Result.SKIPPED, str(exc)
    except CheckFailed as exc:
        return ValidationResult.Result.FAILED, str(exc)
    except Exception as exc:  # the channel's error (4xx/5xx/timeout) or the module's: that is the finding
        logger.info("validation check %s failed: %s", check.__name__, exc)
        return ValidationResult.Result.FAILED, f"{type(exc).__name__}: {exc}"


def _finish(run: ValidationRun, error: str = "") -> ValidationRun:
    failed = error or run.results.filter(result=ValidationResult.Result.FAILED).exists()
    run.state = ValidationRun.State.FAILED if failed else ValidationRun.State.PASSED
    run.error = error
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "error", "finished_at"])
    return run
