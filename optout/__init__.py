"""optout: keep LinkedIn from training AI on your data."""

__version__ = "0.1.0"
