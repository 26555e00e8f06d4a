"""Benchmarks: `make bench` (README, "Performance"). Scripts, not tests; see bench/run.py."""
