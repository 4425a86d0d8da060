"""Widgets every area shares: the paged list, the status bar, the day chart."""
