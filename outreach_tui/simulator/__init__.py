"""A Reachkit-compatible ASGI server with seeded data, rate limits and fault injection.

It imports nothing from the client side (api/, store/, sync/, ui/): two independent
implementations of the contract catch each other's mistakes.
"""
