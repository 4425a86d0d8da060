"""The warmup screens."""
