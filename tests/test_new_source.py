"""A fifth source, added by following the README's "Adding a source" checklist in a throw-away copy of the
project: the pipeline discovers it, extracts it from its sandbox over HTTP, loads it with its declared
strategy (a snapshot), validates it with its raw suite and stages it in dbt, with no edit to any file that
was already there.

The copy runs in a subprocess with the copy first on PYTHONPATH, so its packages (not this checkout's) are
the ones imported, exactly as a contributor's working tree would be.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

NEW_FILES: dict[str, str] = {
    "extractors/reviews/__init__.py": '"""A product-review platform: each product\'s rating, as of the day."""\n',
    "extractors/reviews/source.py": """
from extractors.catalog import COUNT, DATE, MONEY, TEXT, Accounts, Column, LoadStrategy, Readiness, Source, Stream

SOURCE = Source(
    name="reviews",
    description="A product-review platform: each product's rating as of the day.",
    conn_id="reviews_api",
    accounts=Accounts(extra_key="store_ids"),
    lookback_days=0,
    readiness=Readiness(hour=0, timezone="UTC"),
    streams=(
        Stream(
            name="ratings",
            description="Each product's rating and review count, as the platform shows them on the day.",
            primary_key=("product_id",),
            cursor_field="date",
            partition_column="snapshot_date",
            strategy=LoadStrategy.SNAPSHOT,
            columns=(
                Column("snapshot_date", DATE, "The day the snapshot describes."),
                Column("product_id", TEXT, "Product id."),
                Column("average_rating", MONEY, "Mean star rating, 1 to 5."),
                Column("review_count", COUNT, "Reviews so far."),
            ),
            reader="extractors.reviews.client:read_ratings",
        ),
    ),
    client="extractors.reviews.client:make_client",
    api_version="v1",
)
""",
    "extractors/reviews/client.py": """
from extractors.http import HttpClient, classify_by_status
from extractors.paging import body_next_url_pages, records


def make_client(conn, context, retry):
    return HttpClient(
        context, retry=retry, classifier=classify_by_status,
        headers={"Authorization": f"Bearer {conn.password}"}, secrets=[conn.password or ""],
    )


def read_ratings(client, conn, account, window):
    url = f"{conn.host}/v1/stores/{account}/ratings"
    params = {"date": window.last_day.isoformat(), "per_page": 2}
    return records(body_next_url_pages(client, url, params, records_key="items", next_path=("next",)))
""",
    "sandbox/reviews/__init__.py": '"""The simulated review platform and its API."""\n',
    "sandbox/reviews/world.py": """
from sandbox import rng

STORES = ("store_1", "store_2")
PRODUCTS = tuple(f"p{i}" for i in range(5))


class ReviewsWorld:
    def __init__(self, seed):
        self.seed = seed
        self.stores = STORES

    def ratings(self, store, day):
        return [
            {
                "product_id": product,
                "average_rating": f"{1 + 4 * rng.unit(self.seed, store, product, day):.2f}",
                "review_count": int(1000 * rng.unit(self.seed, "count", store, product, day)),
            }
            for product in PRODUCTS
        ]


def build(world):
    return ReviewsWorld(world.seed)
""",
    "sandbox/reviews/server.py": """
import re
from datetime import date

from sandbox.http_base import PlatformServer, json_response

TOKEN = "sandbox-reviews-token"
PATH = re.compile(r"^/v1/stores/([^/]+)/ratings$")


class ReviewsServer(PlatformServer):
    name = "reviews"

    def __init__(self, world, clock, **options):
        super().__init__(world, clock, **options)
        self.reviews = world.part("reviews")

    def connection(self):
        extra = {"store_ids": list(self.reviews.stores)}
        return {"conn_type": "http", "host": self.url, "password": TOKEN, "extra": extra}

    def fault_response(self, fault, request):
        return json_response({"rate_limit": 429, "server_error": 503}.get(fault, 401), {"error": fault})

    def handle(self, request, as_of, data_fault):
        if request.header("authorization") != f"Bearer {TOKEN}":
            return json_response(401, {"error": "bad token"})
        match = PATH.match(request.path)
        if match is None:
            return json_response(404, {"error": "not found"})
        day, per_page = date.fromisoformat(request.param("date")), int(request.param("per_page"))
        page = int(request.param("page") or 1)
        items = self.reviews.ratings(match.group(1), day)
        body = {"items": items[(page - 1) * per_page : page * per_page]}
        if page * per_page < len(items):
            body["next"] = f"{request.base_url}{request.path}?date={day}&per_page={per_page}&page={page + 1}"
        return json_response(200, body)


SERVER = ReviewsServer
""",
    "expectations/suites/raw/reviews__ratings.json": json.dumps(
        {
            "name": "raw.reviews__ratings",
            "source": "reviews",
            "stream": "ratings",
            "partition_columns": ["account", "snapshot_date"],
            "expectations": [
                {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
                {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "product_id"}},
                {
                    "type": "expect_column_values_to_be_between",
                    "kwargs": {"column": "average_rating", "min_value": 1, "max_value": 5},
                },
            ],
        }
    ),
    "dbt_project/models/staging/reviews/stg_reviews__ratings.sql": """
with

source as (
    select * from {{ source('reviews', 'ratings') }}
),

renamed as (
    select
        source.account as store_id,
        source.snapshot_date,
        source.product_id,
        source.average_rating,
        source.review_count
    from source
),

final as (
    select * from renamed
)

select * from final
""",
    "dbt_project/models/staging/reviews/_reviews__models.yml": """
version: 2

models:
  - name: stg_reviews__ratings
    description: Product ratings per store and day.
    data_tests:
      - unique_combination_of_columns:
          arguments:
            combination_of_columns: [store_id, product_id, snapshot_date]
""",
}

