"""The simulated Instagram business account (``world``), the Graph API server over it (``server``: the media edge,
media and account insights, Graph error bodies with real HTTP statuses), and ground truth (``truth``)."""
