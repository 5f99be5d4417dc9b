"""Corridor Atlas: Eurasian transport corridors and the places the texts name, on a source-linked map."""

__version__ = "0.1.0"
