"""The cache of checked stories: the same story as checking it, never trusted blindly, shared, bounded."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import game
from game import library, story_cache
from game.checked import Card
from game.cli import main
from game.loader import read_scenario
from game.loader.stored import StoredError, from_plain, to_plain
from game.story_cache import StoryCache
from tests.helpers import MINIMAL, write

BROKEN = MINIMAL.replace('start = "door"', 'start = "nowhere"')
WARNED = MINIMAL.replace('text = "A door."', 'text = "A door \\u202eroolf eht"')  # SC102, and playable


def fresh(path: Path):
    result = read_scenario(path)
    return result.scenario, result.diagnostics


def no_checks(monkeypatch) -> None:
    """From here on, a story checked from its source fails the test: everything must come from the cache."""
    def refuse(data, path):
        raise AssertionError(f"{path} was checked again instead of read from the cache")

    monkeypatch.setattr(story_cache, "_check_bytes", refuse)


def test_every_built_in_story_read_back_is_the_story_checked(tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    for path in library.builtin_scenarios():
        StoryCache(cache).check(path)
    no_checks(monkeypatch)
    for path in library.builtin_scenarios():
        checked = StoryCache(cache).check(path)
        scenario, diagnostics = fresh(path)
        assert checked.scenario == scenario and checked.scenario.path == path
        assert checked.diagnostics == diagnostics
        assert checked.card == Card.of(scenario)


def test_every_field_of_the_model_is_stored(tmp_path: Path, monkeypatch) -> None:
    """A field added to the model and forgotten here would vanish from every story read from the cache."""
    import attrs

    from game.loader import stored
    from game.model import Scenario

    story = Path(__file__).parent / "stories" / "the-feud.toml"  # it declares a cast
    scenario, _ = fresh(story)
    assert scenario.cast
    assert set(stored.to_plain(scenario)) == {f.name for f in attrs.fields(Scenario)} - {"path"}
    StoryCache(tmp_path / "cache").check(story)
    no_checks(monkeypatch)
    assert StoryCache(tmp_path / "cache").check(story).scenario == scenario


@pytest.mark.parametrize("text", [BROKEN, WARNED], ids=["broken", "warned"])
def test_diagnostics_come_back_from_the_cache_naming_the_file_where_it_is_now(tmp_path: Path, text: str,
                                                                             monkeypatch) -> None:
    first = write(tmp_path, text, "first.toml")
    StoryCache(tmp_path / "cache").check(first)
    moved = write(tmp_path, text, "moved.toml")  # the same bytes under another name
    no_checks(monkeypatch)
    checked = StoryCache(tmp_path / "cache").check(moved)
    assert checked.diagnostics == fresh(moved)[1] and checked.diagnostics
    assert all(d.file == str(moved) for d in checked.diagnostics)
    assert (checked.scenario is None) == (text is BROKEN)


def test_an_edited_story_is_checked_again(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    StoryCache(tmp_path / "cache").check(path)
    path.write_text(BROKEN, encoding="utf-8")
    checked = StoryCache(tmp_path / "cache").check(path)
    assert checked.scenario is None and checked.diagnostics == fresh(path)[1]


def test_a_new_version_of_the_game_checks_every_story_again(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, MINIMAL)
    StoryCache(tmp_path / "cache").check(path)
    monkeypatch.setattr(game, "__version__", "99.0")
    story_cache.fingerprint.cache_clear()
    try:
        assert StoryCache(tmp_path / "cache").check(path, at_once=False) is None
    finally:
        story_cache.fingerprint.cache_clear()


# -- never trusted blindly -------------------------------------------------------------------------------


def entry_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json"))


def damage_truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


def damage_flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-5] ^= 0x20
    path.write_bytes(bytes(data))


def damage_garbage(path: Path) -> None:
    path.write_bytes(os.urandom(300))


def damage_empty(path: Path) -> None:
    path.write_bytes(b"")


def damage_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def damage_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)  # a reader that opened it plainly would wait for ever


def damage_link(path: Path) -> None:
    path.unlink()
    path.symlink_to(path)  # a loop


DAMAGE = [damage_truncate, damage_flip, damage_garbage, damage_empty, damage_folder, damage_link]
if hasattr(os, "mkfifo"):
    DAMAGE.append(damage_fifo)


@pytest.mark.parametrize("kind", ["card", "story"])
@pytest.mark.parametrize("damage", DAMAGE, ids=lambda d: d.__name__.removeprefix("damage_"))
def test_a_damaged_entry_is_ignored_and_the_story_checked_again(tmp_path: Path, kind: str, damage,
                                                                 monkeypatch) -> None:
    path = write(tmp_path, MINIMAL)
    cache = tmp_path / "cache"
    StoryCache(cache).check(path)
    (entry,) = [p for p in entry_files(cache) if p.name.endswith(f".{kind}.json")]
    damage(entry)
    checked = StoryCache(cache).check(path)
    assert (checked.scenario, checked.diagnostics) == fresh(path)
    if damage is not damage_folder:  # rewritten (a folder in an entry's place is simply never read)
        no_checks(monkeypatch)
        assert StoryCache(cache).check(path).scenario == fresh(path)[0]


def test_an_entry_from_another_computer_or_a_stranger_fails_its_seal(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    StoryCache(theirs).check(path)
    mine.mkdir()
    for entry in entry_files(theirs):  # their entries, without their key
        shutil.copy(entry, mine / entry.name)
    StoryCache(mine).check(write(tmp_path, MINIMAL.replace("Tiny", "Other"), "other.toml"))  # mine has a key
    assert StoryCache(mine).check(path, at_once=False) is None
    assert StoryCache(mine).check(path).scenario == fresh(path)[0]
    assert StoryCache(mine).check(path, at_once=False) is not None  # and rewritten, under this computer's key


def forge(cache_folder: Path, path: Path, change) -> None:
    """Rewrite the story's entry with `change` applied, sealed with the real key (as someone who has it could)."""
    cache = StoryCache(cache_folder)
    checked = cache.check(path)
    data = json.loads(cache._read_sealed(key_of(cache, path), "story", 10**7))
    change(data)
    cache._write_sealed(key_of(cache, path), "story", json.dumps(data).encode())
    assert checked.scenario is not None


