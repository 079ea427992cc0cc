"""Run one dialect as its own process: ``python -m channel_simulators.<dialect> --port 0``."""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from .http import App, SimulatorServer


def run(app: App, argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"channel_simulators.{app.name}")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed on stdout)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    server = SimulatorServer((args.host, args.port), app, quiet=args.quiet)
    host, port = server.server_address[:2]

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    app.base_url = f"http://{host}:{port}"
    print(f"{app.name} listening on http://{host}:{port}/", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(2)
