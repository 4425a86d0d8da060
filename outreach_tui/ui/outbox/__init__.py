"""The outbox: pending, refused and conflicting changes."""
