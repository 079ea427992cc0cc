"""``python -m channel_simulators.thefork --port 0``."""

import sys

from ..kit.server import main
from .app import TheForkSimulator

sys.exit(main(TheForkSimulator()))
