"""The typed async client for the Reachkit REST API: the only door to the server."""
