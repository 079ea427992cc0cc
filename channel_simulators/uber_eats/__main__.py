"""``python -m channel_simulators.uber_eats --port 0``."""

import sys

from ..process import run
from .app import UberEatsSimulator

sys.exit(run(UberEatsSimulator()))