SCRIPT = """
import json, os, sys
from datetime import date
import duckdb
from devenv.airflow_env import connection_variables
from sandbox import Sandbox
from warehouse import pipeline, settings

as_of = date(2026, 11, 23)
with Sandbox(seed=42, scale=1.0, as_of=as_of) as sb:
    os.environ.update(connection_variables(sb.connections()))
    jobs = pipeline.plan_every_stream(interval_start=date(2026, 11, 22), interval_end=as_of, run_id="run-1")
    manifests = [pipeline.run_extraction_job(job) for job in jobs]
    loaded = pipeline.load_and_validate_raw(manifests)
    pipeline.build_marts()
    truth = {store: sb.world.part("reviews").ratings(store, date(2026, 11, 22)) for store in ("store_1", "store_2")}
con = duckdb.connect(str(settings.warehouse_path()), read_only=True)
staged = con.execute(
    "select store_id, snapshot_date::varchar, product_id, average_rating::varchar, review_count "
    "from staging.stg_reviews__ratings order by all").fetchall()
print(json.dumps({
    "sandboxes": sb.names,
    # What the DAG's plan task returns: its extract instances.
    "planned": sorted({f"{job['source']}.{job['stream']} {job['account']}" for job in jobs}),
    "loaded": loaded["streams"]["reviews.ratings"],
    "staged": staged,
    "truth": truth,
}))
"""


def copy_project(target: Path) -> Path:
    ignored = shutil.ignore_patterns(".git", ".venv", "var", "__pycache__", "target", "logs", ".pytest_cache")
    shutil.copytree(REPO_ROOT, target, ignore=ignored)
    return target


def file_digests(project: Path) -> dict[str, str]:
    return {
        path.relative_to(project).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in project.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_a_new_source_added_by_the_checklist_is_extracted_loaded_validated_and_staged(tmp_path: Path) -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    for path in ("extractors/<source>/source.py", "extractors/<source>/client.py", "sandbox/<source>/server.py",
                 "sandbox/<source>/world.py", "expectations/suites/raw/<source>__<stream>.json",
                 "python -m devenv.dbt_sources", "stg_<source>__<entity>s.sql"):  # fmt: skip
        assert path in readme, f"the README's checklist no longer names {path}"

    project = copy_project(tmp_path / "project")
    before = file_digests(project)
    for relative, text in NEW_FILES.items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text.lstrip("\n"))
    env = {**os.environ, "PYTHONPATH": str(project), "MW_VAR_DIR": str(tmp_path / "var")}
    env["AIRFLOW__CORE__DAGS_FOLDER"] = str(project / "dags")
    subprocess.run([sys.executable, "-m", "devenv.dbt_sources"], cwd=project, env=env, check=True, capture_output=True)
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert "reviews" in report["sandboxes"]
    assert {"reviews.ratings store_1", "reviews.ratings store_2"} <= set(report["planned"])
    assert report["loaded"]["rows"] == report["loaded"]["rows_validated"] == 10
    expected = sorted(
        [store, "2026-11-22", row["product_id"], row["average_rating"] + "00", row["review_count"]]
        for store, rows in report["truth"].items()
        for row in rows
    )
    assert report["staged"] == expected

    # Nothing that was there before changed: the new source is its new files plus its generated YAML.
    after = file_digests(project)
    assert set(after) - set(before) == set(NEW_FILES) | {"dbt_project/models/staging/reviews/_reviews__sources.yml"}
    assert {path: after[path] for path in before} == before
