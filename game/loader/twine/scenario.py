"""A Twine story made into the plain dict a scenario file holds, with where each part came from.

This is where the story's shape is decided: which passages are scenes (those
with links) and which are endings (those without), what the start is, which
variables are meters and which are flags, each choice's condition and
effects. The dict goes to game.loader.build like any parsed scenario file,
with `Positions` that place every key at the passage, link or macro it came
from, so the builder's own checks point into the Twine file too.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping

import attrs

from game.expr import RESERVED
from game.loader.keys import ID_RULE, LINE, SCENARIO_ID, TITLE
from game.loader.twine import expressions
from game.loader.twine.expressions import Assignment, Problem
from game.loader.twine.names import assign, plain_letters
from game.loader.twine.passages import ChoicePlan, PassagePlan
from game.loader.twine.prose import PLACEHOLDER, guard_condition, prose, tidy
from game.loader.twine.story import INFO, Notes, Story
from game.loader.twine.values import Edge, compose, explore
from game.model import STANDARD_METERS
from game.safetext import quote

Path = tuple
TONE, OUTCOME = "bittersweet", "open"
"""What an ending made from a passage says until the author decides: a warning asks them to."""
SUMMARY = "Brought in from Twine: write one line about the story here."


@attrs.define
class Draft:
    """The scenario as a dict, where its keys came from, and the notes the written file carries for its author."""

    data: dict
    positions: dict[Path, tuple[int, int]]
    comments: dict[Path, list[str]] = attrs.Factory(dict)  # lines written above a table or key
    todo: dict[Path, str] = attrs.Factory(dict)  # a "TO DO" written after a key's value
    places: list[tuple[str, str]] = attrs.Factory(list)  # ("scenes" or "endings", id) in passage order


class Positions:
    """The loader's Positions for a draft: each path at its place in the Twine file (or its parent's)."""

    def __init__(self, found: dict[Path, tuple[int, int]]):
        self.found = found

    def __call__(self, path: Path) -> tuple[int, int]:
        path = tuple(path)
        while path and path not in self.found:
            path = path[:-1]
        return self.found.get(path, (1, 1))

    def value_column(self, path: Path) -> tuple[int, int]:
        line, column = self(path)
        return line, column - 1

    def char_position(self, path: Path, index: int) -> tuple[int, int] | None:
        return self(path)  # the text was rewritten on the way in: the place of the whole value is the best guess


def slug(text: str) -> str:
    """A scenario id from a title: `The Jacket!` becomes `the-jacket`, `Café` becomes `cafe`."""
    folded = plain_letters(tidy(text))
    made = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:64].strip("-")
    return made if SCENARIO_ID.match(made) else ""


class Assembler:
    def __init__(self, story: Story, plans: list[PassagePlan], notes: Notes, start: str, initial: list[Assignment],
                 stem: str, taken: Mapping[str, str] | None = None, unset: list[tuple[str, int]] | None = None):
        self.taken = dict(taken or {})  # story ids already on offer -> the story that has each
        self.initial_unset = unset or []  # (variable, offset) of each assignment before the start left out
        self.story = story
        self.plans = {plan.passage.name: plan for plan in plans}
        self.order = plans
        self.notes = notes
        self.start = start
        self.initial = initial
        self.stem = stem
        self.where = notes.origin.where
        self.draft = Draft({}, {(): (1, 1)})
        self.variants: dict[Path, list[dict]] = {}

    # --- which passages lead where ------------------------------------------------------

    def links(self) -> dict[str, list[ChoicePlan]]:
        """Each passage's choices that lead to a passage of the story; the others are reported and left out."""
        kept: dict[str, list[ChoicePlan]] = {}
        for plan in self.order:
            kept[plan.passage.name] = []
            for choice in plan.choices:
                if choice.target in self.plans:
                    kept[plan.passage.name].append(choice)
                    continue
                close = difflib.get_close_matches(choice.target, list(self.plans), n=1)
                hint = f"did you mean `{quote(close[0], 40)}`?" if close else "add the passage, or fix the link"
                self.notes.add("SC225", f"the link to `{quote(choice.target, 40)}` leads to no passage of the "
                               "story: the choice was left out", choice.target_at, hint)
        return kept

    # --- variables -----------------------------------------------------------------------

    def variables(self, kept: dict[str, list[ChoicePlan]]) -> tuple[dict[str, str], dict[str, str], set[int]]:
        """Each variable's kind ("meter" or "flag") and id, and the assignments left out for their kind."""
        every = [*self.initial, *(a for p in self.order for a in p.arrival),
                 *(a for choices in kept.values() for c in choices for a in c.effects)]
        kinds: dict[str, str] = {}
        first_at: dict[str, int] = {}
        dropped: set[int] = set()
        for item in sorted(every, key=lambda a: a.at):
            kind = "flag" if item.kind == "flag" else "meter"
            first_at.setdefault(item.variable, item.at)
            if kinds.setdefault(item.variable, kind) != kind:
                dropped.add(id(item))
                was = "true or false" if kind == "meter" else "a number"
                self.notes.add("SC228", f"`${quote(item.variable, 40)}` is {was} elsewhere in the story (first at "
                               f"line {self.where(first_at[item.variable])[0]}): this assignment was left out",
                               item.at, "give each variable one kind: numbers or true/false")
        uses = [(name, how, at) for p in self.order for tree, _ in p.conditions
                for name, how, at in expressions.variables(tree)]
        for name, _, at in uses:
            if name not in kinds:
                kinds[name] = "meter" if any(n == name and h == "number" for n, h, _ in uses) else "flag"
                first_at.setdefault(name, at)
        gone = self.start_true(kept, every, dropped, {name for name, _, _ in uses})
        kinds = {name: kind for name, kind in kinds.items() if name not in gone}
        for name, at in dict(reversed([*self.initial_unset, *(u for p in self.order for u in p.unset)])).items():
            if name not in kinds:
                self.notes.add("SC223", f"`${quote(name, 40)}` is left out of the scenario: nothing that sets it "
                               "could carry over, and no condition reads it", at,
                               "set it with whole numbers or true/false, or remove it from the story")
        meters = assign([n for n in kinds if kinds[n] == "meter"], "v", reserved=RESERVED)
        flags = assign([n for n in kinds if kinds[n] == "flag"], "f", taken=[*meters.values(), *STANDARD_METERS],
                       reserved=RESERVED)
        ids = {**meters, **flags}
        for name, made in ids.items():
            if made != name:
                self.notes.add("SC250", f"the variable `${quote(name, 40)}` is `{made}` in the scenario "
                               f"(an id must {ID_RULE}, and not be a word conditions keep for themselves)",
                               first_at.get(name, 0), None, INFO)
        self.first_at = first_at
        return kinds, ids, dropped

    def start_true(self, kept: dict[str, list[ChoicePlan]], every: list[Assignment], dropped: set[int],
                   read: set[str]) -> set[str]:
        """Report each flag set true from the start (a scenario's flags start false, so that is left out), and
        give the variables that then have nothing left to do: no other assignment counts and nothing reads them.
        Their assignments join `dropped`: they are left out of the scenario, not declared and never set."""
        startup = {id(a) for a in self.initial}
        into_start = any(c.target == self.start for choices in kept.values() for c in choices)
        found = [a for a in (*self.initial, *self.plans[self.start].arrival)
                 if a.kind == "flag" and a.value and id(a) not in dropped]
        inert = {id(a) for a in found if id(a) in startup or not into_start}  # never set again on the way in
        alive = {a.variable for a in every if id(a) not in dropped and id(a) not in inert}
        gone = {a.variable for a in found} - alive - read
        for item in found:
            self.notes.add("SC223", f"`${quote(item.variable, 40)}` is true from the start, and a scenario's flags "
                           "start false: this assignment was left out"
                           + (", and so was the variable, which nothing else sets or reads"
                              if item.variable in gone else ""), item.at,
                           "turn it round (a flag that says the opposite), or set it on the first choice")
        dropped |= {id(a) for a in every if a.variable in gone}
        return gone

    # --- the draft -------------------------------------------------------------------------

    def build(self, ids: dict[str, str]) -> Draft:
        """The whole draft; `ids` names each passage's scene or ending."""
        kept = self.links()
        kinds, var_ids, dropped = self.variables(kept)
        self.kinds, self.var_ids = kinds, var_ids

        def live(items) -> list[Assignment]:
            return [a for a in items if id(a) not in dropped]

        edges, changes = [], {}
        for plan in self.order:
            for choice in kept[plan.passage.name]:
                steps = (*live(choice.effects), *live(self.plans[choice.target].arrival))
                change = compose(steps)
                changes[id(choice)] = change
                guard = guard_condition(plan.chains, choice.guards)
                if guard is not None and isinstance(self.render(guard), Problem):
                    guard = None  # the scenario offers the choice always, and so does the walk
                edges.append(Edge(plan.passage.name, choice.target, change, steps, guard))
        meters = [n for n in kinds if kinds[n] == "meter"]
        self.values = explore(meters, self.start, [*live(self.initial), *live(self.plans[self.start].arrival)], edges)
        self.head()
        self.meters(meters)
        self.flags([n for n in kinds if kinds[n] == "flag"])
        for plan in self.order:
            choices = kept[plan.passage.name]
            table = "scenes" if choices else "endings"
            self.draft.places.append((table, ids[plan.passage.name]))
            if choices:
                self.scene(plan, ids, choices, changes, live)
            else:
                self.ending(plan, ids)
        if "endings" not in self.draft.data:
            start = self.plans[self.start].passage
            self.notes.error("SC203", "every passage has links, so the story never ends: a scenario needs at least "
                             "one passage without links, an ending", start.at,
                             "add a passage with no links where a play should stop, and link to it")
        return self.draft

    def head(self) -> None:
        story, draft = self.story, self.draft
        title = tidy(story.title) or self.stem.replace("-", " ").replace("_", " ").strip().title() or "A Twine story"
        scenario_id = slug(story.title) or slug(self.stem) or "imported-story"
        if scenario_id in self.taken:  # two stories with one id would share their saves and endings found
            wanted, n = scenario_id, 2
            while scenario_id in self.taken:
                suffix = f"-{n}"
                scenario_id, n = wanted[:64 - len(suffix)] + suffix, n + 1
            self.notes.add("SC251", f"the story's id would be `{wanted}`, which {quote(self.taken[wanted], 120)} "
                           f"already has: it is `{scenario_id}`, so the two never share saves or endings found",
                           story.title_at, "change `id` under [scenario] if you prefer another", INFO)
        title = self.fit(title, TITLE, "the story's title", "a title", "the scenario's title", story.title_at,
                         "shorten it in Twine, or write the `title` you want under [scenario]")
        draft.data["scenario"] = {"id": scenario_id, "title": title, "summary": SUMMARY, "start": ""}
        draft.positions[("scenario",)] = story.title_at
        draft.positions[("scenario", "start")] = story.start_at
        draft.todo[("scenario", "summary")] = "one line about the story, shown in the list of scenarios"

    def fit(self, text: str, limit: int, what: str, kind: str, made: str, at: tuple[int, int] | int,
            hint: str) -> str:
        """`text` cut to `limit` characters (at a word when one ends near), with an ellipsis, and a note at `at`."""
        if len(text) <= limit:
            return text
        kept = text[:limit - 1]
        space = kept.rfind(" ", limit - 20)
        kept = (kept[:space] if space > 0 else kept).rstrip() + "…"
        self.notes.add("SC231", f"{what} has {len(text):,} characters, more than {kind} may hold ({limit}): "
                       f"{made} is cut to {len(kept)}, ending “{quote(kept[-30:], 40)}”", at, hint)
        return kept

    def render(self, tree) -> str | Problem:
        return expressions.render(tree, {n: "flag" if k == "flag" else "meter" for n, k in self.kinds.items()},
                                  self.var_ids)

    def meters(self, names: list[str]) -> None:
        table: dict[str, dict] = {}
        self.ranges: dict[str, tuple[int, int]] = {}
        for name in names:
            meter_id = self.var_ids[name]
            start = self.values.single(self.start, name) or 0
            low, high = self.values.seen.get(name, (start, start))
            if name in self.values.unbounded:
                self.notes.add("SC228", f"`${quote(name, 40)}` keeps growing in a loop: its meter stops at "
                               f"{low} and {high}", self.first_at.get(name, 0),
                               "check `min` and `max` under its [meters] table")
            standard = STANDARD_METERS.get(meter_id)
            if standard is not None:
                low, high = min(low, standard.min), max(high, standard.max)
            low, high = max(low, -expressions.LIMIT), min(high, expressions.LIMIT)
            start = max(low, min(start, high))
            self.ranges[name] = (low, high)
            body: dict = {} if standard else {"label": meter_id.replace("_", " ").strip().capitalize() or meter_id}
            body["start"] = start
            if not standard or (low, high) != (standard.min, standard.max):
                body.update({"min": low, "max": high})
            table[meter_id] = body
            self.draft.positions[("meters", meter_id)] = self.where(self.first_at.get(name, 0))
            self.draft.comments[("meters", meter_id)] = [f"From the story's number `${quote(name, 40)}`."]
        if table:
            self.draft.data["meters"] = table

    def flags(self, names: list[str]) -> None:
        table = {}
        for name in names:
            flag_id = self.var_ids[name]
            table[flag_id] = f"{flag_id.replace('_', ' ').strip().capitalize()}."
            self.draft.positions[("flags", flag_id)] = self.where(self.first_at.get(name, 0))
            self.draft.todo[("flags", flag_id)] = f"a sentence saying what happened (`${quote(name, 40)}` in the story)"
        if table:
            self.draft.data["flags"] = table

    def scene(self, plan: PassagePlan, ids: dict[str, str], choices: list[ChoicePlan], changes: dict,
              live: Callable) -> None:
        scene_id = ids[plan.passage.name]
        path = ("scenes", scene_id)
        body: dict = {"text": self.text(plan, path)}
        if path in self.variants:
            body["variants"] = self.variants.pop(path)
        body["choices"] = [self.choice(plan, c, ids, changes[id(c)], live, (*path, "choices", k))
                           for k, c in enumerate(choices)]
        self.draft.data.setdefault("scenes", {})[scene_id] = body
        self.draft.positions[path] = plan.passage.at
        self.draft.comments[path] = self.origin_comment(plan, scene_id)
        if self.start == plan.passage.name:
            self.draft.data["scenario"]["start"] = scene_id

    def choice(self, plan: PassagePlan, choice: ChoicePlan, ids: dict[str, str], change: dict, live: Callable,
               path: Path) -> dict:
        text = self.fit(tidy(choice.text), LINE, f"the text of the link to `{quote(choice.target, 40)}`",
                        "a choice's text", "the choice's text", choice.at,
                        "shorten the link's words in Twine, or write the choice's `text` you want")
        body: dict = {"text": text or PLACEHOLDER, "goto": ids[choice.target]}
        positions = self.draft.positions
        positions[path] = self.where(choice.at)
        positions[(*path, "goto")] = self.where(choice.target_at)
        condition = guard_condition(plan.chains, choice.guards)
        if condition is not None:
            rendered = self.render(condition)
            at = plan.chains[choice.guards[-1][0]].at[choice.guards[-1][1]]
            if isinstance(rendered, Problem):
                self.notes.add("SC224", f"the condition of the link to `{quote(choice.target, 40)}` cannot carry "
                               f"over ({rendered.message}): the choice is always offered", at,
                               "compare numbers and true/false variables: `$trust >= 3`, `$met`")
            else:
                body["if"] = rendered
                positions[(*path, "if")] = self.where(at)
        effects = {}
        effect_at = {a.variable: a.at for a in [*choice.effects, *self.plans[choice.target].arrival]}
        for name, (kind, amount) in change.items():
            step = self.step(plan.passage.name, name, kind, amount, effect_at.get(name, choice.at))
            if step:
                effects[self.var_ids[name]] = step
                positions[(*path, "effects", self.var_ids[name])] = self.where(effect_at.get(name, choice.at))
        if effects:
            body["effects"] = effects
        flags: dict[str, bool] = {}
        for item in live([*choice.effects, *self.plans[choice.target].arrival]):
            if item.kind == "flag":
                flags[self.var_ids[item.variable]] = bool(item.value)
        if any(flags.values()):
            body["set"] = [f for f, on in flags.items() if on]
        if not all(flags.values()):
            body["clear"] = [f for f, on in flags.items() if not on]
        return body

    def step(self, passage: str, name: str, kind: str, amount: int, at: int) -> int:
        """The step that makes a change to a number variable, leaving `passage` (0: none, or none possible)."""
        if kind == "add":
            return max(-expressions.LIMIT, min(expressions.LIMIT, amount))
        before = self.values.single(passage, name)
        if before is not None:
            return amount - before
        low, high = self.ranges[name]
        if amount == low:
            return -(high - low) or 0
        if amount == high:
            return high - low
        found = self.values.at.get(passage, {}).get(name)
        where = "is never reached from the start" if passage not in self.values.at else \
            f"can hold {', '.join(map(str, sorted(found)[:5]))} there" if found else "can hold many values there"
        self.notes.add("SC223", f"`${quote(name, 40)}` is set to {amount} outright, but `{quote(passage, 40)}` "
                       f"{where}, so no single step gives {amount}: this choice leaves it as it is", at,
                       "give the choices a step (`to it + 1`), or set it only to its lowest or highest value")
        return 0

    def text(self, plan: PassagePlan, path: Path) -> str:
        def note(code: str, message: str, at: int) -> None:
            self.notes.add(code, message, at)

        base, variants = prose(plan, self.render, note)
        if variants:
            self.variants[path] = [{"if": condition, "text": text} for condition, text, _ in variants]
            for k, (_, _, at) in enumerate(variants):
                self.draft.positions[(*path, "variants", k)] = self.where(at)
        self.draft.positions[(*path, "text")] = self.where(plan.passage.span.offset(0))
        if not base:
            self.notes.add("SC230", f"passage `{quote(plan.passage.name, 40)}` has no text besides its links: it "
                           f"reads “{PLACEHOLDER}” until you write some", plan.passage.at)
            return PLACEHOLDER
        return base

    def ending(self, plan: PassagePlan, ids: dict[str, str]) -> None:
        ending_id = ids[plan.passage.name]
        path = ("endings", ending_id)
        text = self.text(plan, path)
        title = self.fit(tidy(plan.passage.name), TITLE, f"the name of passage `{quote(plan.passage.name, 40)}`",
                         "an ending's title", "the ending's title", plan.passage.at,
                         "shorten its name in Twine, or write the `title` you want under its [endings] table")
        body: dict = {"title": title or ending_id, "tone": TONE, "outcome": OUTCOME,
                      "text": text}
        if path in self.variants:
            body["variants"] = self.variants.pop(path)
        self.draft.data.setdefault("endings", {})[ending_id] = body
        self.draft.positions[path] = plan.passage.at
        self.draft.comments[path] = self.origin_comment(plan, ending_id)
        self.draft.todo[(*path, "tone")] = "hopeful, warm, bittersweet, hard or grim"
        self.draft.todo[(*path, "outcome")] = "together, friends, apart or open"
        if plan.passage.name == self.start:
            self.notes.error("SC202", f"the start passage `{quote(plan.passage.name, 40)}` has no links, so the "
                             "story would end before it begins", plan.passage.at,
                             "add a link to the passage that comes next")
            return
        self.notes.add("SC240", f"passage `{quote(plan.passage.name, 40)}` has no links, so it is an ending: its "
                       f"tone and outcome are “{TONE}” and “{OUTCOME}” until you choose them", plan.passage.at,
                       "set `tone` and `outcome` under its [endings] table")

    def origin_comment(self, plan: PassagePlan, made: str) -> list[str]:
        line = plan.passage.at[0]
        said = f"Passage “{quote(plan.passage.name, 60)}”, line {line}"
        if made != plan.passage.name:
            said += f" (its name is not an id, so it is `{made}` here)"
        if plan.passage.tags:
            said += f"; tags: {quote(' '.join(plan.passage.tags), 60)}"
        return [said + "."]
