"""The branching map of a scenario, as Mermaid or Graphviz DOT text.

Authors see the shape of a story at a glance: which scenes lead where, which
choices depend on a condition, and how the endings feel (coloured by tone).
`goto = "@ending"` is drawn as a diamond that fans out to the endings, each
edge labelled with the ending's `when`.
"""

from __future__ import annotations

from game.model import AUTO_ENDING, TONES, Scenario

TONE_COLOURS = {
    "hopeful": ("#d8f0d2", "#2e7d32"),
    "warm": ("#fde8c8", "#c26a00"),
    "bittersweet": ("#e6dcf2", "#6a4c93"),
    "hard": ("#f5d5d0", "#b23a2a"),
    "grim": ("#d6d6d6", "#333333"),
}
"""Fill and outline for each tone (light fills keep labels readable)."""

FORMATS = ("mermaid", "dot")


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _edges(scenario: Scenario) -> list[tuple[str, str, str, bool]]:
    """(from, to, label, conditional) for every choice; "@ending" stands for the picker node."""
    edges = []
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            label = f"{choice.index + 1}. {_short(choice.text)}"
            if choice.condition is not None:
                label += f" [if {choice.condition.source}]"
            if choice.once:
                label += " [once]"
            edges.append((scene.id, choice.goto, label, choice.condition is not None))
    return edges


def _uses_auto(scenario: Scenario) -> bool:
    return any(c.goto == AUTO_ENDING for s in scenario.scenes.values() for c in s.choices)


def _mermaid_text(text: str) -> str:
    """Mermaid labels are quoted; quotes and markup-like characters become entities."""
    for raw, entity in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("|", "#124;")):
        text = text.replace(raw, entity)
    return text


def mermaid(scenario: Scenario) -> str:
    """A Mermaid flowchart (paste into Markdown on GitHub, or mermaid.live)."""
    def node(place: str) -> str:
        return ("e_" if place in scenario.endings else "s_") + place if place != AUTO_ENDING else "pick_ending"

    lines = ["flowchart TD"]
    for scene in scenario.scenes.values():
        title = f"{scene.title} ({scene.id})" if scene.title else scene.id
        lines.append(f'  {node(scene.id)}["{_mermaid_text(title)}"]')
    for ending in scenario.endings.values():
        lines.append(f'  {node(ending.id)}(["{_mermaid_text(ending.title)} ({ending.tone})"]):::{ending.tone}')
    if _uses_auto(scenario):
        lines.append('  pick_ending{"@ending"}')
    lines.append(f'  start((start)) --> {node(scenario.start)}')
    for source, target, label, conditional in _edges(scenario):
        arrow = "-.->" if conditional else "-->"
        lines.append(f'  {node(source)} {arrow}|"{_mermaid_text(label)}"| {node(target)}')
    if _uses_auto(scenario):
        for ending in scenario.endings.values():
            label = f"when {ending.when.source}" if ending.when else "otherwise"
            lines.append(f'  pick_ending -->|"{_mermaid_text(label)}"| {node(ending.id)}')
    for tone in TONES:
        fill, stroke = TONE_COLOURS[tone]
        lines.append(f"  classDef {tone} fill:{fill},stroke:{stroke},color:#000")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def dot(scenario: Scenario) -> str:
    """A Graphviz digraph (`dot -Tsvg map.dot -o map.svg`)."""
    def node(place: str) -> str:
        return f'"{place}"'

    lines = [f'digraph "{_dot_text(scenario.id)}" {{', "  rankdir=TB;",
             '  node [fontname="Helvetica", shape=box, style="rounded"];',
             '  edge [fontname="Helvetica", fontsize=10];',
             '  "@start" [shape=point];', f"  \"@start\" -> {node(scenario.start)};"]
    for scene in scenario.scenes.values():
        title = f"{_dot_text(scene.title)}\\n({scene.id})" if scene.title else scene.id
        lines.append(f'  {node(scene.id)} [label="{title}"];')
    for ending in scenario.endings.values():
        fill, stroke = TONE_COLOURS[ending.tone]
        lines.append(f'  {node(ending.id)} [label="{_dot_text(ending.title)}\\n{ending.tone}", shape=ellipse, '
                     f'style=filled, fillcolor="{fill}", color="{stroke}"];')
    if _uses_auto(scenario):
        lines.append('  "@ending" [shape=diamond];')
    for source, target, label, conditional in _edges(scenario):
        style = ", style=dashed" if conditional else ""
        target_node = '"@ending"' if target == AUTO_ENDING else node(target)
        lines.append(f'  {node(source)} -> {target_node} [label="{_dot_text(label)}"{style}];')
    if _uses_auto(scenario):
        for ending in scenario.endings.values():
            label = f"when {ending.when.source}" if ending.when else "otherwise"
            lines.append(f'  "@ending" -> {node(ending.id)} [label="{_dot_text(label)}", style=dotted];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(scenario: Scenario, fmt: str = "mermaid") -> str:
    if fmt == "dot":
        return dot(scenario)
    if fmt == "mermaid":
        return mermaid(scenario)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
