"""Warmup and inbox health: the inbox table, an inbox's detail and settings."""
