"""The simulated Xiaohongshu brand (its notes, their 聚光 report, its 蒲公英 creator collaborations) and its API."""
