"""Benchmarks: `python -m bench` (build speed and memory, optionally against Hugo)."""
