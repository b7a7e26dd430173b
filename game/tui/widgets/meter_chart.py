"""The meters revealed: trust and self-esteem over the play, drawn in text.

The debrief is the first time the player sees the hidden meters, so the chart
has to read without colour: each meter has its own mark (● ◆ ■ ▲), a cell
where two meters have the same value shows ◈, the legend names them in words, and the turning
point is a ▼ with a label above its column plus a dotted guide down to the
axis. Colour only repeats what the marks already say.

When the width cannot hold one column per step, the chart gives way to one
line of numbers per meter ("Their trust ●: 5 → 6 → 4"), which says the same
thing in fewer cells instead of squeezing marks on top of each other.

A chart that must fit a few rows (the debrief's summary) is fitted to the
values the play reached: one row per value, every row labelled, so a 4 and a
5 are never drawn on one row and a 4 is never drawn where a 2.5 would be. A
play whose values span more rows than that is shown as the lines of numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import attrs
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from game.model import Meter
from game.wording import choice_label

MARKS = ("●", "◆", "■", "▲", "★")
SHARED = "◈"
TURN = "▼"
GUIDE = "┊"
MAX_ROWS = 11
"""A 0..10 meter gets one row per value; wider ranges are scaled to this many rows."""
MAX_GAP = 6
"""Columns between two steps at most: a short play should not sprawl across a wide screen."""
MIN_CHART_WIDTH = 24
CAPTION = "choices (0 = the start)"
SHORT_CAPTION = "0 = the start"

ROLES = ("axis", "turning", "legend")


@attrs.frozen
class ChartData:
    """What the chart draws: the meters, their values at the start and after each step, the turn."""

    meters: tuple[Meter, ...]
    series: Mapping[str, Sequence[int]]
    turning: int | None = None
    """The step (1-based) that moved the meters most, or None when nothing moved."""
    max_rows: int = MAX_ROWS
    """Fewer rows for a summary that must fit one screen; values are scaled to fit."""
    caption: bool = True
    """Whether to say under the axis what the numbers are ("choices (0 = the start)")."""
    fit: bool = False
    """Fit the rows to the values reached, one row per value (see `fitted`), instead of scaling the
    meters' whole range into `max_rows`."""

    @property
    def points(self) -> int:
        return max((len(v) for v in self.series.values()), default=0)


def mark(index: int) -> str:
    return MARKS[index % len(MARKS)]


def _placed(meters: Sequence[Meter], values: Sequence[int | None], rows: int) -> list[int]:
    """The row of each meter's value at one step, never putting different values in one cell.

    A chart with fewer rows than values (the summary's five rows for 0..10)
    rounds several values into one row; two meters there would draw ◈, "both
    at once", for a 4 and a 6. So where different values round into the same
    row, the lower goes to the row below its exact height and the higher to
    the row above (rounding down and up cannot meet for different values), and
    only equal values share a cell.
    """
    exact = [None if v is None else (max(m.min, min(m.max, v)) - m.min) * (rows - 1) / max(1, m.max - m.min)
             for m, v in zip(meters, values, strict=True)]
    placed = [-1 if e is None else round(e) for e in exact]
    for row in set(placed) - {-1}:
        here = sorted((i for i, r in enumerate(placed) if r == row and values[i] is not None),
                      key=lambda i: exact[i] or 0.0)
        if len({values[i] for i in here}) > 1:
            lowest, highest = here[0], here[-1]
            placed[lowest] = math.floor(exact[lowest] or 0.0)
            placed[highest] = math.ceil(exact[highest] or 0.0)
    return placed


def fitted(data: ChartData) -> tuple[Meter, ...] | None:
    """The meters with their range narrowed to the values this play reached, for one row per value.

    None when that cannot be drawn truthfully in `max_rows`: the values span
    more rows, or the meters have different ranges (one row would mean two
    values). A flat play still gets two rows, so it reads as a chart.
    """
    values = [v for meter in data.meters for v in data.series.get(meter.id, ())]
    if not values or len({(m.min, m.max) for m in data.meters}) != 1:
        return None
    bottom, top = data.meters[0].min, data.meters[0].max
    low, high = max(bottom, min(values)), min(top, max(values))
    if high == low:
        high, low = (high + 1, low) if high < top else (high, low - 1)
    if high - low + 1 > data.max_rows:
        return None
    return tuple(attrs.evolve(m, min=low, max=high) for m in data.meters)


def _rows_for(meters: Sequence[Meter], most: int = MAX_ROWS) -> int:
    span = max((m.max - m.min for m in meters), default=0)
    return max(2, min(most, span + 1))


def _value_at(values: Sequence[int], step: int) -> int | None:
    return values[step] if step < len(values) else None


def _style(styles: Mapping[str, Style] | None, role: str) -> Style | str:
    return styles.get(role, "") if styles else ""


