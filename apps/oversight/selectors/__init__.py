"""Reads for oversight pages and the national API. Only public-schema data: the fact roll-ups,
the facts themselves (no personal data) for the two lists, the body registry, SLA status and
directives. Never a body's schema.

Modules by noun, all exported here: `period` (the months a page reads), `rollups` (the figures:
counts and on-time shares, rankings, the figures' age), `sla` (who published an SLA), `directives`.
"""

from apps.oversight.selectors.directives import (
    directive_office,
    directive_target_for_body,
    directives_for_body,
    directives_in_scope,
)
from apps.oversight.selectors.period import Period, QueryParams
from apps.oversight.selectors.rollups import (
    GROUPS,
    Figures,
    GroupedResult,
    RankedRow,
    Result,
    Row,
    Totals,
    data_months,
    figures,
    figures_grouped,
    last_modified,
    min_volume,
    national_category_label,
    ranking,
)
from apps.oversight.selectors.sla import BodySla, sla_compliance

__all__ = [
    "GROUPS",
    "BodySla",
    "Figures",
    "GroupedResult",
    "Period",
    "RankedRow",
    "QueryParams",
    "Result",
    "Row",
    "Totals",
    "data_months",
    "directive_office",
    "directive_target_for_body",
    "directives_for_body",
    "directives_in_scope",
    "figures",
    "figures_grouped",
    "last_modified",
    "min_volume",
    "national_category_label",
    "ranking",
    "sla_compliance",
]
