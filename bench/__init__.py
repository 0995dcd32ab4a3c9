"""Benchmarks of the portal (``make bench``); results and how to read them: docs/performance.md.

Nothing here is imported by the product: the baseline view and its URLconf exist only for the
throughput benchmark, which serves them through ``bench.settings``.
"""
