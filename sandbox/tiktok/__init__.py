"""The simulated TikTok advertisers (``world``), the Marketing API server over them (``server``: the integrated
report and advertiser info, errors inside HTTP 200), and ground truth (``truth``)."""
