"""The Bilibili Open Platform (哔哩哔哩开放平台) sandbox: the brand's UP主 account, its videos and followers."""
