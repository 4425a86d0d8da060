"""Pull (server -> store) and push (outbox -> server), conflict detection, progress events."""
