"""Assets shared between DAGs: the summary emails schedule on what marketing_daily publishes."""

from airflow.sdk import Asset

SERVING_MARTS = Asset(name="marketing_serving_marts")
