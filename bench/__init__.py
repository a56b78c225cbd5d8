"""Benchmarks: runnable scripts that print their figures, and the modules they share."""