def legend_lines(data: ChartData, width: int, styles: Mapping[str, Style] | None = None) -> list[Text]:
    """The meters' names with their marks, wrapped to `width` at item boundaries."""
    items: list[Text] = []
    for i, meter in enumerate(data.meters):
        item = Text()
        item.append(mark(i), style=_style(styles, f"series-{i}"))
        item.append(" ")
        item.append(meter.label, style=_style(styles, "legend"))
        items.append(item)
    if len(data.meters) > 1:
        both = Text()
        both.append(SHARED, style=_style(styles, "shared"))
        both.append(" both at once", style=_style(styles, "legend"))
        items.append(both)
    lines: list[Text] = []
    line = Text()
    for item in items:
        gap = 3 if line.cell_len else 0
        if line.cell_len and line.cell_len + gap + item.cell_len > width:
            lines.append(line)
            line, gap = Text(), 0
        line.append(" " * gap)
        line.append_text(item)
    if line.cell_len:
        lines.append(line)
    for line in lines:
        line.truncate(width)
    return lines


def compact_lines(data: ChartData, width: int, styles: Mapping[str, Style] | None = None) -> list[Text]:
    """The narrow form: one run of numbers per meter, wrapped, and the turning point in words."""
    lines: list[Text] = []
    for i, meter in enumerate(data.meters):
        values = list(data.series.get(meter.id, ()))
        head = Text()
        head.append(meter.label, style=_style(styles, "legend"))
        head.append(" ")
        head.append(mark(i), style=_style(styles, f"series-{i}"))
        head.append(":")
        lines.extend(_wrap_words(head, [str(v) for v in values], " → ", width))
    if data.turning is not None:
        turn = Text(f"{TURN} turning point:", style=_style(styles, "turning"))
        lines.extend(_wrap_words(turn, [choice_label(data.turning)], " ", width))
    for line in lines:
        line.truncate(max(1, width))
    return lines


def _wrap_words(head: Text, words: list[str], joiner: str, width: int) -> list[Text]:
    lines: list[Text] = []
    line = head.copy()
    first = True
    for word in words:
        piece = (" " if first else joiner) + word
        if line.cell_len + cell_len(piece) > width and line.cell_len > 2:
            lines.append(line)
            line = Text("  " + joiner.strip() + " " + word)
        else:
            line.append(piece)
        first = False
    lines.append(line)
    return lines


def _turn_line(step: int, turn_x: int, width: int, style: Style | str) -> Text:
    """The ▼ over the turning point's column, with the longest label that fits beside it."""
    line = Text()
    for label in (f"turning point: {choice_label(step)}", f"turning point: {step}", "turning point", ""):
        if turn_x + 2 + len(label) <= width or not label:
            line.append(" " * turn_x)
            line.append(TURN, style=style)
            if label:
                line.append(" " + label, style=style)
            return line
        if len(label) + 1 <= turn_x:
            line.append(" " * (turn_x - len(label) - 1))
            line.append(label + " " + TURN, style=style)
            return line
    return line  # pragma: no cover - the empty label always fits


def _step_numbers(x_of: Sequence[int], width: int) -> str:
    """The step numbers under the axis: always the last (where the play ended), then every other that fits.

    Numbers are centred on their column and kept a space apart; one that would
    touch its neighbour is left out rather than run into it.
    """
    numbers = [" "] * (max(x_of) + 4)

    def span(p: int) -> tuple[int, int]:
        start = x_of[p] - (len(str(p)) - 1) // 2
        return start, start + len(str(p))

    last_start, last_end = span(len(x_of) - 1)
    numbers[last_start:last_end] = list(str(len(x_of) - 1))
    free_from = 0
    for p in range(len(x_of) - 1):
        start, end = span(p)
        if start < free_from or end >= last_start or end > width:
            continue
        numbers[start:end] = list(str(p))
        free_from = end + 1
    return "".join(numbers)


