"""The local SQLite cache: schema and migrations, read queries, the outbox, FTS search."""
