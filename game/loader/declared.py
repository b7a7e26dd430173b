"""The names a scenario declares: its meters, its flags, and the ids of its scenes and endings.

Each is checked against the id pattern (game.loader.keys.ID, worded once as
ID_RULE) and against the words conditions keep for themselves
(game.expr.RESERVED): a meter called `and` or `tactic` could never be read
by a condition, which would read the built-in instead. A bad id is one error
naming the id it could be; the places that name it are not errors of their
own (the builder reads them with `unusable`, bad id to suggested id).
"""

from __future__ import annotations

import attrs

from game.expr import KEYWORDS, RESERVED, TACTIC, VISITS
from game.loader.keys import ID, ID_RULE, METER_KEYS, describe, suggested_id
from game.loader.reporter import Reporter
from game.model import STANDARD_METERS, Flag, Meter
from game.safetext import quote


def reserved_why(name: str) -> str:
    """What conditions already mean by a name in RESERVED, for the message refusing it."""
    if name == TACTIC:
        return f"`{TACTIC}` is built into conditions: it holds once the play has used a tactic"
    if name == VISITS:
        return f"`{VISITS}` is built into conditions: `{VISITS}.SCENE` counts a play's visits to a scene"
    assert name in KEYWORDS
    return f"`{name}` is a word of the condition language"


def bad_id(reader: Reporter, what: str, bad: str, where: tuple, named: str, unusable: dict[str, str]) -> None:
    """One error for an id that breaks the pattern, naming the id to use; the places that name it (by either
    spelling) are not errors of their own (`unusable` maps it to the suggested id)."""
    fixed = unusable[bad] = suggested_id(bad)
    reader.report("SC023", f"{what} id `{quote(bad)}` must {ID_RULE}", where,
                  f"call it `{quote(fixed)}`, here and wherever it is named ({named})")


def _refused(reader: Reporter, what: str, name: str, where: tuple, unusable: dict[str, str], named: str) -> bool:
    """Report a meter's or flag's id that is reserved or breaks the pattern; whether it was refused."""
    if name in RESERVED:
        reader.report("SC023", f"{reserved_why(name)}, so no {what} may take that name", where,
                      f"call the {what} something else")
        return True
    if not ID.match(name):
        bad_id(reader, what, name, where, named, unusable)
        return True
    return False


def meters_table(reader: Reporter, raw: dict, unusable: dict[str, str]) -> dict[str, Meter]:
    """The standard meters and those `[meters.ID]` declares soundly."""
    meters = dict(STANDARD_METERS)
    for meter_id, body in raw.items():
        where = ("meters", meter_id)
        if _refused(reader, "meter", meter_id, where, unusable, "`effects` and conditions"):
            continue
        fields = reader.table(body, where, METER_KEYS, f"meter `{quote(meter_id)}`")
        base = meters.get(meter_id, Meter(meter_id, meter_id.replace("_", " ").capitalize(), 0, 0, 10))
        meter = attrs.evolve(base, **{k: v for k, v in fields.items()})
        for key in ("start", "min", "max"):
            if abs(getattr(meter, key)) > 1000:
                reader.report("SC023", f"meter `{quote(meter_id)}` {quote(key)} {getattr(meter, key)} is out of range",
                              (*where, key), "keep meters between -1000 and 1000")
                break
        else:
            if meter.min > meter.max:
                reader.report("SC023", f"meter `{quote(meter_id)}` has min {meter.min} above max {meter.max}", where)
            elif not meter.min <= meter.start <= meter.max:
                reader.report("SC023", f"meter `{quote(meter_id)}` starts at {meter.start}, "
                              f"outside {meter.min}..{meter.max}",
                              (*where, "start") if "start" in fields else where)
            else:
                meters[meter_id] = meter
    return meters


def flags_table(reader: Reporter, raw: dict, unusable: dict[str, str]) -> dict[str, Flag]:
    """The flags `[flags]` declares soundly, each described by text."""
    flags: dict[str, Flag] = {}
    for flag_id, description in raw.items():
        where = ("flags", flag_id)
        if _refused(reader, "flag", flag_id, where, unusable, "`set`, `clear` and conditions"):
            continue
        if not isinstance(description, str):
            reader.report("SC022", f"flag `{quote(flag_id)}` must be described by text, not {describe(description)}",
                          where, f'e.g. {quote(flag_id)} = "You sent the text."')
        else:
            flags[flag_id] = Flag(flag_id, description)
    return flags


def id_table(reader: Reporter, data: dict, key: str, what: str, unusable: dict[str, str]) -> dict:
    """The tables of `[key.ID]` whose ids are sound. A bad id is one error, with the id it could be; it joins
    `unusable` (mapped to that id), so that the `goto`s naming it, by either spelling, are not errors of their
    own. A table already written under the id it could be (`[scenes.seed-swap]` beside
    `[[scenes.seed_swap.choices]]`) is half of the same scene: it is left for the renamed table to join."""
    raw = data.get(key, {})
    good = {}
    for item_id, body in raw.items():
        if ID.match(item_id):
            good[item_id] = body
            continue
        bad_id(reader, what, item_id, (key, item_id), "a `goto`, `start`, an expected ending", unusable)
    for fixed in unusable.values():
        good.pop(fixed, None)
    return good


def deeper_header(key: str, item_id: str, body: object) -> str | None:
    """The header that made `[key.ID]` when only deeper headers did (`[[scenes.dee_raeds.choices]]`, nothing
    set under `[scenes.dee_raeds]` itself), as the writer wrote it; None when the table has keys of its own."""
    if not isinstance(body, dict) or not body:
        return None
    first, value = next(iter(body.items()))
    if not all(isinstance(v, dict) or isinstance(v, list) and v and all(isinstance(i, dict) for i in v)
               for v in body.values()):
        return None
    return f"[[{key}.{item_id}.{first}]]" if isinstance(value, list) else f"[{key}.{item_id}.{first}]"


def valid(ids: set[str]) -> set[str]:
    """The ids a suggestion may name: never one that breaks the pattern."""
    return {i for i in ids if ID.match(i)}
