"""The workshop's screens."""
