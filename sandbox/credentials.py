"""Tokens the sandbox servers accept. Sandbox-only values: they open nothing outside this machine.

Tests and the local demo put these in Airflow Connections, exactly where a real token would go, so
the extractors never learn whether they talk to the sandbox or a platform.
"""

META_ACCESS_TOKEN = "sandbox-meta-token-EAAB0000000000000000"
SHOPIFY_ACCESS_TOKEN = "shpat_sandbox00000000000000000000000000"
