"""Douyin Open Platform (抖音开放平台): the brand's own organic account, its videos' lifetime figures and its fans."""
