"""The simulated Meta ad accounts (``world``), the Graph API insights server over them (``server``), and
ground truth (``truth``)."""
