"""The embedded development environment: Airflow on SQLite under var/, the sandbox connections, and the
console summary of `make run`. Not used by the production steps (warehouse/) or the DAG."""
