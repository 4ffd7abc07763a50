"""Generate GB/T 9704-2012 notices and annexes from data, and consolidate the forms that come back."""

__version__ = "0.1.0"
