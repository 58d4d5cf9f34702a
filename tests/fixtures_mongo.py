"""Fixtures that start a real MongoDB wire-protocol server (filled in by the storage work)."""
