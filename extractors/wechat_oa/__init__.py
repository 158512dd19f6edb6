"""WeChat Official Account (公众号) datacube: articles' daily figures and the account's followers."""
