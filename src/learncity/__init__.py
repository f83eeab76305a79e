"""LearnCity: open software for learning cities."""

__version__ = "0.1.0"