def key_of(cache: StoryCache, path: Path) -> str:
    (card,) = cache.folder.glob("*.card.json")
    return card.name.split(".")[0]


def escape_in_text(data: dict) -> None:
    data["scenes"][0][1] = "\x1b]0;pwned\x07"


def goto_nowhere(data: dict) -> None:
    data["scenes"][0][3][0][2] = "nowhere"


def condition_names_nothing(data: dict) -> None:
    data["scenes"][0][3][0][3] = "no_such_meter > 1"


def code_for_a_condition(data: dict) -> None:
    data["scenes"][0][3][0][3] = "__import__('os').system('true')"


@pytest.mark.parametrize("change", [escape_in_text, goto_nowhere, condition_names_nothing, code_for_a_condition])
def test_a_forged_entry_that_passes_the_seal_is_still_checked_and_thrown_away(tmp_path: Path, change) -> None:
    path = write(tmp_path, MINIMAL)
    forge(tmp_path / "cache", path, change)
    scenario = StoryCache(tmp_path / "cache").check(path).scenario
    assert scenario == fresh(path)[0]  # the file's own story, checked again


def test_a_forged_card_with_control_characters_is_thrown_away(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    cache = StoryCache(tmp_path / "cache")
    cache.check(path)
    key = key_of(cache, path)
    card, diagnostics = json.loads(cache._read_sealed(key, "card", 10**6))
    card[1] = "Tiny\x1b[2J"
    cache._write_sealed(key, "card", json.dumps([card, diagnostics]).encode())
    assert StoryCache(tmp_path / "cache").check(path).card.title == "Tiny"


JSON = st.recursive(st.none() | st.booleans() | st.integers(-2000, 2000) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                    max_leaves=6)


def _leaves(value, where=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*where, index))
    yield where


@given(st.data())
def test_stored_data_changed_anywhere_is_refused_or_still_a_sound_story(data) -> None:
    plain = to_plain(read_scenario(library.find("happy-birthday")).scenario)
    places = list(_leaves(plain))
    where = data.draw(st.sampled_from(places[:-1]))  # the last place is the whole document
    value = data.draw(JSON)
    changed = json.loads(json.dumps(plain))
    target = changed
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = value
    try:
        scenario = from_plain(changed)
    except StoredError:
        return
    for scene in scenario.scenes.values():  # what it gives is a story the engine can play
        assert scene.choices and all(c.goto in scenario.scenes or c.goto in scenario.endings or c.goto == "@ending"
                                     for c in scene.choices)


# -- shared and bounded ------------------------------------------------------------------------------------


