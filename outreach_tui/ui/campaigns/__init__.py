"""The campaign console: the list, a campaign's detail (numbers, A/B, schedule, settings,
inboxes, leads) and the blocklist."""
