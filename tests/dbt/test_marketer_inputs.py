"""What marketers type into the seeds is checked before any mart is built from it: a promotions file and a
media plan with one mistake per row fail the build, and the failure names each row and what is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from warehouse.dbt_build import DbtBuildFailed, run_dbt_build
from warehouse.settings import DBT_PROJECT_DIR

BAD_PROMOTIONS = """promotion_id,promotion_name,start_date,end_date,currency,spend_budget,gmv_target
backwards,Ends first,2026-06-18,2026-06-01,CNY,1000,5000
free,No budget,2026-07-01,2026-07-03,CNY,0,5000
zero_target,Zero target,2026-08-01,2026-08-03,CNY,1000,0
double11,双11,2026-10-20,2026-11-11,CNY,1000,5000
singles_day,Singles Day,2026-11-11,2026-11-12,CNY,1000,5000
dollars,In dollars,2026-12-01,2026-12-02,USD,1000,5000
"""
MEDIA_PLAN_HEADER = "month,channel,campaign_id,currency,budget,target_impressions,target_clicks,target_conversions,"
BAD_MEDIA_PLAN = f"""{MEDIA_PLAN_HEADER}target_roas,target_cpa
2026-11-15,Meta Ads,,CNY,1000,,,,,
2026-12-01,Meta Ads,,CNY,-5,,,,,
2026-12-01,Google Ads,c9,CNY,100,,,,,
"""


def test_bad_promotion_and_media_plan_rows_fail_the_build_naming_each_row(tmp_path: Path) -> None:
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    (project / "seeds" / "promotions.csv").write_text(BAD_PROMOTIONS)
    (project / "seeds" / "media_plan.csv").write_text(BAD_MEDIA_PLAN)
    with pytest.raises(DbtBuildFailed) as failed:
        run_dbt_build(
            tmp_path / "warehouse.duckdb",
            select="promotions media_plan channel_mapping",
            unit_tests=False,
            project_dir=project,
            artifacts_dir=tmp_path / "dbt",
        )
    message = str(failed.value)
    for row in (
        "promotion_id=backwards, problem=end_date is before start_date",
        "promotion_id=free, problem=spend_budget is not positive",
        "promotion_id=zero_target, problem=gmv_target is not positive (leave it empty for none)",
        "promotion_id=double11, problem=overlaps promotion singles_day",
        "promotion_id=singles_day, problem=overlaps promotion double11",
        "month=2026-11-15, channel=Meta Ads, campaign_id=None, problem=month is not the first day of a month",
        "month=2026-12-01, channel=Meta Ads, campaign_id=None, problem=budget is not positive",
        "month=2026-12-01, channel=Google Ads, campaign_id=c9, "
        "problem=campaign row without its channel row for the month",
    ):
        assert row in message, message
    # A promotion in another currency fails the seed's accepted_values test.
    assert "accepted_values_promotions_currency" in message
    failed_names = {failure.name for failure in failed.value.failures}
    assert {"assert_promotions_are_well_formed", "assert_media_plan_is_well_formed"} <= failed_names
