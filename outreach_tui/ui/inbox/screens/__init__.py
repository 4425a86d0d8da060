"""The inbox's screens and dialogs."""
