"""``python -m channel_simulators.glovo --port 0``."""

import sys

from ..kit.server import main
from .app import GlovoSimulator

sys.exit(main(GlovoSimulator()))
