"""Benchmarks: `make bench` prints the numbers that the README quotes."""
