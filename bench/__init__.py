"""Benchmarks (`make bench`). Every figure is reported as a ratio against a baseline
measured in the same run, never as an absolute time asserted in a test."""
