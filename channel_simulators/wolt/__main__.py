"""``python -m channel_simulators.wolt --port 0``."""

import sys

from ..kit.server import main
from .app import WoltSimulator

sys.exit(main(WoltSimulator()))
