"""Google Ads API (REST): ad-level daily performance per customer through GAQL searchStream (declared in
``source.py``)."""
