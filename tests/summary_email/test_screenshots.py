"""The brief and the review as a browser draws them: headless Chromium at desktop and 375 px phone width.

A screenshot counts as showing the email when it is mostly light page with a fair share of ink (tiles and
text) and the charts' bar colour appears (the charts loaded as images, at that width too).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from devenv.screenshots import WIDTHS, screenshot
from tests.summary_email.conftest import make_config, write_serving
from tests.summary_email.test_weekly_review import weekly_serving
from warehouse.summary_email.brief import preview
from warehouse.summary_email.charts import BAR_COLOR

BAR_RGB = tuple(int(BAR_COLOR[i : i + 2], 16) for i in (1, 3, 5))


def shares(png: Path) -> tuple[float, int]:
    """(share of pixels that are not near-white, count of pixels in the charts' bar colour)."""
    pixels = np.asarray(Image.open(png).convert("RGB"), dtype=np.int16).reshape(-1, 3)
    ink = int((pixels.min(axis=1) < 230).sum())
    bars = int((np.abs(pixels - np.array(BAR_RGB)) <= 12).all(axis=1).sum())
    return ink / len(pixels), bars


@pytest.mark.parametrize("kind", ["daily", "weekly"])
@pytest.mark.parametrize(("label", "width"), WIDTHS)
def test_the_email_draws_its_tiles_and_charts_at_desktop_and_phone_width(tmp_path, kind, label, width):
    build = write_serving if kind == "daily" else weekly_serving
    serving = build(tmp_path / "serving.duckdb")
    html = preview(kind, make_config(), serving=serving, out=tmp_path / f"{kind}.html")
    assert html is not None
    png = screenshot(html, tmp_path / f"{kind}_{label}.png", width)
    image = Image.open(png)
    assert image.size[0] == width
    ink, bars = shares(png)
    assert 0.03 < ink < 0.6, f"{label} screenshot looks blank or unstyled: {ink:.1%} ink"
    assert bars > 2000, f"{label} screenshot shows no chart bars ({bars} bar-coloured pixels)"
