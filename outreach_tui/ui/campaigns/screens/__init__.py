"""The campaign console's screens and dialogs."""
