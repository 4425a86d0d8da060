"""The warmup table and badges."""
