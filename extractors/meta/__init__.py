"""Meta Marketing API: ad-level daily insights per ad account (declared in ``source.py``)."""
