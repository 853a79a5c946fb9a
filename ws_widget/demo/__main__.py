"""``python -m ws_widget.demo [--host H] [--port N] [--tls] [--logon USER:PASSWORD]``: the demo server
in the foreground, printing the URL of each endpoint; Ctrl-C stops it."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .server import DemoServer

DESCRIPTION = "The ws_widget demo device server: echo, telemetry, close and a Q-SYS QRC simulator."
EXAMPLES = {
    "/echo": "",
    "/telemetry": "?rate=10",
    "/close": "?code=4000&reason=bye",
    "/qrc": "",
    "/qrc-public-api/v0": "",
}


def _logon(text: str) -> tuple[str, str]:
    user, colon, password = text.partition(":")
    if not colon or not user:
        raise argparse.ArgumentTypeError(f"expected USER:PASSWORD, got {text!r}")
    return user, password


def main(argv: list[str] | None = None) -> int:
    """Run the demo server until Ctrl-C or SIGTERM; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m ws_widget.demo", description=DESCRIPTION)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="TCP port, 0 for any free one (default: 8765)")
    parser.add_argument("--tls", action="store_true", help="serve wss:// with a certificate made at start")
    parser.add_argument(
        "--logon",
        type=_logon,
        action="append",
        metavar="USER:PASSWORD",
        help="require this QRC Logon (repeatable); without it any logon is accepted",
    )
    parser.add_argument("--allow-remote", action="store_true", help="allow a non-loopback --host")
    args = parser.parse_args(argv)

    try:
        server = DemoServer(
            args.host,
            args.port,
            args.tls,
            users=dict(args.logon) if args.logon else None,
            allow_remote=args.allow_remote,
        ).start()
    except (ValueError, OSError, RuntimeError, ImportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    # Both signals only set an event, and before anything is printed: a Ctrl-C that comes as soon
    # as the URLs are out (a test, a script) must not raise KeyboardInterrupt outside the wait.
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda signum, frame: stopping.set())
    print(f"ws_widget demo server on {server.url} (Ctrl-C to stop)", flush=True)
    for path, example in EXAMPLES.items():
        print(f"  {path:<20} {server.url_for(path)}{example}", flush=True)
    if server.ca_file:
        print(f"  CA certificate       {server.ca_file}", flush=True)

    try:
        while not stopping.wait(0.5):
            pass
    finally:
        server.stop()
    print("demo server stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
