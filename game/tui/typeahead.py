"""Keys typed faster than the screens change: each reaches the screen it was typed for.

A terminal, or a browser tab, delivers keys as fast as they are typed or
pasted (tmux's `send-keys "Enter 4"` delivers both at once), and Textual hands
each one to the screen on top the moment it arrives. A key that changes the
screen does it through messages: the content notes ask the app to start a
play, the app switches to the play's screen, and that screen then mounts. A key
typed right behind it is handed to the screen being left, which has no use for
it, and is lost: the player presses Enter then 4 on the notes and lands on
choice 1 of a play, with the 4 gone.

So the apps take keys one at a time. While a key is still being handled (its
messages travelling up the screen, a screen change it asked for, the new
screen mounting), the keys after it wait, in order, and each goes to whatever
screen is on top once the one before has settled. A screen that will hand
over to another once something outside the message queues has happened says
so with `screen_change_due` (the play, whose debrief opens once the ending has
been drawn). Pilot tests already type this way (they wait for the app
between keys); this makes a real keyboard and a browser do the same. A key
waits at most `MAX_WAIT`: something that keeps posting messages (a timer, a
worker reporting) never holds the keyboard up, and a key is never dropped
here, only delayed.
"""

from __future__ import annotations

import asyncio
from collections import deque

from textual import events
from textual.message_pump import MessagePump
from textual.screen import Screen

MAX_WAIT = 0.5
"""Seconds a typed key waits, at most, for the one before it to settle."""
CALM = 3
"""Looks in a row that must find the app calm: a handler that yields to the event loop mid-way is seen through."""
QUICK_LOOKS = 20
"""Looks taken as soon as the event loop has run once more; after them, one every LOOK_EVERY seconds."""
LOOK_EVERY = 0.005
SCREEN_CHANGE_DUE = "screen_change_due"
"""A screen that will hand over to another once something outside the message queues has happened (the
play opens its debrief once the ending has been drawn) sets this attribute true until then."""


class TypeAhead:
    """Mixed into an App before `App`: a key typed while the one before it is still being handled waits for it."""

    _typed_ahead: deque[events.Key]
    _key_busy: bool = False
    """A key has been handed on and has not settled yet (or a waiting key is on its way to the app)."""
    _releasing: events.Key | None = None
    _settling: asyncio.Task[None] | None = None

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)  # type: ignore[misc]
            return
        if event is self._releasing:
            self._releasing = None
        elif self._key_busy:
            self._waiting().append(event)
            return
        self._key_busy = True
        try:
            await super().on_event(event)  # type: ignore[misc]
        finally:  # even a key whose handling failed settles: the keys behind it are never held for good
            self._settling = asyncio.create_task(self._settle())

    def _waiting(self) -> deque[events.Key]:
        if not hasattr(self, "_typed_ahead"):
            self._typed_ahead = deque()
        return self._typed_ahead

    async def _settle(self) -> None:
        """Wait until the key just handed on has settled, then hand on the next waiting key (if any).

        Settled is `CALM` calm looks in a row at the same screen (see `_calm`).
        The looks only read: a probe that posted messages of its own would
        change the order Textual handles a screen's messages in.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + MAX_WAIT
        calm, looks, last = 0, 0, None
        try:
            while calm < CALM and loop.time() < deadline:
                await asyncio.sleep(0 if looks < QUICK_LOOKS else LOOK_EVERY)
                looks += 1
                screen = self.screen  # type: ignore[attr-defined]
                calm = calm + 1 if screen is last and self._calm(screen) else 0
                last = screen
        except asyncio.CancelledError:
            self._key_busy = False
            raise
        except Exception:  # noqa: BLE001 - no screen to look at (the app is ending): the key has settled
            pass
        finally:
            self._settling = None
        waiting = self._waiting()
        if waiting:
            self._releasing = waiting.popleft()
            if self.post_message(self._releasing):  # type: ignore[attr-defined]
                return
            waiting.clear()  # the app is closing: nothing is left to type into
        self._key_busy = False

    def _calm(self, screen: Screen) -> bool:
        """Nothing left to happen on this screen that could change where the next key goes: no message
        waiting anywhere, nothing held for after the next repaint, and no change the screen says is due
        (`SCREEN_CHANGE_DUE`).

        A layout still to make is not waited for in general: most keys ask
        for one (a highlight moves, a tally grows), and waiting a frame for
        each would make a held-down arrow crawl behind the finger.
        """
        pumps: list[MessagePump] = [self, *screen.walk_children(with_self=True)]  # type: ignore[list-item]
        return (screen.is_mounted and all(pump.message_queue_size == 0 for pump in pumps)
                and not screen._callbacks and not getattr(screen, SCREEN_CHANGE_DUE, False))
