"""Xiaohongshu (小红书): the brand's notes through the 聚光 (Spotlight) Marketing API and its creator collaborations
through 蒲公英 (Pugongying)."""
