"""ECB data API: the euro foreign exchange reference rates, per quoted currency (declared in ``source.py``)."""
