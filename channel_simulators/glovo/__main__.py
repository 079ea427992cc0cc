"""``python -m channel_simulators.glovo --port 0``."""

import sys

from ..process import run
from .app import GlovoSimulator

sys.exit(run(GlovoSimulator()))
