"""Widgets the screens share: the phone conversation, the choice list, the meters."""
