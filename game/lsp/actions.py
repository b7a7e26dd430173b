"""Quick fixes (stub)."""
from __future__ import annotations


def fixes(index, uri, rng, diagnostics):
    return []
