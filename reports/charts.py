"""Bar charts for the annual report as SVG markup, inlined in the HTML page and in the PDF.

matplotlib draws them with its SVG backend (no pyplot, no display, no global state), with text
kept as text in DejaVu Sans: the font the report embeds. The markup is made accessible here
(role="img" and a <title>), and is the same for every run with the same figures, so that the
report's PDF is the same for the same data.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Dark enough for text-level contrast (at least 4.5:1) on white, and apart from each other.
COLOURS = ("#1d4f91", "#b3470b", "#2d6a4f", "#6b3fa0")
INK = "#1a1a1a"
GRID = "#c8c8c8"

WIDTH_INCHES = 6.3  # about the width of the A4 page's text
BAR_INCHES = 0.22
FONT_SIZE = 9
FONT_FAMILIES = "'Report Sans', 'DejaVu Sans', sans-serif"


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int]


def bar_chart(
    *, chart_id: str, title: str, categories: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """Horizontal bars, one group per category and one bar per series, as an <svg> element.

    `chart_id` must be unique within the page: the SVG's ids (its title, clip paths) start
    with it. The same figures give the same markup, so a chart drawn once is kept in the
    process: the report's page and its two PDFs show the same ones (drawing one takes
    matplotlib a tenth of a second or more).
    """
    return _drawn(
        chart_id,
        str(title),
        tuple(str(category) for category in categories),
        tuple((str(one.label), tuple(one.values)) for one in series),
    )


@functools.lru_cache(maxsize=64)
def _drawn(
    chart_id: str,
    title: str,
    categories: tuple[str, ...],
    series: tuple[tuple[str, tuple[int, ...]], ...],
) -> SafeString:
    series = [Series(label, values) for label, values in series]
    # Imported here: matplotlib takes about a second to import, and a report without
    # placements draws no chart.
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    rows = len(categories) * len(series)
    height = 0.7 + BAR_INCHES * rows + 0.1 * len(categories) + (0.25 if len(series) > 1 else 0)
    style = {
        "svg.fonttype": "none",  # text as text: selectable, and drawn in the report's font
        "svg.hashsalt": chart_id,  # the same ids for the same chart, unique on the page
        "font.family": "DejaVu Sans",
        "font.size": FONT_SIZE,
        "text.color": INK,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "axes.edgecolor": GRID,
        # Labels are the data's names ("Kommun $\\foo{$" is a name, not TeX math): never
        # parsed as mathtext, so any text is drawn as it is written.
        "text.parse_math": False,
    }
    with rc_context(style):
        figure = Figure(figsize=(WIDTH_INCHES, height))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        _draw_bars(axes, categories, series)
        figure.tight_layout(pad=0.4)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _accessible(buffer.getvalue(), chart_id=chart_id, title=title)


def _draw_bars(axes, categories: Sequence[str], series: Sequence[Series]) -> None:
    count = len(series)
    thickness = 0.8 / count
    # The first category at the top, the first series at the top of its group.
    positions = range(len(categories) - 1, -1, -1)
    for index, one in enumerate(series):
        offsets = [p + 0.4 - thickness * (index + 0.5) for p in positions]
        bars = axes.barh(offsets, one.values, height=thickness, color=COLOURS[index % len(COLOURS)])
        bars.set_label(one.label)
        axes.bar_label(bars, padding=3, fontsize=FONT_SIZE - 1)
    axes.set_yticks(list(positions), [_wrapped(c) for c in categories])
    from matplotlib.ticker import MaxNLocator

    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="x", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    axes.margins(x=0.12)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if count > 1:
        axes.legend(
            loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, ncols=count, borderaxespad=0.2
        )


def _wrapped(label: str, width: int = 28) -> str:
    """Long names on two lines or more, so the bars keep their room."""
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_STYLESHEET = re.compile(r"<style[^>]*>.*?</style>\s*", re.DOTALL)
# matplotlib names its groups figure_1, axes_1, ... in every chart: ids that would repeat on a
# page with several charts. Nothing refers to them (references go to the salted defs).
_GROUP_ID = re.compile(r'<g id="[^"]*"')
_STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')


def _presentation_attributes(match: re.Match) -> str:
    """style="fill: #fff; stroke: none" as fill="#fff" stroke="none": the same to an SVG
    renderer, and not CSS that the HTML around the chart would try to read.
    """
    declarations = (part.split(":", 1) for part in match[1].split(";") if ":" in part)
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in declarations)


def _accessible(svg: str, *, chart_id: str, title: str) -> SafeString:
    """Without the XML prologue, with role="img" and a title that screen readers announce."""
    svg = _PROLOGUE.sub("", svg, count=1)
    svg = _METADATA.sub("", svg, count=1)
    # The stylesheet's one rule (round line joins, butt caps) moves to the root element: a
    # <style> inside inline SVG would apply to the whole HTML page.
    svg = _STYLESHEET.sub("", svg, count=1)
    svg = _GROUP_ID.sub("<g", svg)
    svg = _STYLE_ATTRIBUTE.sub(_presentation_attributes, svg)
    # The report's own embedded copy of the font first (static/css/report.css).
    svg = svg.replace("font-family=\"'DejaVu Sans'\"", f'font-family="{FONT_FAMILIES}"')
    title_id = f"{chart_id}-title"
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{title_id}" focusable="false" class="chart" '
        'stroke-linejoin="round" stroke-linecap="butt" ',
        1,
    )
    opening_end = svg.index(">") + 1
    svg = svg[:opening_end] + f'<title id="{title_id}">{escape(title)}</title>' + svg[opening_end:]
    return mark_safe(svg)  # noqa: S308 - matplotlib's own markup; the title is escaped
