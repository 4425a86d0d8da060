"""The unified inbox: the conversation list, a thread, reply and compose, filters, the
triage keys."""
