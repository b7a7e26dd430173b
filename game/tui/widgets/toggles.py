"""A radio button and a checkbox whose state shows in a shape, not only in a colour.

Textual draws a pressed and an unpressed button with the same character and
tells them apart by colour alone, which a projector, a monochrome terminal or
colour-blind eyes can lose. These draw ● or ○ (radio) and ✓ or a space
(checkbox) instead; everything else is Textual's own.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton

RADIO_ON, RADIO_OFF = "●", "○"
CHECK_ON, CHECK_OFF = "✓", " "


class MarkedRadioButton(RadioButton):
    """A radio button showing ● when chosen and ○ when not."""

    @property
    def BUTTON_INNER(self) -> str:
        return RADIO_ON if self.value else RADIO_OFF


class MarkedCheckbox(Checkbox):
    """A checkbox showing ✓ when ticked and nothing when not."""

    @property
    def BUTTON_INNER(self) -> str:
        return CHECK_ON if self.value else CHECK_OFF
