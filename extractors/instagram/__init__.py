"""Instagram Graph API (Instagram business accounts): each post's lifetime figures as a daily snapshot, new
followers per day and the follower count (declared in ``source.py``)."""
