"""From here on every audit entry's hash covers the id of the user who acted, as well as the
label. An upgraded log gets a marker entry: entries before it keep the hash they were written
with, and ``audit verify`` checks every entry from it on with the actor's id."""

from typing import Any

from django.db import migrations
from django.utils import timezone


def mark(apps: Any, schema_editor: Any) -> None:
    from equal_outcomes.audit.services import GENESIS, HASHED_FIELDS, MARKER_ACTION, _event_digest

    event_model = apps.get_model("audit", "AuditEvent")
    if not event_model.objects.exists():
        return  # a log begun from now on is hashed with the actor's id from its first entry
    head_model = apps.get_model("audit", "AuditHead")
    head, _ = head_model.objects.get_or_create(pk=1, defaults={"entry_hash": GENESIS})
    marker = event_model(
        at=timezone.now(), actor=None, actor_label="system:upgrade", action=MARKER_ACTION,
        target_type="audit", target_id="actor_id", section="", purpose="hashes cover the actor",
        previous_hash=head.entry_hash,
    )  # fmt: skip
    marker.entry_hash = _event_digest(marker, HASHED_FIELDS)
    marker.save()
    head.entry_hash = marker.entry_hash
    head.entries += 1
    head.save(update_fields=["entry_hash", "entries"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_entry_hash_not_indexed")]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
