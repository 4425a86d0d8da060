"""A Reachkit-compatible ASGI server with seeded data, rate limits and fault injection.

It imports nothing from the client side (api/, store/, sync/, ui/, commands/) nor core/:
two independent implementations of the contract catch each other's mistakes.

    from outreach_tui.simulator import create_app
    app = create_app(api_keys=["K"], size=300, seed=7)
    sim = app.state.simulator

Module map: app (assembly), gateway (auth, rate limit, faults, request log), simulation
(the Simulator object), routes/ (one module per resource), workspace and the records
(campaigns, leads, inboxes, blocklist, conversations, threads), campaign_stats, schedule,
mergetags, html_body, paging, bodies, errors, ratelimit, faults, live, seeding/, server.
"""

from __future__ import annotations

from outreach_tui.simulator.app import create_app

__all__ = ["create_app"]
