"""``python -m channel_simulators.sandbox_market``: run the market as its own process."""

from __future__ import annotations

import argparse
import sys

from ..kit.server import options, run
from .app import Market
from .routes import MarketApp


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = options("channel_simulators.sandbox_market", default_port=8100,
                     description="A fake marketplace for demos and tests.")
    parser.add_argument("--db", default="var/sandbox_market.sqlite3", help="sqlite file (folders are created)")
    parser.add_argument("--reset", action="store_true", help="wipe the database before starting")
    parser.add_argument("--webhook-backoff-scale", type=float, default=1.0,
                        help="multiply the webhook retry delays (0.5, 1, 2, 4, 8 s); tests use < 1")
    parser.add_argument("--webhook-timeout", type=float, default=5.0, help="seconds before a webhook POST times out")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    market = Market.open(args.db, reset=args.reset, backoff_scale=args.webhook_backoff_scale,
                         webhook_timeout=args.webhook_timeout)
    return run(MarketApp(market), args.host, args.port, quiet=args.quiet, note=f"db {args.db}")


if __name__ == "__main__":
    sys.exit(main())
