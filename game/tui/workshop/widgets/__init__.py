"""Pieces the workshop's screens share: the scene and its asides, the vote tally, the status lines, the phones."""
