"""The platform's settings plus the test module variants, for a worker process started by these tests."""

from sinqro_platform.settings import *  # noqa: F403

SINQRO_EXTRA_CHANNEL_MODULES = ["tests.validation.no_fetch_module.Module"]
