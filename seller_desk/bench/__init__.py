"""Benchmarks: ``python -m seller_desk.bench [NAME...] [--rows N] [--json]`` (design/CLI.md)."""
