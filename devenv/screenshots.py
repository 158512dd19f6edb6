"""Screenshots of the rendered emails in headless Chromium (Debian's ``chromium`` package): the README's
pictures and the test that the brief is not blank at desktop and phone width.

``python -m devenv.screenshots`` shoots the previews `make run` left in var/email/ into docs/.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from warehouse import settings
from warehouse.summary_email.brief import PREVIEW_FILES

# (name, width): a desktop mail client's reading pane, and the 375 px of a common phone.
WIDTHS = (("desktop", 1000), ("phone", 375))
PAGE_HEIGHT = 2400


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("no headless Chromium found: `apt-get install chromium` (make test installs it)")


def screenshot(html: Path, out: Path, width: int, height: int = PAGE_HEIGHT) -> Path:
    """``html`` rendered at ``width`` × ``height`` CSS pixels into the PNG ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    # A private profile: Chromium refuses to share one between processes, and must not touch $HOME.
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        subprocess.run(
            [
                chromium(),
                "--headless",
                "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={out}",
                html.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return out


def main() -> int:
    shot = False
    for kind, file_name in PREVIEW_FILES.items():
        html = settings.var_dir() / "email" / file_name
        if not html.exists():
            print(f"no {html}: run `make run` first", file=sys.stderr)
            continue
        for label, width in WIDTHS:
            out = settings.REPO_ROOT / "docs" / f"email_{kind}_{label}.png"
            print(screenshot(html, out, width))
            shot = True
    return 0 if shot else 1


if __name__ == "__main__":
    raise SystemExit(main())
