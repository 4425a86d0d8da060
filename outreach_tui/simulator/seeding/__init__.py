"""Building a seeded workspace: inboxes, campaigns, leads, conversations, blocklist."""
