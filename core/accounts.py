"""Accounts of the back office and the API (filled in by the back-office work)."""

MODELS = []
