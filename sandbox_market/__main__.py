"""``python -m sandbox_market``: run the market as its own process."""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from .app import Market
from .server import serve


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="sandbox_market", description="A fake marketplace for demos and tests.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100, help="0 picks a free port (printed on stdout)")
    parser.add_argument("--db", default="var/sandbox_market.sqlite3", help="sqlite file (folders are created)")
    parser.add_argument("--reset", action="store_true", help="wipe the database before starting")
    parser.add_argument("--webhook-backoff-scale", type=float, default=1.0,
                        help="multiply the webhook retry delays (0.5, 1, 2, 4, 8 s); tests use < 1")
    parser.add_argument("--webhook-timeout", type=float, default=5.0, help="seconds before a webhook POST times out")
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    market = Market.open(args.db, reset=args.reset, backoff_scale=args.webhook_backoff_scale,
                         webhook_timeout=args.webhook_timeout)
    httpd = serve(market, args.host, args.port, quiet=args.quiet)
    host, port = httpd.server_address[:2]
    market.start()

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(f"sandbox_market listening on http://{host}:{port}/ (db {args.db})", flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        market.close()
        print("sandbox_market stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
