"""The sequence editor's screen and dialogs."""
