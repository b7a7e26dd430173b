"""Pieces the workshop's screens share: the vote tally and the place where phones join."""
