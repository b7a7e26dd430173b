"""The document outline (stub)."""
from __future__ import annotations


def outline(index):
    return []
