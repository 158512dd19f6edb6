"""The simulated WeChat Official Account (公众号): its articles, their daily read figures and its followers."""