def chart_lines(data: ChartData, width: int, styles: Mapping[str, Style] | None = None) -> list[Text]:
    """The chart as lines no wider than `width`: legend, turn label, plot, axis and step numbers.

    Falls back to `compact_lines` when there is no room for one column per step.
    """
    width = max(1, width)
    points = data.points
    if not data.meters or points == 0:
        return [Text("No meters to show.")]
    meters = data.meters
    if data.fit:
        narrowed = fitted(data)
        if narrowed is None:
            return compact_lines(data, width, styles)
        meters = narrowed
    rows = _rows_for(meters, data.max_rows)
    top = max(m.max for m in meters)
    bottom = min(m.min for m in meters)
    label_w = max(len(str(top)), len(str(bottom)))
    left = label_w + 2  # "10 ┤"
    last_label = len(str(points - 1))
    room = width - left - 1 - last_label  # the last step's column and its number stay on screen
    gap = MAX_GAP if points == 1 else min(MAX_GAP, room // (points - 1) if room > 0 else 0)
    if width < MIN_CHART_WIDTH or gap < 1:
        return compact_lines(data, width, styles)

    axis = _style(styles, "axis")
    turning = _style(styles, "turning")
    x_of = [left + 1 + i * gap for i in range(points)]
    plot_w = x_of[-1] + 1

    lines = legend_lines(data, width, styles)

    # Cells: (row, x) -> the meter indexes drawn there.
    cells: dict[tuple[int, int], list[int]] = {}
    for p in range(points):
        values = [_value_at(data.series.get(meter.id, ()), p) for meter in meters]
        for i, row in enumerate(_placed(meters, values, rows)):
            if row >= 0:
                cells.setdefault((row, x_of[p]), []).append(i)

    turn_x = x_of[data.turning] if data.turning is not None and data.turning < points else None
    if turn_x is not None:
        lines.append(_turn_line(data.turning or 0, turn_x, width, turning))

    label_rows = {rows - 1: top, 0: bottom}
    if data.fit:  # one row per value: each says which
        label_rows = {row: bottom + row for row in range(rows)}
    elif rows >= 5 and top - bottom >= 4:
        middle = (top + bottom) // 2
        label_rows[round((middle - bottom) * (rows - 1) / max(1, top - bottom))] = middle
    for row in range(rows - 1, -1, -1):
        line = Text()
        if row in label_rows:
            line.append(str(label_rows[row]).rjust(label_w) + " ┤", style=axis)
        else:
            line.append(" " * label_w + " │", style=axis)
        cursor = left
        for x in range(left, plot_w):
            here = cells.get((row, x))
            if here is None and x != turn_x:
                continue
            line.append(" " * (x - cursor))
            if here is None:
                line.append(GUIDE, style=turning)
            elif len(here) == 1:
                line.append(mark(here[0]), style=_style(styles, f"series-{here[0]}"))
            else:
                line.append(SHARED, style=_style(styles, "shared"))
            cursor = x + 1
        lines.append(line)

    base = ["─"] * (plot_w - left + 1)
    base[0] = "└"
    for x in x_of:
        base[x - left + 1] = "┴"
    lines.append(Text(" " * (left - 1) + "".join(base), style=axis))

    lines.append(Text(" " * left + _step_numbers(x_of, width)[left:].rstrip(), style=axis))
    if data.caption:
        caption = CAPTION if left + len(CAPTION) <= width else SHORT_CAPTION
        lines.append(Text(" " * left + caption, style=axis))
    for line in lines:
        line.truncate(width)
    return lines


class MeterChart(Widget):
    """A chart of the meters over the steps of a play, with the turning point marked."""

    COMPONENT_CLASSES = {
        "meter-chart--axis",
        "meter-chart--turning",
        "meter-chart--legend",
        "meter-chart--shared",
        *(f"meter-chart--series-{i}" for i in range(len(MARKS))),
    }

    DEFAULT_CSS = """
    MeterChart {
        height: auto;
        width: 1fr;
    }
    MeterChart > .meter-chart--axis { color: $text-muted; }
    MeterChart > .meter-chart--turning { color: $warning; text-style: bold; }
    MeterChart > .meter-chart--legend { color: $text; }
    MeterChart > .meter-chart--shared { color: $text; text-style: bold; }
    MeterChart > .meter-chart--series-0 { color: $primary; text-style: bold; }
    MeterChart > .meter-chart--series-1 { color: $secondary; text-style: bold; }
    MeterChart > .meter-chart--series-2 { color: $success; }
    MeterChart > .meter-chart--series-3 { color: $error; }
    MeterChart > .meter-chart--series-4 { color: $accent; }
    """

    def __init__(self, data: ChartData, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.data = data
        self._cache: tuple[int, list[Text]] | None = None

    def _styles(self) -> dict[str, Style]:
        """Full (not partial) styles, so theme colours with alpha such as $text-muted are blended."""
        styles = {role: self.get_component_rich_style(f"meter-chart--{role}")
                  for role in (*ROLES, "shared")}
        for i in range(len(MARKS)):
            styles[f"series-{i}"] = self.get_component_rich_style(f"meter-chart--series-{i}")
        return styles

    def lines(self, width: int) -> list[Text]:
        if self._cache is None or self._cache[0] != width:
            self._cache = (width, chart_lines(self.data, width, self._styles()))
        return self._cache[1]

    def notify_style_update(self) -> None:
        """A theme change recolours the marks: drop the drawn lines so they are styled again."""
        self._cache = None
        super().notify_style_update()

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        text = Text("\n").join(self.lines(self.content_size.width))
        text.no_wrap = True
        text.overflow = "crop"
        return text
