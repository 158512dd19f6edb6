"""Summary emails for marketers: the daily brief, read from the published serving file only.

The DAG (`dags/marketing_summary_email.py`) calls `brief.run_daily_brief`; every mart area contributes
one module under `sections/`, registered in `sections/__init__.py`.
"""
