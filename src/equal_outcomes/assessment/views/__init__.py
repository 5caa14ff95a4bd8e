"""The assessment pages, one module per part of the equality lead's work."""

from equal_outcomes.assessment.views.framework import (
    area,
    criterion,
    detail,
    evidence_file,
    index,
    new,
    question,
    refresh,
    report,
)
from equal_outcomes.assessment.views.plan import (
    action_edit,
    action_new,
    actions,
)
from equal_outcomes.assessment.views.policies import (
    impact_new,
    objective,
    objectives,
    policies,
    policy,
)
from equal_outcomes.assessment.views.toolkit import (
    people_evidence,
    risk,
    story,
    sub_outcome,
    toolkit_page,
)

__all__ = [
    "action_edit",
    "action_new",
    "actions",
    "area",
    "criterion",
    "detail",
    "evidence_file",
    "impact_new",
    "index",
    "new",
    "objective",
    "objectives",
    "people_evidence",
    "policies",
    "policy",
    "question",
    "refresh",
    "report",
    "risk",
    "story",
    "sub_outcome",
    "toolkit_page",
]
