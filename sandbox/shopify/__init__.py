"""The simulated Shopify shop (``world``), the Admin REST orders server over it (``server``), and ground
truth (``truth``)."""
