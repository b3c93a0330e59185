"""Errors the complaint service raises: a message for the user (Thai by default, English when the
request's language is English) and, where it concerns one input, the field's name."""

from __future__ import annotations

from django.utils.functional import Promise


class ComplaintError(Exception):
    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class WorkflowError(ComplaintError):
    """An illegal status change: refused, nothing changed."""


class NotAllowed(ComplaintError):
    """The user's role may not do this."""
