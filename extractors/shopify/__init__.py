"""Shopify Admin REST: every order updated inside the window (declared in ``source.py``)."""
