"""TikTok Marketing API (TikTok Ads): the synchronous integrated report per ad and advertiser-local day, per
advertiser (declared in ``source.py``)."""
