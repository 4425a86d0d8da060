"""CLI handler: `outreach-tui simulator` serves the Reachkit simulator on loopback."""

from __future__ import annotations

import argparse
import sys

from outreach_tui.commands import EXIT_USAGE, CommandError


def run(args: argparse.Namespace) -> int:
    """Build the seeded workspaces, print the base URL and keys, serve until a signal."""
    # imported here so other commands do not pay for uvicorn and the simulator
    from outreach_tui.simulator.faults import parse_faults
    from outreach_tui.simulator.ratelimit import parse_rate_limit

    try:
        if args.rate_limit:
            parse_rate_limit(args.rate_limit)
        if args.faults:
            parse_faults(args.faults)
    except ValueError as error:
        raise CommandError(str(error), exit_code=EXIT_USAGE) from None
    if not args.host.strip():
        # bind('') means every interface: never by accident for a server holding keys
        raise CommandError("--host: expected an address, e.g. 127.0.0.1", exit_code=EXIT_USAGE)
    if args.live < 0:
        raise CommandError("--live must be 0 (off) or a number of seconds", exit_code=EXIT_USAGE)

    from outreach_tui.simulator import create_app
    from outreach_tui.simulator.server import bind_socket, serve
    from outreach_tui.simulator.simulation import generate_api_key

    try:
        sock = bind_socket(args.host, args.port)
    except OSError as error:
        raise CommandError(f"cannot listen on {args.host}:{args.port}: {error.strerror}") from None
    keys = args.api_keys or [generate_api_key()]
    app = create_app(
        api_keys=keys,
        size=args.size,
        seed=args.seed,
        rate_limit=args.rate_limit,
        faults=args.faults,
        live_interval=args.live,
    )
    simulator = app.state.simulator

    def announce(url: str) -> None:
        print(f"Reachkit simulator: {args.size} conversations, seed {args.seed}")
        print(f"Base URL: {url}")
        for key in simulator.api_keys:
            print(f"API key: {key}")
        sys.stdout.flush()

    serve(app, sock, announce)
    return 0
