"""``python -m channel_simulators.deliveroo --port 0``."""

import sys

from ..kit.server import main
from .app import DeliverooSimulator

sys.exit(main(DeliverooSimulator()))
