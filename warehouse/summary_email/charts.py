"""Charts as PNG bytes (matplotlib's Agg canvas, no pyplot state), attached inline to the message.

Chart text is numbers and dates only, so no CJK font is needed on the machine; titles live in the HTML.
"""

from __future__ import annotations

import io
from datetime import date

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

BAR_COLOR = "#2f6fde"
HIGHLIGHT_COLOR = "#f28c28"


def daily_bars(days: list[date], values: list[float | None], *, highlight: date | None = None) -> bytes:
    """One bar per day (the period's day highlighted); a day without data has no bar, not a zero bar."""
    figure = Figure(figsize=(5.6, 2.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    present = [(d, v) for d, v in zip(days, values, strict=True) if v is not None]
    axes.bar(
        [d.strftime("%m-%d") for d, _ in present],
        [v for _, v in present],
        color=[HIGHLIGHT_COLOR if d == highlight else BAR_COLOR for d, _ in present],
    )
    axes.tick_params(axis="x", labelsize=7, rotation=45)
    axes.tick_params(axis="y", labelsize=7)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.yaxis.set_major_formatter(lambda value, _pos: f"{value:,.0f}")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
