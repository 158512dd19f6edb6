"""Ocean Engine (巨量引擎, Douyin ads) Open API: the v3 custom report per promotion and Beijing day, per
advertiser (declared in ``source.py``)."""
