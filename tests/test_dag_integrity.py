"""The DAG folder imports cleanly, cheaply, and every DAG carries what operators rely on."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT

DAGS = REPO_ROOT / "dags"


def test_dag_folder_imports_and_every_dag_has_tags_retries_and_owner():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    assert "marketing_daily" in bag.dags
    for dag_id, dag in bag.dags.items():
        assert dag.tags, f"{dag_id} has no tags"
        assert dag.doc_md, f"{dag_id} has no doc_md"
        for t in dag.tasks:
            assert t.owner and t.owner != "airflow", f"{dag_id}.{t.task_id} has no owner"
            assert t.retries >= 1, f"{dag_id}.{t.task_id} has no retries"


def test_marketing_daily_shape_extract_in_parallel_then_serialised_writer_chain():
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(DAGS)).dags["marketing_daily"]
    writer_chain = ["load_raw", "dbt_build", "validate_marts", "publish"]
    for upstream, downstream in zip(writer_chain, writer_chain[1:], strict=False):
        assert upstream in dag.get_task(downstream).upstream_task_ids
    for task_id in writer_chain:
        assert dag.get_task(task_id).pool == "duckdb_writer"
    # One plan for every declared stream, then one mapped extract instance per job it returns.
    assert {t.task_id for t in dag.tasks} == {"plan", "extract", *writer_chain}
    assert dag.get_task("plan").pool == "duckdb_writer"  # it reads the coverage ledger in the build warehouse
    assert dag.get_task("extract").upstream_task_ids == {"plan"}
    assert dag.get_task("extract").pool != "duckdb_writer"
    assert dag.get_task("load_raw").upstream_task_ids == {"extract"}
    assert [o.name for o in dag.get_task("publish").outlets] == ["marketing_serving_marts"]
    assert {name: dag.params[name] for name in ("initial_load_days", "fill_start", "max_reach_back_days")} == {
        "initial_load_days": 0,
        "fill_start": None,
        "max_reach_back_days": 90,
    }


def test_parsing_the_dag_file_imports_no_heavy_or_io_modules():
    """DAG files are parsed every few seconds by the scheduler: no DuckDB, HTTP, GX or dbt at import.

    Not even the catalog: the plan task reads the sources' declarations when it runs, so a new source needs
    no change to the DAG and costs its parse nothing.
    """
    heavy = ("duckdb", "requests", "great_expectations", "dbt", "pandas", "sandbox")
    probe = (
        "import sys, runpy; sys.path.insert(0, %r); runpy.run_path(%r); import json; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in %r)))"
    ) % (str(DAGS), str(DAGS / "marketing_daily.py"), (*heavy, "extractors"))
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    imported = json.loads(out.stdout.strip().splitlines()[-1])
    assert [m for m in imported if m.split(".")[0] in heavy] == []
    assert [m for m in imported if m.split(".")[0] == "extractors"] == []
