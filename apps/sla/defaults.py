"""The shipped default national framework (DESIGN.md, "Shipped default framework"): used until the
official OPS-PMO figures are loaded, and labelled as a default wherever it is shown.

Rows not in DESIGN.md's table (the closure notice; conduct and corruption resolution) are this
platform's conservative defaults and carry the same label.
"""

from __future__ import annotations

COMMON_STAGES = [
    ("ack", 1, "working"),
    ("route", 3, "working"),
    ("reply", 15, "calendar"),
    ("progress", 15, "calendar"),
    ("closure", 1, "working"),
]
RESOLUTION = {
    "A": (1, "working"),
    "B": (15, "calendar"),
    "C": (30, "calendar"),
    "D": (45, "calendar"),
    "conduct": (30, "calendar"),
    "corruption": (30, "calendar"),
}


def default_rows() -> list[tuple[str, str, int, str]]:
    """(class, stage, days, day type) for every class and stage."""
    rows = []
    for sla_class, (days, day_type) in RESOLUTION.items():
        for stage, stage_days, stage_type in COMMON_STAGES:
            rows.append((sla_class, stage, stage_days, stage_type))
        rows.append((sla_class, "resolve", days, day_type))
    return rows
