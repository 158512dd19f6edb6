"""Summary emails for marketers: the daily brief and the weekly review, read from the published serving file only.

The DAGs (`dags/marketing_summary_email.py`, `dags/marketing_weekly_review.py`) call
`brief.run_summary_task`; every mart area contributes one module under `sections/`, registered in
`sections/__init__.py`.
"""
