"""voice layer."""
