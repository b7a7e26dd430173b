"""A failure inside the full-screen game exits non-zero and says where the details are."""

from __future__ import annotations

import asyncio

from game import paths
from game.library import gather
from game.tui.app import SecondChanceApp
from game.tui.crash import CRASH_STATUS, exit_status
from game.tui.screens.picker import PickerScreen


def test_a_crash_exits_non_zero_with_a_log(monkeypatch) -> None:
    def broken(self) -> None:
        raise RuntimeError("boom in the picker")

    monkeypatch.setattr(PickerScreen, "on_mount", broken)
    entries, _ = gather(builtin=False)
    app = SecondChanceApp(entries)
    result = app.run(headless=True, size=(80, 24))
    status, message = exit_status(app, result)
    assert status == CRASH_STATUS != 0
    assert app.crash_log is not None and app.crash_log.parent == paths.data_dir() / "crashes"
    assert "boom in the picker" in app.crash_log.read_text(encoding="utf-8")
    assert message is not None and str(app.crash_log) in message


def test_a_normal_quit_exits_zero() -> None:
    entries, _ = gather(builtin=False)
    app = SecondChanceApp(entries)

    async def leave() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+q")

    asyncio.run(leave())
    assert exit_status(app, app.return_code) == (0, None)
