"""Extractors: fetch platform data over HTTP and land it as immutable files (see docs/interfaces.md).

Entry points live in ``extractors.run`` (``extract``, ``list_accounts``). This ``__init__`` imports
nothing, so importing one submodule (``extractors.streams``, say) does not also load the HTTP client and
every platform module.
"""
