"""The panels of a campaign's detail."""
