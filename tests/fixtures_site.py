"""Fixtures that serve the offline UNSMIL site (filled in by the offline-site work)."""
