"""Extractors: fetch platform data over HTTP and land it as immutable files (see docs/interfaces.md).

Entry points live in ``extractors.run`` (``extract``, ``list_accounts``); this package stays free of
imports so a DAG file can import ``extractors.streams`` cheaply at parse time.
"""
