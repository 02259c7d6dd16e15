"""Benchmarks (not tests) and what only they mount: ``benchmarks.settings`` serves the portal's
URLs plus the trivial baseline views of ``benchmarks.urls``."""
