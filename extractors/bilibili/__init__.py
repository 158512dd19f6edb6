"""Bilibili Open Platform (哔哩哔哩开放平台): the brand's own UP主 account, its videos and followers."""
