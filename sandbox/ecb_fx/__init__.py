"""The simulated ECB euro reference rates (``world``), the SDMX data API serving them (``server``), and ground
truth (``truth``)."""
