"""The simulated Douyin brand account and its Open Platform API (video list, fans data, OAuth)."""
