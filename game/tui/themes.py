"""The high-contrast theme, for projectors, bright rooms and tired eyes.

Pure black and white with saturated accents that stay distinct for the
common colour-vision differences (blue and orange, never red against green).
Meaning is still carried by words and marks on every screen, so the theme only
has to make them easy to read.
"""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="high-contrast",
    primary="#ffd700",
    secondary="#00bfff",
    accent="#ffd700",
    warning="#ffa500",
    error="#ff6e6e",
    success="#00bfff",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    boost="#262626",
    dark=True,
    text_alpha=1.0,
    luminosity_spread=0.0,
    variables={
        "text-muted": "#ffffff",
        "text-disabled": "#d0d0d0",
        "footer-key-foreground": "#ffd700",
        "footer-description-foreground": "#ffffff",
        "block-cursor-background": "#ffd700",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "border": "#ffffff",
        "border-blurred": "#bfbfbf",
    },
)

DEFAULT_THEME = "textual-dark"
"""The theme the game opens in; `toggle` switches between it and high contrast."""
