"""What a merge of two bodies moves, contributed by the apps that own the data.

`tenants` knows nothing of complaints: the app that owns a body's cases registers a step here (in its
AppConfig.ready), and tenants.lifecycle.body_merge runs every step in the merge's transaction, after
asking each for its counts (the dry run) and its conflicts (a merge with any is refused).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tenants.models import LocalBody

Counts = dict[str, int]


@dataclass(frozen=True)
class MergeStep:
    name: str
    count: Callable[[LocalBody, LocalBody], Counts]
    conflicts: Callable[[LocalBody, LocalBody], list[str]]
    apply: Callable[[LocalBody, LocalBody], Counts]


STEPS: list[MergeStep] = []


def merge_step_register(step: MergeStep) -> None:
    if all(existing.name != step.name for existing in STEPS):
        STEPS.append(step)
