"""What every area shares: the view-over-the-cache base, the paged list, the status bar,
the day chart, help and welcome screens, themes."""
