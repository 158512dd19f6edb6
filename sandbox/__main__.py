"""Command line: ``python -m sandbox serve`` runs every sandbox API server until SIGTERM or SIGINT.

The one JSON line printed once the ports listen (``{"<source>": "<url>", ...}``) is the hand-off to whatever
started the process (``make run``, a test): it reads the URLs from it instead of guessing when the servers
are up.
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


def _port(text: str) -> tuple[str, int]:
    name, _, port = text.partition("=")
    if not name or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected SOURCE=PORT, got {text!r}")
    return name, int(port)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve every sandbox API on 127.0.0.1")
    serve.add_argument("--seed", type=int, default=42)
    serve.add_argument("--scale", type=float, default=1.0)
    serve.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=datetime.now(UTC).date(),
        help="the world's today, YYYY-MM-DD (default: today UTC)",
    )
    serve.add_argument(
        "--port", type=_port, action="append", default=[], help="SOURCE=PORT (repeatable; default: a free port)"
    )
    serve.add_argument("--timeout-seconds", type=float, default=3.0, help="how long a timeout fault stalls")
    return parser


def serve(args: argparse.Namespace) -> int:
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sandbox = Sandbox(seed=args.seed, scale=args.scale, as_of=args.as_of, ports=dict(args.port))
    sandbox.timeout_seconds = args.timeout_seconds
    with sandbox:
        print(json.dumps({name: sandbox.url(name) for name in sandbox.names}), flush=True)
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
