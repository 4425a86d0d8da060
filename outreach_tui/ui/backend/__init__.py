"""What the screens use to reach the cache and the server: `Backend` (reads on workers,
edits and pulls on the writer thread, syncs, the change signal), the writer thread, the
sync control and the messages they post."""
