"""``python -m channel_simulators.uber_eats --port 0``."""

import sys

from ..kit.server import main
from .app import UberEatsSimulator

sys.exit(main(UberEatsSimulator()))
