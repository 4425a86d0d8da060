"""The inbox's widgets: the conversation list and a message."""
