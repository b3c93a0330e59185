"""The citizen channels lent to the outbox by the apps that run them (LINE, from apps.line's
AppConfig.ready(): apps.line sits above complaints, so the outbox never imports it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from apps.complaints.models import Complaint


@dataclass(frozen=True)
class CitizenChannel:
    """A channel a citizen follows a case on besides the case's own e-mail and phone (LINE):
    `follower` gives the address and chat language of whoever follows a case there (None:
    nobody); `forget` deletes the channel's record of these users (the case's
    `complainant_line_id`s whose last identified case is gone, PDPA) and says how many it held;
    `connected` says whether the current body runs the channel (a public report's page offers to
    follow it there)."""

    name: str
    follower: Callable[[Complaint], tuple[str, str] | None]
    forget: Callable[[set[str]], int]
    connected: Callable[[], bool] = lambda: False


_citizen_channels: dict[str, CitizenChannel] = {}


def citizen_channel_register(channel: CitizenChannel) -> None:
    _citizen_channels[channel.name] = channel


def citizen_channels() -> list[CitizenChannel]:
    return list(_citizen_channels.values())


def citizen_channel(name: str) -> CitizenChannel | None:
    return _citizen_channels.get(name)
