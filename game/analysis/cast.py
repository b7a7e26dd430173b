"""Who the reader has met, carried through the exploration: the facts behind SC150.

A story introduces a character the first time a scene's text (its title, or
the variant shown) or an ending's names them, or a chat message comes from
them. A choice (its text, and its reason when it is shown struck through) or
a message from someone else that names a character before that, on some
path, confuses a reader who has never heard of them.

The exploration carries, in one more slot of each situation, a bit for each
character the play has met before arriving there (`MetRules.slot`). At each
situation the check looks at what the reader sees, in the order they see it
(the scene's text, its messages one by one, then the choices shown) and
notes each character named before being met, with the situation as its
example play. As with the other facts, a situation forgets the bits no place
at or after it can ask about, so the cast costs few extra situations.

Stories without a cast, or whose texts name no character where it could be
too early, get no slot at all: the exploration is the same as without it.
"""

from __future__ import annotations

from collections.abc import Callable

from game.analysis.numbering import choice_in, example, ordinal, quoted
from game.cast import Cast
from game.model import Scenario

Test = Callable[[tuple], object]


class MetRules:
    """The cast compiled for one Machine: what each place introduces and names, and what each place keeps."""

    def __init__(self, scenario: Scenario, place_ids: list[str], n_scenes: int, rows: list, variants: list,
                 messages: list, successors: list[set[int]], slot: int):
        self.slot = slot
        cast = Cast(scenario.cast)
        self.ids = cast.order
        bit = {cid: 1 << i for i, cid in enumerate(self.ids)}

        def bits(text: str) -> int:
            found = 0
            for cid in cast.named(text):
                found |= bit[cid]
            return found

        self.n_scenes = n_scenes
        self.variants = variants
        self.base: list[int] = []
        self.variant_bits: list[list[int]] = []
        self.messages: list[list[tuple[int, Test | None, int, int]]] = []
        self.choices: list[list[tuple[object, int, int, int, bool]]] = []
        """Per scene: (rule, index, bits named when open, bits named when struck through, may strike)."""
        asks = [0] * len(place_ids)
        for p, pid in enumerate(place_ids):
            place = scenario.scenes.get(pid) or scenario.endings[pid]
            self.base.append(bits(f"{place.title}\n{place.text}"))
            self.variant_bits.append([bits(f"{place.title}\n{v.text}") for v in place.variants])
            if p >= n_scenes:
                continue
            scene = scenario.scenes[pid]
            row = []
            for (k, test), message in zip(messages[p], scene.messages, strict=True):
                sender = cast.sender(message.sender)
                sent = bit[sender] if sender is not None and not message.mine else 0
                named = bits(message.text) & ~sent
                row.append((k, test, sent, named))
                asks[p] |= named
            self.messages.append(row)
            choices = []
            for rule in rows[p]:
                choice = rule.choice
                strikes = choice.condition is not None and choice.unavailable == "strike"
                named = bits(choice.text)
                struck = named | (bits(choice.reason) if strikes else 0)
                if struck:
                    choices.append((rule, choice.index, named, struck, strikes))
                    asks[p] |= struck
            self.choices.append(choices)
        self.keep = _live(asks, successors)
        self.all = (1 << len(self.ids)) - 1

    @property
    def needed(self) -> bool:
        """Whether any place can name a character too early (else the slot is not worth its cost)."""
        return any(self.keep)

    def visit(self, state: tuple, taken_slot: int) -> tuple[int, list[tuple[str, int, int]]]:
        """At `state`: the characters met once the place has been read, and what it names too early,
        as ("choice" or "message", its index, the characters' bits)."""
        at = state[0]
        met = state[self.slot]
        shown = -1
        for k, (test, _) in enumerate(self.variants[at]):
            if test(state):
                shown = k
                break
        met |= self.base[at] if shown < 0 else self.variant_bits[at][shown]
        early: list[tuple[str, int, int]] = []
        if at >= self.n_scenes:
            return met, early
        for k, test, sent, named in self.messages[at]:
            if test is None or test(state):
                met |= sent
                if named & ~met:
                    early.append(("message", k, named & ~met))
        taken = state[taken_slot]
        for rule, index, named, struck, strikes in self.choices[at]:
            if rule.once and taken & rule.once:
                continue
            if rule.test is None or rule.test(state):
                missing = named & ~met
            elif strikes:
                missing = struck & ~met
            else:
                continue  # hidden
            if missing:
                early.append(("choice", index, missing))
        return met, early

    def characters(self, bits: int) -> list[str]:
        return [cid for i, cid in enumerate(self.ids) if bits >> i & 1]


def _live(asks: list[int], successors: list[set[int]]) -> list[int]:
    """For each place, the characters some place at or after it names where they might not be met yet."""
    live = list(asks)
    preds: list[list[int]] = [[] for _ in live]
    for p, targets in enumerate(successors):
        for t in targets:
            preds[t].append(p)
    work = list(range(len(live)))
    while work:
        t = work.pop()
        for p in preds[t]:
            if live[t] & ~live[p]:
                live[p] |= live[t]
                work.append(p)
    return live


def findings(scenario: Scenario, walk) -> list[tuple[str, str, tuple, str, tuple, int | None]]:
    """SC150 and SC151 as (code, message, path, hint, related places, the name's place in the text), from an
    Exploration."""
    if not scenario.cast:
        return []
    out = []
    for (kind, scene_id, index, cid), ref in sorted(walk.named_early.items(), key=lambda item: item[0]):
        character = scenario.cast[cid]
        scene = scenario.scenes[scene_id]
        if kind == "choice":
            where = f"{choice_in(scene_id, index)} ({quoted(scene.choices[index].text)})"
        else:
            where = f"the {ordinal(index + 1)} message in `{scene_id}` ({quoted(scene.messages[index].text)})"
        play = example(walk, ref)
        text = scene.choices[index].text if kind == "choice" else scene.messages[index].text
        first = next((start for start, _, who in Cast({cid: character}).mentions(text) if who == cid), None)
        out.append(("SC150", f"{character.name} is named in {where} before the story has introduced them on the "
                    f"way there, e.g. {play}", ("scenes", scene_id, f"{kind}s", index,
                                                "text" if first is not None or kind == "message" else "reason"),
                    f"introduce {character.name} first on every way here: name them in a scene's text, or let a "
                    "message come from them; or leave the name out here",
                    ((f"{character.name} in the cast", ("cast", cid)),), first))
    texts = [f"{s.title}\n{s.text}" for s in scenario.scenes.values()]
    texts += [f"{e.title}\n{e.text}" for e in scenario.endings.values()]
    for place in (*scenario.scenes.values(), *scenario.endings.values()):
        texts += [v.text for v in place.variants]
    for scene in scenario.scenes.values():
        texts += [f"{m.sender}\n{m.text}" for m in scene.messages]
        texts += [f"{c.text}\n{c.reason}" for c in scene.choices]
    named = set(Cast(scenario.cast).named("\n\n".join(texts)))
    senders = Cast(scenario.cast)
    named |= {cid for scene in scenario.scenes.values() for m in scene.messages
              if (cid := senders.sender(m.sender)) is not None}
    for cid, character in scenario.cast.items():
        if cid not in named:
            out.append(("SC151", f"cast member `{cid}` ({character.name}) is never named in the story",
                        ("cast", cid), f"name {character.name} where the reader meets them, or remove [cast.{cid}]",
                        (), None))
    return out
