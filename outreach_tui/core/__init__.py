"""Pure logic with no I/O and no UI: labels, merge tags, HTML to text, schedule grid, A/B stats."""
