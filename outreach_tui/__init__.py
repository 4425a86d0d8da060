"""outreach-tui: a keyboard-driven terminal console for the Reachkit cold-email platform."""

__version__ = "0.1.0"
