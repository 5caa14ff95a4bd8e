"""Writes to the workforce records that HR makes on its pages."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.workforce.models import Benchmark


@transaction.atomic
def benchmark_save(
    *, actor: Any, comparison: str, body: str, characteristic: str, category: str,
    share: float, source: str,
) -> Benchmark:  # fmt: skip
    """A labour-market share or a target for one category; saving one already held replaces it."""
    benchmark, _ = Benchmark.objects.update_or_create(
        comparison=comparison, body=body, characteristic=characteristic, category=category,
        defaults={"share": share, "source": source},
    )  # fmt: skip
    Auditor.record(actor=actor, action=AuditAction.UPDATE, target_type="benchmark",
                   target_id=f"{comparison}.{body}.{characteristic}.{category}"[:64])  # fmt: skip
    return benchmark
