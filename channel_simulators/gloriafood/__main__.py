"""``python -m channel_simulators.gloriafood --port 0``."""

import sys

from ..kit.server import main
from .app import GloriaFoodSimulator

sys.exit(main(GloriaFoodSimulator()))
