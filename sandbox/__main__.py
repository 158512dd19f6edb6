"""Command line: ``python -m sandbox serve`` runs both platform APIs until SIGTERM or SIGINT.

The one JSON line printed once the ports listen is the hand-off to whatever started the process
(``make run``, a test): it reads the URLs from it instead of guessing when the servers are up.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from datetime import UTC, date, datetime
from types import FrameType

from sandbox.harness import Sandbox


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the Meta and Shopify sandbox APIs on 127.0.0.1")
    serve.add_argument("--seed", type=int, default=42)
    serve.add_argument("--scale", type=float, default=1.0)
    serve.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=datetime.now(UTC).date(),
        help="the world's today, YYYY-MM-DD (default: today UTC)",
    )
    serve.add_argument("--meta-port", type=int, default=18701)
    serve.add_argument("--shopify-port", type=int, default=18702)
    serve.add_argument("--timeout-seconds", type=float, default=3.0, help="how long a timeout fault stalls")
    return parser


def serve(args: argparse.Namespace) -> int:
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sandbox = Sandbox(
        seed=args.seed, scale=args.scale, as_of=args.as_of, meta_port=args.meta_port, shopify_port=args.shopify_port
    )
    sandbox.timeout_seconds = args.timeout_seconds
    with sandbox:
        print(json.dumps({"meta_url": sandbox.meta_url, "shopify_url": sandbox.shopify_url}), flush=True)
        while not stop.wait(0.5):
            pass
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
