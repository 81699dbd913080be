"""Benchmarks of r2pkg: synthetic corpus and graph generators, and `python -m bench.run`.

Not part of the package nor of `make test`; run with `make bench` (see docs/performance.md).
"""
