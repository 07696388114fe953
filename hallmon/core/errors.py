"""Errors the entry points turn into messages: refused input (exit 2, HTTP 400/403/404) and the rest."""
from __future__ import annotations


class Refused(Exception):
    """Input the product will not accept; the message says why, in the user's language."""

    exit_code = 2

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


class NotFound(Refused):
    """A named thing (contract, staff, settlement) that does not exist."""


class Forbidden(Refused):
    """rules §10: not granted to this user."""
