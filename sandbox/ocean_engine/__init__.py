"""The simulated Ocean Engine (巨量引擎) advertisers (``world``), the Open API server over them (``server``: the v3
custom report, advertiser info and OAuth with rotating refresh tokens), and ground truth (``truth``)."""