def test_two_windows_reading_and_rewriting_one_entry_never_see_half_of_it(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    cache_folder = tmp_path / "cache"
    expected = fresh(path)
    StoryCache(cache_folder).check(path)
    seen: list[object] = []
    stop = threading.Event()

    def rewrite() -> None:  # a second window that keeps clearing the cache and checking the story again
        window = StoryCache(cache_folder)
        for _ in range(40):
            window.clear()
            window._key = None
            StoryCache(cache_folder).check(path)
        stop.set()

    def read() -> None:
        for _ in range(2000):
            if stop.is_set():
                break
            checked = StoryCache(cache_folder).check(path)
            seen.append((checked.scenario, checked.diagnostics) == expected)

    threads = [threading.Thread(target=rewrite), threading.Thread(target=read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert seen and all(seen)


def test_pruning_removes_the_oldest_entries_and_stale_temporary_files(tmp_path: Path) -> None:
    cache = StoryCache(tmp_path / "cache", max_stories=4)
    paths = [write(tmp_path, MINIMAL.replace("Tiny", f"Tiny {n}"), f"s{n}.toml") for n in range(6)]
    for n, path in enumerate(paths):
        cache.check(path)
        key = max(cache.folder.glob("*.card.json"), key=lambda p: p.stat().st_mtime_ns).name.split(".")[0]
        for entry in cache.folder.glob(f"{key}.*"):
            os.utime(entry, (1000 + n, 1000 + n))  # story n was written at second 1000 + n
    stale = cache.folder / ".x.card.json.abc.tmp"
    stale.write_bytes(b"half")
    os.utime(stale, (1000, 1000))
    cache.prune()
    assert not stale.exists()
    kept, _ = cache.usage()
    assert kept == 3  # three quarters of the bound
    for path in paths[-3:]:
        assert StoryCache(tmp_path / "cache").check(path, at_once=False) is not None
    for path in paths[:3]:
        assert StoryCache(tmp_path / "cache").check(path, at_once=False) is None


# -- the list of scenarios ----------------------------------------------------------------------------------


def no_reading(monkeypatch) -> None:
    """From here on, reading a story file (to hash or check it) fails the test; the cache's own files are read."""
    read = story_cache._read_regular

    def refuse(path, limit):
        assert not str(path).endswith(".toml"), f"{path} was read"
        return read(path, limit)

    monkeypatch.setattr(story_cache, "_read_regular", refuse)
    no_checks(monkeypatch)


def small_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "stories"
    folder.mkdir()
    for n in range(5):
        write(folder, MINIMAL.replace('id = "tiny"', f'id = "tiny-{n}"'), f"tiny-{n}.toml")
    write(folder, BROKEN.replace('id = "tiny"', 'id = "broken"'), "broken.toml")
    return folder


def test_a_first_start_lists_every_story_without_reading_one_and_checks_them_after(tmp_path: Path,
                                                                                   monkeypatch) -> None:
    folder = small_folder(tmp_path)
    with monkeypatch.context() as patched:
        no_reading(patched)
        entries, cache, _ = library.offer(folders=[folder])  # the built-in stories too: nothing kept yet
    assert not any(e.checked or e.shown for e in entries)
    builtin = len(library.builtin_scenarios())
    assert [e.path.stem for e in entries[builtin:]] == sorted(p.stem for p in folder.iterdir())  # as found
    assert len(list(library.check_rest(entries, cache))) == len(entries)
    assert all(e.checked for e in entries)


def test_the_next_start_shows_every_card_from_the_index_without_reading_a_story(tmp_path: Path,
                                                                                monkeypatch) -> None:
    folder = small_folder(tmp_path)
    entries, cache, _ = library.offer(builtin=False, folders=[folder])
    list(library.check_rest(entries, cache))
    with monkeypatch.context() as patched:
        no_reading(patched)
        again, cache, _ = library.offer(builtin=False, folders=[folder])
    assert all(e.shown is not None and not e.checked for e in again)
    assert [e.title for e in again] == [e.title for e in entries]  # in their final order at once
    broken = next(e for e in again if e.broken)
    assert broken.problems == fresh(broken.path)[1] and broken.first_error.startswith(str(broken.path))
    assert list(library.check_rest(again, cache)) == []  # confirmed by their bytes, and nothing to redraw
    assert all(e.checked for e in again)


def test_an_edited_story_says_checking_until_it_is_checked_again(tmp_path: Path) -> None:
    folder = small_folder(tmp_path)
    library.gather(builtin=False, folders=[folder])  # `list`, `serve` and the workshop keep the index too
    edited = folder / "tiny-2.toml"
    edited.write_text(MINIMAL.replace('id = "tiny"', 'id = "tiny-2"').replace("Tiny", "Retitled"), encoding="utf-8")
    entries, cache, _ = library.offer(builtin=False, folders=[folder])
    assert [e.path for e in entries if e.shown is None] == [edited]
    assert [e.title for e in library.check_rest(entries, cache)] == ["Retitled"]


def test_the_index_knows_a_folder_by_where_it_is_not_by_the_name_it_was_given(tmp_path: Path, monkeypatch) -> None:
    for room in ("a", "b"):  # two rooms, each with its own `stories` folder, named from where the game starts
        (tmp_path / room).mkdir()
        small_folder(tmp_path / room)
        if room == "b":
            write(tmp_path / room / "stories", BROKEN.replace("Tiny", "Other"), "broken.toml")
        monkeypatch.chdir(tmp_path / room)
        library.gather(builtin=False, folders=[Path("stories")])
    monkeypatch.chdir(tmp_path / "a")
    entries, _, _ = library.offer(builtin=False, folders=[Path("stories")])
    assert all(e.shown for e in entries)  # b's records never took a's place
    broken = next(e for e in entries if e.broken)
    assert broken.first_error.startswith("stories/broken.toml:")  # named as it was given


def index_of(cache_folder: Path) -> Path:
    return cache_folder / "index.list.json"


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda d: d.__name__.removeprefix("damage_"))
def test_a_damaged_index_is_ignored_and_written_again(tmp_path: Path, damage) -> None:
    folder = small_folder(tmp_path)
    library.gather(builtin=False, folders=[folder])
    damage(index_of(story_cache.folder()))
    entries, cache, _ = library.offer(builtin=False, folders=[folder])
    assert not any(e.shown for e in entries)
    list(library.check_rest(entries, cache))
    if damage is not damage_folder:  # rewritten (a folder in its place is simply never read)
        assert all(e.shown for e in library.offer(builtin=False, folders=[folder])[0])


def test_a_forged_index_record_with_control_characters_is_thrown_away(tmp_path: Path) -> None:
    folder = small_folder(tmp_path)
    library.gather(builtin=False, folders=[folder])
    cache = StoryCache()
    code, records = json.loads(cache._read_sealed("index", "list", 10**7))
    for record in records:
        record[3] and record[3].__setitem__(1, "Tiny\x1b]0;pwned\x07")
    cache._write_sealed("index", "list", json.dumps([code, records]).encode())
    entries, cache, _ = library.offer(builtin=False, folders=[folder])
    assert all(e.shown is None or e.broken for e in entries)
    list(library.check_rest(entries, cache))
    assert not any("\x1b" in e.title for e in entries)


def test_an_index_written_for_other_checking_code_is_void(tmp_path: Path, monkeypatch) -> None:
    folder = small_folder(tmp_path)
    library.gather(builtin=False, folders=[folder])
    monkeypatch.setattr(story_cache, "code_stamp", lambda: "another version")
    assert not any(e.shown for e in library.offer(builtin=False, folders=[folder])[0])


def test_the_index_is_bounded_and_keeps_what_two_windows_confirmed(tmp_path: Path) -> None:
    paths = [write(tmp_path, MINIMAL.replace('id = "tiny"', f'id = "tiny-{n}"'), f"s{n}.toml") for n in range(5)]
    first, second = StoryCache(tmp_path / "cache", max_stories=3), StoryCache(tmp_path / "cache", max_stories=3)
    first.check(paths[0])
    second.check(paths[1])
    first.write_index()
    second.write_index()
    index = StoryCache(tmp_path / "cache").index()
    assert all(index.listed(str(p), p.stat()) for p in paths[:2])  # neither window lost the other's
    window = StoryCache(tmp_path / "cache", max_stories=3)
    for path in paths[2:]:
        window.check(path)
    window.write_index()
    index = StoryCache(tmp_path / "cache").index()
    assert [bool(index.listed(str(p), p.stat())) for p in paths] == [False, False, True, True, True]


def test_the_cache_command_says_where_and_clears(tmp_path: Path, capsys) -> None:
    library.gather()
    assert main(["cache"]) == 0
    out = capsys.readouterr().out
    assert str(story_cache.folder()) in out and "9 stories" in out
    assert main(["cache", "--clear"]) == 0
    assert "removed" in capsys.readouterr().out
    assert StoryCache().usage() == (0, 0)
