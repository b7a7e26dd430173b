"""The branching map of a scenario, as Mermaid or Graphviz DOT text.

Authors see the shape of a story at a glance: which scenes lead where, which
choices depend on a condition, and how the endings feel (coloured by tone).
`goto = "@ending"` is drawn as a diamond that fans out to the endings, each
edge labelled with the ending's `when`.

Choices are numbered as in every message about the file: the 2nd choice of a
scene is its 2nd `[[choices]]` entry, struck-through and hidden ones counted.
An arrow carries only the numbers of the choices it stands for ("1, 3"), so
labels stay short where many choices meet; each scene's box lists its choices
with their text, condition and `once` (and DOT adds the same lines as a tooltip).

Scenario text is untrusted: every label is escaped so that nothing a scenario
writes (quotes, brackets, pipes, entity codes, backslashes, control characters)
can end a label early or add to the map.
"""

from __future__ import annotations

import unicodedata

from game.model import AUTO_ENDING, TONES, Scenario, Scene

TONE_COLOURS = {
    "hopeful": ("#d8f0d2", "#2e7d32"),
    "warm": ("#fde8c8", "#c26a00"),
    "bittersweet": ("#e6dcf2", "#6a4c93"),
    "hard": ("#f5d5d0", "#b23a2a"),
    "grim": ("#d6d6d6", "#333333"),
}
"""Fill and outline for each tone (light fills keep labels readable)."""

FORMATS = ("mermaid", "dot")


def _plain(text: str) -> str:
    """One line of printable text: control and format characters become spaces, runs of space one space."""
    cleaned = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in text)
    return " ".join(cleaned.split())


def _short(text: str, width: int = 40) -> str:
    text = _plain(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _choice_lines(scene: Scene) -> list[str]:
    """Each choice of a scene as its line in the scene's box: number, text, condition, once."""
    lines = []
    for choice in scene.choices:
        line = f"{choice.index + 1}. {_short(choice.text)}"
        if choice.condition is not None:
            line += f" (if {_short(choice.condition.source, 40)})"
        if choice.once:
            line += " (once)"
        lines.append(line)
    return lines


def _edges(scenario: Scenario) -> list[tuple[str, str, str, bool, list[str]]]:
    """(from, to, label, conditional, full lines): one arrow per scene, target and kind of choice.

    The label lists the choices' numbers; "@ending" stands for the picker node.
    """
    edges = []
    for scene in scenario.scenes.values():
        lines = _choice_lines(scene)
        groups: dict[tuple[str, bool], list[int]] = {}
        for choice in scene.choices:
            groups.setdefault((choice.goto, choice.condition is not None), []).append(choice.index)
        for (target, conditional), indexes in groups.items():
            label = ", ".join(str(i + 1) for i in indexes)
            edges.append((scene.id, target, label, conditional, [lines[i] for i in indexes]))
    return edges


def _uses_auto(scenario: Scenario) -> bool:
    return any(c.goto == AUTO_ENDING for s in scenario.scenes.values() for c in s.choices)


_MERMAID = {"#": "#35;", "&": "#amp;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;", "[": "#91;",
            "]": "#93;", "{": "#123;", "}": "#125;", "`": "#96;"}


def _mermaid_text(text: str) -> str:
    """A Mermaid label's text: one line, every character that means something to Mermaid as an entity code."""
    return "".join(_MERMAID.get(c, c) for c in _plain(text))


def mermaid(scenario: Scenario) -> str:
    """A Mermaid flowchart (paste into Markdown on GitHub, or mermaid.live)."""
    def node(place: str) -> str:
        return ("e_" if place in scenario.endings else "s_") + place if place != AUTO_ENDING else "pick_ending"

    lines = ["flowchart TD"]
    for scene in scenario.scenes.values():
        title = f"{scene.title} ({scene.id})" if scene.title else scene.id
        parts = [_mermaid_text(title), *(_mermaid_text(line) for line in _choice_lines(scene))]
        lines.append(f'  {node(scene.id)}["{"<br/>".join(parts)}"]')
    for ending in scenario.endings.values():
        lines.append(f'  {node(ending.id)}(["{_mermaid_text(ending.title)} {_mermaid_text(f"({ending.tone})")}"])'
                     f":::{ending.tone}")
    if _uses_auto(scenario):
        lines.append('  pick_ending{"@ending"}')
    lines.append(f"  start((start)) --> {node(scenario.start)}")
    for source, target, label, conditional, _ in _edges(scenario):
        arrow = "-.->" if conditional else "-->"
        lines.append(f'  {node(source)} {arrow}|"{_mermaid_text(label)}"| {node(target)}')
    if _uses_auto(scenario):
        for ending in scenario.endings.values():
            label = f"when {ending.when.source}" if ending.when else "otherwise"
            lines.append(f'  pick_ending -->|"{_mermaid_text(_short(label, 40))}"| {node(ending.id)}')
    for tone in TONES:
        fill, stroke = TONE_COLOURS[tone]
        lines.append(f"  classDef {tone} fill:{fill},stroke:{stroke},color:#000")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    """A DOT string's text: one line, backslashes and quotes escaped (so no `\\n` or `\\N` of the author's)."""
    return _plain(text).replace("\\", "\\\\").replace('"', '\\"')


def dot(scenario: Scenario) -> str:
    """A Graphviz digraph (`dot -Tsvg map.dot -o map.svg`)."""
    def node(place: str) -> str:
        return f'"{_dot_text(place)}"'

    lines = [f'digraph "{_dot_text(scenario.id)}" {{', "  rankdir=TB;",
             '  node [fontname="Helvetica", shape=box, style="rounded"];',
             '  edge [fontname="Helvetica", fontsize=10];',
             '  "@start" [shape=point];', f"  \"@start\" -> {node(scenario.start)};"]
    for scene in scenario.scenes.values():
        title = f"{_dot_text(scene.title)}\\n({scene.id})" if scene.title else scene.id
        body = "".join(f"{_dot_text(line)}\\l" for line in _choice_lines(scene))
        lines.append(f'  {node(scene.id)} [label="{title}\\n{body}"];')
    for ending in scenario.endings.values():
        fill, stroke = TONE_COLOURS[ending.tone]
        lines.append(f'  {node(ending.id)} [label="{_dot_text(ending.title)}\\n{ending.tone}", shape=ellipse, '
                     f'style=filled, fillcolor="{fill}", color="{stroke}"];')
    if _uses_auto(scenario):
        lines.append('  "@ending" [shape=diamond];')
    for source, target, label, conditional, full in _edges(scenario):
        style = ", style=dashed" if conditional else ""
        target_node = '"@ending"' if target == AUTO_ENDING else node(target)
        tooltip = _dot_text(" / ".join(full))
        lines.append(f'  {node(source)} -> {target_node} [label="{_dot_text(label)}", tooltip="{tooltip}"{style}];')
    if _uses_auto(scenario):
        for ending in scenario.endings.values():
            label = f"when {ending.when.source}" if ending.when else "otherwise"
            lines.append(f'  "@ending" -> {node(ending.id)} [label="{_dot_text(_short(label, 40))}", '
                         f'tooltip="{_dot_text(label)}", style=dotted];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(scenario: Scenario, fmt: str = "mermaid") -> str:
    if fmt == "dot":
        return dot(scenario)
    if fmt == "mermaid":
        return mermaid(scenario)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
