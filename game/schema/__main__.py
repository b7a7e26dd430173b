"""`python -m game.schema` rewrites scenario.schema.json from the loader's key tables."""

from game.schema import write

print(f"wrote {write()}")
