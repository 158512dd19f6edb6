"""How often the delivery-anomaly rules flag a normal campaign-day, and whether they catch injected ones.

A sandbox year of every ad platform (through HTTP and the pipeline's own load, as `bench.dbt_floor` lands it),
with a few anomalies of each kind injected into always-on campaigns on days whose conversions are final, then
one `dbt build`. Prints, from marts.campaign_delivery_anomalies: the campaign-days judged (past the minimum
history), the flags on days nothing was injected (the false-positive rate, by reason and by kind of campaign:
always-on or a promotion flight, whose planned starts, peaks and ends are real changes the rules see too), and
how many injected anomalies were flagged with their own reason. Asserts nothing.

    python -m bench.anomaly_rate                 # default size, 365 days, 2 anomalies of each kind per platform
    python -m bench.anomaly_rate --scale 2 --per-kind 1
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import duckdb

from bench.dbt_floor import AS_OF, land_and_load
from devenv.airflow_env import connection_variables
from sandbox.ad_delivery import FLAGGED_AS

MIN_HISTORY = 14  # var anomaly_min_history_days: no campaign-day with less is judged
# Injected days keep two months of history before them and a month after (conversions final by then).
FIRST_AFTER_START = 60
LAST_BEFORE_AS_OF = 35
SPACING_DAYS = 45  # two anomalies on one campaign are this far apart, outside each other's baseline


def inject(world: object, platforms: list[str], per_kind: int, first: date, last: date) -> dict[tuple, str]:
    """Anomalies on always-on campaigns, spread over ``first..last``; (platform, campaign id, day) -> kind."""
    from sandbox.ad_delivery import ANOMALIES

    injected: dict[tuple, str] = {}
    for platform in platforms:
        part = world.part(platform)  # type: ignore[attr-defined]
        always_on = [c for a in part.accounts for c in part.campaigns(a.id) if c.season is None]
        for n, kind in enumerate(kind for kind in ANOMALIES for _ in range(per_kind)):
            campaign = always_on[n % len(always_on)]
            day = first + timedelta(days=(n // len(always_on)) * SPACING_DAYS + 3 * (n % len(always_on)))
            assert day <= last, "the year is too short for this many anomalies"
            part.inject_anomaly(campaign.id, day, kind)
            injected[(platform, campaign.id, day)] = kind
    return injected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-kind", type=int, default=2, help="anomalies of each kind per platform")
    args = parser.parse_args()

    from sandbox import Sandbox
    from sandbox.ad_delivery import AdDelivery
    from warehouse import settings
    from warehouse.dbt_build import run_dbt_build

    var = Path(tempfile.mkdtemp(prefix="mw-bench-anomalies-"))
    os.environ["MW_VAR_DIR"] = str(var)
    start = AS_OF - timedelta(days=args.days)
    try:
        with Sandbox(seed=42, scale=args.scale, as_of=AS_OF) as sb:
            os.environ.update(connection_variables(sb.connections()))
            platforms = [name for name in sb.names if isinstance(sb.world.part(name), AdDelivery)]
            injected = inject(
                sb.world,
                platforms,
                args.per_kind,
                start + timedelta(days=FIRST_AFTER_START),
                AS_OF - timedelta(days=LAST_BEFORE_AS_OF),
            )
            seasonal = {
                (platform, c.id)
                for platform in platforms
                for a in sb.world.part(platform).accounts
                for c in sb.world.part(platform).campaigns(a.id)
                if c.season is not None
            }
            started = time.perf_counter()
            rows = land_and_load(AS_OF, args.days)
        run_dbt_build(settings.warehouse_path(), unit_tests=False, artifacts_dir=var / "dbt")
        print(
            f"\n== anomaly rules over {args.days} days at scale {args.scale:g}, platforms {', '.join(platforms)}: "
            f"{rows:,} rows landed, loaded and built in {time.perf_counter() - started:.0f} s"
        )
        con = duckdb.connect(str(settings.warehouse_path()), read_only=True)
        try:
            (min_history,) = con.execute(
                "select min(days_of_history) from marts.campaign_delivery_anomalies where is_anomaly"
            ).fetchone() or (None,)
            judged = con.execute(
                "select platform, campaign_id, date_day, is_anomaly, anomaly_reasons "
                f"from marts.campaign_delivery_anomalies where days_of_history >= {MIN_HISTORY}"
            ).fetchall()
        finally:
            con.close()
        report(judged, injected, seasonal, min_history)
    finally:
        shutil.rmtree(var, ignore_errors=True)


def report(judged: list[tuple], injected: dict[tuple, str], seasonal: set[tuple], min_history: int | None) -> None:
    normal = [row for row in judged if (row[0], row[1], row[2]) not in injected]
    flagged = [row for row in normal if row[3]]
    print(
        f"  campaign-days judged (>= {MIN_HISTORY} days of history): {len(judged):,}; "
        f"fewest days of history of any flag: {min_history}"
    )
    print(
        f"  false positives: {len(flagged):,} of {len(normal):,} normal campaign-days "
        f"({len(flagged) / max(len(normal), 1):.2%})"
    )
    by_kind = Counter("promotion flight" if (p, c) in seasonal else "always on" for p, c, *_ in flagged)
    judged_kind = Counter("promotion flight" if (p, c) in seasonal else "always on" for p, c, *_ in normal)
    for kind in ("always on", "promotion flight"):
        print(
            f"    {kind}: {by_kind[kind]:,} of {judged_kind[kind]:,} ({by_kind[kind] / max(judged_kind[kind], 1):.2%})"
        )
    for reason, count in Counter(r for *_, reasons in flagged for r in reasons.split(", ")).most_common():
        print(f"    reason {reason!r}: {count:,}")
    by_month = Counter((day.strftime("%Y-%m"), reasons) for _, _, day, _, reasons in flagged)
    for month in sorted({month for month, _ in by_month}):
        counts = ", ".join(f"{reasons} {n}" for (m, reasons), n in sorted(by_month.items()) if m == month)
        print(f"    {month}: {counts}")
    found = {(p, c, d): (flag, reasons) for p, c, d, flag, reasons in judged}
    caught = sum(1 for key, kind in injected.items() if found.get(key, (False, ""))[1] == FLAGGED_AS[kind])
    missed = Counter(kind for key, kind in injected.items() if not found.get(key, (False, ""))[0])
    print(f"  injected: {len(injected)}; flagged with exactly their reason: {caught}; not flagged: {dict(missed)}")


if __name__ == "__main__":
    main()
