"""The simulated Google Ads customers (``world``), the Google Ads API REST server over them with its OAuth token
endpoint (``server``), and ground truth (``truth``)."""
