"""Charts as PNG bytes (matplotlib's Agg canvas, no pyplot state), attached inline to the message.

Chart text is numbers and dates only, so no CJK font is needed on the machine; titles live in the HTML.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from warehouse.summary_email.model import Period

BAR_COLOR = "#2f6fde"
HIGHLIGHT_COLOR = "#f28c28"


def trend_bars(buckets: list[Period], values: list[float | None]) -> bytes:
    """One bar per bucket (a day, or a week labelled by its Monday), the last one highlighted.

    A bucket without data has no bar, not a zero bar.
    """
    figure = Figure(figsize=(5.6, 2.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    last = len(buckets) - 1
    present = [(i, b, v) for i, (b, v) in enumerate(zip(buckets, values, strict=True)) if v is not None]
    axes.bar(
        [b.start.strftime("%m-%d") for _, b, _ in present],
        [v for _, _, v in present],
        color=[HIGHLIGHT_COLOR if i == last else BAR_COLOR for i, _, _ in present],
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
